"""Export the issues a filter finds to CSV, with the columns the user chose."""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from tracker_gui.domain import history
from tracker_gui.domain.models import Issue, IssueFilter
from tracker_gui.errors import ValidationError
from tracker_gui.interchange.output import Guarded, output_errors
from tracker_gui.interchange.report import Cancelled, Progress, Ticker
from tracker_gui.interchange.saved_file import saved_file
from tracker_gui.services import Services
from tracker_gui.services.export_reads import ExportReads

# column id -> header; the generic CSV import's guess_mapping reads every header back.
COLUMNS = {
    "key": "Key",
    "title": "Title",
    "type": "Type",
    "status": "Status",
    "priority": "Priority",
    "assignee": "Assignee",
    "reporter": "Reporter",
    "labels": "Labels",
    "due": "Due",
    "estimate": "Estimate",
    "created": "Created",
    "updated": "Updated",
    "resolved": "Resolved",
    "archived": "Archived",
    "parent": "Parent",
    "description": "Description",
    "uid": "UID",
}
DEFAULT_COLUMNS = (
    "key",
    "title",
    "type",
    "status",
    "priority",
    "assignee",
    "reporter",
    "labels",
    "due",
    "estimate",
    "created",
    "updated",
)


# A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(...)` in
# a title would be a live link, `@SUM(...)` a call): such text cells get a leading `'`, which
# the spreadsheet shows as text and the CSV import takes off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Cells that are numbers, dates or fixed words: never prefixed (a negative estimate stays -2).
_NOT_TEXT = frozenset({"estimate", "due", "created", "updated", "resolved", "archived"})


def guard(text: str) -> str:
    """A text cell made safe to open in a spreadsheet (see FORMULA_STARTS)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Cells:
    """Turns issues into row cells, caching status names and parent keys."""

    def __init__(self, reads: ExportReads) -> None:
        self.reads = reads
        self.status: dict[int, str] = {}
        self.keys: dict[int, str] = {}

    def page(self, issues: Sequence[Issue], columns: Sequence[str]) -> None:
        """Read what a page's rows name but do not hold: status names, parents' keys."""
        for issue in issues:
            if issue.status_id not in self.status:
                for s in self.reads.statuses(issue.project_id):
                    self.status[s.id] = s.name
        if "parent" in columns:
            wanted = {i.parent_id for i in issues if i.parent_id and i.parent_id not in self.keys}
            self.keys.update(self.reads.keys_for(wanted))

    def row(self, issue: Issue, columns: Sequence[str]) -> list[str]:
        values: dict[str, Callable[[], str]] = {
            "key": lambda: issue.key,
            "title": lambda: issue.title,
            "type": lambda: issue.type.value,
            "status": lambda: self.status.get(issue.status_id, ""),
            "priority": lambda: issue.priority.label,
            "assignee": lambda: issue.assignee or "",
            "reporter": lambda: issue.reporter,
            "labels": lambda: ", ".join(issue.labels),
            "due": lambda: issue.due.isoformat() if issue.due else "",
            "estimate": lambda: history.encode("estimate", issue.estimate) or "",
            "created": lambda: _time(issue.created_at),
            "updated": lambda: _time(issue.updated_at),
            "resolved": lambda: _time(issue.resolved_at),
            "archived": lambda: "yes" if issue.archived else "no",
            "parent": lambda: self.keys.get(issue.parent_id or 0, ""),
            "description": lambda: issue.description,
            "uid": lambda: issue.uid,
        }
        return [values[c]() if c in _NOT_TEXT else guard(values[c]()) for c in columns]


def _time(value: dt.datetime | None) -> str:
    return value.isoformat(sep=" ", timespec="seconds") if value is not None else ""


def _check_columns(columns: Sequence[str]) -> None:
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise ValidationError(
            "columns", f"unknown column {unknown[0]!r} (use: {', '.join(COLUMNS)})"
        )
    if not columns:
        raise ValidationError("columns", "choose at least one column")


def write_csv(
    services: Services,
    fh: TextIO,
    flt: IssueFilter | None = None,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    *,
    sort: str = "key",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write the matching issues to an open text stream (opened with newline=""), a page at
    a time inside one snapshot. Returns the row count."""
    _check_columns(columns)
    flt = flt or IssueFilter()
    reads = ExportReads.of(services)
    ticker = Ticker(progress, cancelled)
    cells = _Cells(reads)
    done = 0
    with output_errors(), reads.snapshot():
        total = reads.count(flt)
        writer = csv.writer(Guarded(fh))
        writer.writerow([COLUMNS[c] for c in columns])
        pages = reads.matching(flt, sort=sort, with_description="description" in columns)
        for page in pages:
            cells.page(page, columns)
            for issue in page:
                try:
                    writer.writerow(cells.row(issue, columns))
                except UnicodeEncodeError:
                    raise ValidationError(
                        "encoding",
                        f"{issue.key} cannot be written in {fh.encoding}: use utf-8",
                    ) from None
            done += len(page)
            ticker(done, max(total, done))
        ticker(done, max(total, done), force=True)
    return done


def export_csv(
    services: Services,
    path: str | os.PathLike[str],
    flt: IssueFilter | None = None,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    *,
    sort: str = "key",
    encoding: str = "utf-8",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write the matching issues; the file appears only once complete. Returns the row count."""
    _check_columns(columns)
    target = Path(path)
    with saved_file(target, ".csv", encoding, "") as fh:
        return write_csv(
            services, fh, flt, columns, sort=sort, progress=progress, cancelled=cancelled
        )
