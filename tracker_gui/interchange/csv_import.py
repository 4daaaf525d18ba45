"""Import any CSV through a column mapping: guessed from the header, previewed, streamed."""

from __future__ import annotations

import codecs
import math
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from tracker_gui.domain import validation
from tracker_gui.domain.enums import IssueType, Priority
from tracker_gui.domain.workflow import DEFAULT_WORKFLOW
from tracker_gui.interchange import apply
from tracker_gui.interchange.plan import PlannedIssue, ProjectPlan, clean_issue
from tracker_gui.interchange.report import BadFile, Cancelled, ImportReport, Progress, Ticker
from tracker_gui.interchange.table import Header, Row, normal, open_table
from tracker_gui.interchange.textio import check_bytes
from tracker_gui.interchange.values import (
    parse_date,
    parse_datetime,
    parse_priority,
    parse_type,
    unescape_cell,
    username_for,
)
from tracker_gui.services import Services

T = TypeVar("T")
# Checked issues are kept for the write while their text stays under this many characters:
# reading and checking the file a second time was a fifth of a 10,000-issue import. A bigger
# file is read again while it is written, so memory stays flat whatever its size.
HOLD_CHARS = 8_000_000
# Field -> header names that mean it, most specific first (our own export's names included).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("title", "summary", "name", "subject", "card name", "task", "issue"),
    "description": ("description", "desc", "details", "body", "notes", "card description"),
    "type": ("type", "issue type", "kind", "tracker"),
    "status": ("status", "state", "list", "list name", "column", "stage"),
    "priority": ("priority", "severity", "importance"),
    "assignee": ("assignee", "assigned to", "owner", "assigned", "responsible"),
    "reporter": ("reporter", "author", "created by", "creator", "requester", "opened by"),
    "labels": ("labels", "label", "tags", "tag", "keywords"),
    "due": ("due", "due date", "deadline", "due on", "target date"),
    "estimate": ("estimate", "estimate hours", "estimated hours", "hours", "original estimate"),
    "created": ("created", "created at", "created on", "date created", "creation date"),
    "updated": ("updated", "updated at", "last updated", "modified", "last modified"),
    "resolved": ("resolved", "resolved at", "date resolved", "closed at"),
    "archived": ("archived", "is archived"),
    "key": ("key", "issue key", "id", "issue id", "ticket"),
}
FIELDS = tuple(SYNONYMS)
REQUIRED_FIELDS = ("title",)
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}


