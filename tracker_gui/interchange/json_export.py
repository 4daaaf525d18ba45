"""Export a whole database to the versioned tracker-gui JSON format (docs/json-format.md).

The document is written as it is read: issues and history a page at a time, attachments one at
a time, so memory stays flat however big the database is. The bytes are those of
`json.dumps(document, ensure_ascii=False, indent=1)` over the whole document (`dumps`), which
the tests hold it to (json_text writes them).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from tracker_gui.domain.durations import WorkCalendar
from tracker_gui.domain.models import Project
from tracker_gui.domain.sprints import Sprint
from tracker_gui.interchange.json_refs import RefsOut
from tracker_gui.interchange.json_text import Streamed, materialise, write_streamed
from tracker_gui.interchange.output import Guarded, output_errors
from tracker_gui.interchange.report import Cancelled, Progress, Ticker
from tracker_gui.interchange.saved_file import saved_file
from tracker_gui.services import Services, export_reads
from tracker_gui.services.export_reads import ExportReads, IssueBundle
from tracker_gui.services.worklogs import WorklogService

FORMAT = "tracker-gui"
# 2: link history rows name the other issue by uid (version 1 files still read)
# 3: work logs ("worklogs"), an issue's "remaining_minutes", a project's work calendar;
#    sprints (a top-level list; an issue's `sprint` names one); versions 1 and 2 still read
VERSION = 3


def when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _calendar(calendar: WorkCalendar) -> dict[str, int]:
    return {"work_day_minutes": calendar.day_minutes, "week_days": calendar.week_days}


class _Document:
    """The document's parts as generators over one snapshot; counts what went out."""

    def __init__(self, reads: ExportReads, ticker: Ticker, logs: WorklogService) -> None:
        self.reads = reads
        self.logs = logs
        self.ticker = ticker
        self.counts: Counter[str] = Counter()
        self.done = 0
        self.total = 0
        self.refs = RefsOut({}, {})
        self.sprint_of: dict[int, str] = {}  # issue id -> its sprint's name

    def tree(self) -> dict[str, Any]:
        reads = self.reads
        projects = reads.projects()
        statuses = {p.id: reads.statuses(p.id) for p in projects}
        sprints = reads.sprints()
        self.refs = RefsOut(
            {s.id: (s.project_id, s.name) for group in statuses.values() for s in group},
            reads.issue_uids(),
            {s.id: (s.project_id, s.name) for s in sprints},
        )
        named = {s.id: s.name for s in sprints}
        self.sprint_of = {i: named[s] for i, s in reads.issue_sprints().items() if s in named}
        self.total = len(self.refs.issues) + reads.change_total()
        users = reads.users()
        self.counts["users"], self.counts["projects"] = len(users), len(projects)
        keys = {p.id: p.key for p in projects}
        return {
            "format": FORMAT,
            "version": VERSION,
            "users": [
                {"username": u.username, "display_name": u.display_name, "email": u.email}
                for u in users
            ],
            "projects": Streamed((self._project(p, statuses[p.id]) for p in projects), nested=True),
            "sprints": [_sprint(keys[s.project_id], s) for s in sprints if s.project_id in keys],
            "saved_filters": sorted(
                (
                    {"owner": f.owner, "name": f.name, "query": f.query}
                    for u in users
                    for f in reads.saved_filters(u.id)
                ),
                key=lambda f: (f["owner"], f["name"]),
            ),
            "worklogs": Streamed(self._worklogs()),
            "history": Streamed(self._history(keys)),
        }

    def _tick(self) -> None:
        self.done += 1
        self.ticker(self.done, max(self.total, self.done))

    def _project(self, project: Project, statuses: list[Any]) -> dict[str, Any]:
        reads = self.reads
        names = {s.id: s.name for s in statuses}
        return {
            "key": project.key,
            "name": project.name,
            "description": project.description,
            "archived": project.archived,
            "next_number": project.next_number,
            "statuses": [
                {
                    "name": s.name,
                    "category": s.category.value,
                    "position": s.position,
                    "wip_limit": s.wip_limit,
                    "colour": s.colour,
                }
                for s in statuses
            ],
            "transitions": sorted(
                [names[t.from_status_id], names[t.to_status_id]]
                for t in reads.transitions(project.id)
            ),
            "labels": [
                {"name": lab.name, "colour": lab.colour}
                for lab in sorted(reads.labels(project.id), key=lambda lab: lab.name)
            ],
            "issues": Streamed(self._issues(project.id, names), nested=True),
            **_calendar(self.logs.calendar(project.id)),
        }

    def _issues(self, project_id: int, names: dict[int, str]) -> Iterator[dict[str, Any]]:
        for page in self.reads.bundles(project_id):
            left = self.logs.remaining_of([b.issue.id for b in page])
            for bundle in page:
                item = self._issue(bundle, names[bundle.issue.status_id])
                yield item | {"remaining_minutes": left.get(bundle.issue.id)}
                self._tick()

    def _attachments(self, bundle: IssueBundle) -> Iterator[dict[str, Any]]:
        for a in bundle.attachments:
            self.counts["attachments"] += 1
            yield {
                "name": a.name,
                "size": a.size,
                "sha256": a.sha256,
                "uploader": a.uploader,
                "created_at": when(a.created_at),
                "data": base64.b64encode(self.reads.attachment_data(a.id)).decode("ascii"),
            }

    def _issue(self, bundle: IssueBundle, status: str) -> dict[str, Any]:
        issue, refs = bundle.issue, self.refs
        self.counts["issues"] += 1
        self.counts["comments"] += len(bundle.comments)
        # Bytes are read while the file is written, one attachment at a time.
        attachments: Streamed | list[Any] = (
            Streamed(self._attachments(bundle)) if bundle.attachments else []
        )
        return {
            "uid": issue.uid,
            "number": issue.number,
            "type": issue.type.value,
            "title": issue.title,
            "description": issue.description,
            "status": status,
            "priority": issue.priority.label,
            "assignee": issue.assignee,
            "reporter": issue.reporter,
            "parent": refs.issue(issue.parent_id),
            "rank": issue.rank,
            "due": when(issue.due),
            "estimate": issue.estimate,
            "created_at": when(issue.created_at),
            "updated_at": when(issue.updated_at),
            "resolved_at": when(issue.resolved_at),
            "version": issue.version,
            "archived": issue.archived,
            "labels": sorted(issue.labels),
            "watchers": list(bundle.watchers),
            "comments": [
                {
                    "author": c.author,
                    "body": c.body,
                    "created_at": when(c.created_at),
                    "edited_at": when(c.edited_at),
                }
                for c in bundle.comments
            ],
            "links": [
                {"kind": kind.value, "target": refs.issue(target)} for kind, target in bundle.links
            ],
            "attachments": attachments,
            "sprint": self.sprint_of.get(issue.id),
        }

    def _worklogs(self) -> Iterator[dict[str, Any]]:
        refs = self.refs
        for page in self.logs.pages(export_reads.CHANGE_PAGE):  # as the history: a page held
            for w in page:
                self.counts["worklogs"] += 1
                yield {"issue": refs.issue(w.issue_id), "user": w.user, "on": when(w.on),
                       "minutes": w.minutes, "note": w.note,
                       "created_at": when(w.created_at)}  # fmt: skip

    def _history(self, keys: dict[int, str]) -> Iterator[dict[str, Any]]:
        refs = self.refs
        for page in self.reads.changes():
            for c in page:
                self.counts["history"] += 1
                yield {
                    "project": keys[c.project_id],
                    "issue": refs.issue(c.issue_id),
                    "actor": c.actor,
                    "at": when(c.at),
                    "field": c.field,
                    "old": refs.value(c.project_id, c.issue_id is not None, c.field, c.old),
                    "new": refs.value(c.project_id, c.issue_id is not None, c.field, c.new),
                }
                self._tick()