def _words(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", normal(name)))


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """field -> column name, from exact synonyms first, then headers that contain one."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    plain = [(h, _words(h)) for h in headers]
    for exact in (True, False):
        for fld, names in SYNONYMS.items():
            if fld in mapping:
                continue
            for header, words in plain:
                if header in used:
                    continue
                hit = words in names if exact else any(f" {n} " in f" {words} " for n in names)
                if hit:
                    mapping[fld] = header
                    used.add(header)
                    break
    return mapping


@dataclass(frozen=True)
class Preview:
    """The first rows as the mapping dialog shows them, and why the encoding is wrong if it is."""

    encoding: str
    headers: list[str]
    rows: list[list[str]]
    mapping: dict[str, str]
    problem: str | None = None
    suggested_encoding: str | None = None


def detect_encoding(path: str | os.PathLike[str]) -> str:
    """utf-8 when every byte decodes as UTF-8, utf-16 with its BOM, else cp1252 or latin-1."""
    target = Path(path)
    with target.open("rb") as fh:
        start = fh.read(4)
    if start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            check_bytes(target, encoding)
        except BadFile:
            continue
        return encoding
    return "latin-1"


def preview(path: str | os.PathLike[str], encoding: str = "utf-8", rows: int = 5) -> Preview:
    """Header, first `rows` records and guessed mapping; an undecodable file says where."""
    target = Path(path)
    if target.stat().st_size == 0:
        return Preview(encoding, [], [], {}, f"{target}: the file is empty")
    problem = suggestion = None
    try:
        check_bytes(target, encoding)
    except BadFile as exc:
        problem, suggestion = str(exc), detect_encoding(target)
    shown = encoding if problem is None else (suggestion or "latin-1")
    try:
        header, records = open_table(target, shown, (), check=False)
    except BadFile as exc:
        return Preview(encoding, [], [], {}, problem or str(exc), suggestion)
    first: list[list[str]] = []
    try:  # a malformed record: the header and the rows before it still show
        for _, record in zip(range(rows), records, strict=False):
            first.append(record.cells)
    except BadFile as exc:
        problem = problem or str(exc)
    return Preview(encoding, header.names, first, guess_mapping(header.names), problem, suggestion)


def import_csv(
    services: Services,
    path: str | os.PathLike[str],
    *,
    project: str,
    mapping: Mapping[str, str] | None = None,
    encoding: str = "utf-8",
    dry_run: bool = False,
    create_statuses: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportReport:
    """Issues from the rows of a CSV file into `project` (created when new)."""
    report = ImportReport("csv", str(path), dry_run=dry_run)
    ticker = Ticker(progress, cancelled)
    target = Path(path)
    try:
        key = validation.project_key(project)
        header, rows = open_table(target, encoding, (), ticker)
        columns = _check_mapping(header, mapping)
        plan = ProjectPlan(key, key, f"csv file {target.name}", list)
        plan.fallback = services.actor
        plan.default_status = apply.lookup(services, key).initial_status
        if "status" not in columns and apply.lookup(services, key).project is None:
            plan.workflow = list(DEFAULT_WORKFLOW)
        keys: dict[str, int] = {}
        held: list[PlannedIssue] | None = None if dry_run else []
        budget = HOLD_CHARS
        for row in rows:
            issue = _issue(header, row, columns, plan, report)
            if issue.source_key:
                if issue.source_key in keys:
                    report.error(
                        f"row {row.number}, column {columns['key']!r}",
                        f"duplicate key {issue.source_key} (also on row {keys[issue.source_key]})",
                    )
                keys.setdefault(issue.source_key, row.number)
            if clean_issue(report, issue):
                plan.count_issue(issue)
                if held is not None:
                    budget -= len(issue.title) + len(issue.description) + 200
                    budget -= sum(len(c.body) for c in issue.comments)
                    held.append(issue)
                    if budget < 0:
                        held = None
        if not plan.issue_count and not report.errors:
            report.warn(f"{target.name}", "no rows to import below the header")
    except BadFile as exc:
        report.error(exc.where, exc.detail)
        return apply.refuse(report)
    kept = held
    plan.issues = (
        (lambda: iter(kept))
        if kept is not None
        else (lambda: _again(target, encoding, columns, plan))
    )
    return apply.run(services, plan, report, ticker, create_statuses=create_statuses)


def _check_mapping(header: Header, mapping: Mapping[str, str] | None) -> dict[str, str]:
    columns = dict(mapping) if mapping is not None else guess_mapping(header.names)
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise BadFile("mapping", f"unknown field {unknown[0]!r} (use: {', '.join(FIELDS)})")
    absent = [c for c in columns.values() if not header.has(c)]
    if absent:
        raise BadFile("row 1 (the header)", f"no column named {absent[0]!r}")
    for fld in REQUIRED_FIELDS:
        if fld not in columns:
            raise BadFile(
                "row 1 (the header)", f"no column for the {fld}: map one (found: {header.names})"
            )
    return columns


def _again(
    path: Path, encoding: str, columns: dict[str, str], plan: ProjectPlan
) -> Iterator[PlannedIssue]:
    """The second pass, while writing: the file is read again rather than held in memory."""
    header, rows = open_table(path, encoding, (), check=False)
    scratch = ImportReport("csv", str(path))
    for row in rows:
        issue = _issue(header, row, columns, plan, scratch)
        if not clean_issue(scratch, issue) or scratch.errors:
            raise BadFile(f"row {row.number}", "the file changed while it was being imported")
        yield issue


def _issue(
    header: Header, row: Row, columns: dict[str, str], plan: ProjectPlan, report: ImportReport
) -> PlannedIssue:
    def text(fld: str) -> str:
        return unescape_cell(header.first(row, columns[fld])) if fld in columns else ""

    def parsed(fld: str, parse: Callable[[str], T], default: T) -> T:
        value = text(fld)
        if not value:
            return default
        try:
            return parse(value)
        except ValueError as exc:
            report.error(f"row {row.number}, column {columns[fld]!r}", str(exc))
            return default

    def person(value: str) -> str | None:
        if not value:
            return None
        name = username_for(value)
        plan.add_user(name, value if value != name else "")
        return name

    kind = IssueType.TASK
    if text("type"):
        try:
            kind = parse_type(text("type"))
        except ValueError as exc:
            report.warn(f"row {row.number}, column {columns['type']!r}", f"{exc}: a task")
    cells = (
        [unescape_cell(c) for c in header.every(row, columns["labels"])]
        if "labels" in columns
        else []
    )
    return PlannedIssue(
        ref=f"row {row.number}",
        where=f"row {row.number}",
        title=text("title"),
        status=text("status") or plan.default_status,
        type=kind,
        priority=parsed("priority", parse_priority, Priority.MEDIUM),
        description=text("description"),
        assignee=person(text("assignee")),
        reporter=person(text("reporter")),
        labels=tuple(p.strip() for c in cells for p in re.split(r"[,;]", c) if p.strip()),
        due=parsed("due", parse_date, None),
        estimate=parsed("estimate", _number, None),
        created_at=parsed("created", parse_datetime, None),
        updated_at=parsed("updated", parse_datetime, None),
        resolved_at=parsed("resolved", parse_datetime, None),
        archived=parsed("archived", _flag, False),
        source_key=text("key").upper() or None,
    )


def _number(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a number")
    return value


def _flag(text: str) -> bool:
    word = text.strip().casefold()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise ValueError(f"{text!r} is not yes or no")


__all__ = ["FIELDS", "Preview", "detect_encoding", "guess_mapping", "import_csv", "preview"]