def _sprint(project: str, sprint: Sprint) -> dict[str, Any]:
    return {
        "project": project,
        "name": sprint.name,
        "start": when(sprint.start),
        "end": when(sprint.end),
        "goal": sprint.goal,
        "state": sprint.state.value,
        "scope_start": sprint.scope_start,
        "scope_close": sprint.scope_close,
        "done_close": sprint.done_close,
        "started_at": when(sprint.started_at),
        "closed_at": when(sprint.closed_at),
    }


def build(
    services: Services, progress: Progress | None = None, cancelled: Cancelled | None = None
) -> dict[str, Any]:
    """The whole database as one JSON-ready document in memory (tests, small databases);
    nothing in it is a database id. `export_json` writes the same without holding it."""
    reads = ExportReads.of(services)
    with reads.snapshot():
        doc = _Document(reads, Ticker(progress, cancelled), WorklogService.of(services))
        return dict(materialise(doc.tree()))


def dumps(document: dict[str, Any]) -> str:
    """The file's text: UTF-8, one space of indent, keys in the documented order."""
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def write_json(
    services: Services,
    fh: TextIO,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> dict[str, int]:
    """Write the whole database to an open text stream as it is read; counts by kind."""
    reads = ExportReads.of(services)
    ticker = Ticker(progress, cancelled)
    out = Guarded(fh)
    with output_errors(), reads.snapshot():
        doc = _Document(reads, ticker, WorklogService.of(services))
        write_streamed(out.write, doc.tree())
        out.write("\n")
        ticker(doc.done, doc.done, force=True)  # a cancel at the very end still leaves no file
    kinds = ("users", "projects", "issues", "comments", "attachments", "history")
    return {kind: doc.counts[kind] for kind in kinds}


def export_json(
    services: Services,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> dict[str, int]:
    """Write the whole database to `path`: into a temporary file beside it, renamed over
    `path` only once complete (a cancel or failure leaves no partial file). Returns what it
    holds, by kind."""
    target = Path(path)
    with saved_file(target, ".json", "utf-8", "\n") as fh:
        return write_json(services, fh, progress=progress, cancelled=cancelled)
