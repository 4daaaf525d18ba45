"""Sprint reads and writes for the window: the Backlog pane, the detail pane's Sprint field.

Planning issues (putting them in a sprint or back in the backlog) is undoable like the other
field edits (ui/sprint_undo.py); adding, starting and closing a sprint are not (the service
records their figures and `sprint_state` rows, which an undo could not take back honestly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtGui import QUndoStack

from tracker_gui.domain.models import Issue, IssueFilter
from tracker_gui.domain.query_fields import quote
from tracker_gui.domain.sprints import Closed, Sprint, SprintState
from tracker_gui.ui.ops.core import Host, OpResult, read, run

BACKLOG_QUERY = "sprint:none is:open"
SHOWN = 500  # issues a list of the Backlog pane holds at most


class PlanHost(Host, Protocol):
    """A host with the window's undo stack and issue reads (ui.store.Store is one)."""

    @property
    def undo_stack(self) -> QUndoStack: ...

    def issues_by_ids(self, ids: Sequence[int]) -> list[Issue]: ...

    def search(
        self, flt: IssueFilter, sort: str = "key", offset: int = 0, limit: int | None = None
    ) -> list[Issue]: ...

    def count(self, flt: IssueFilter | None = None) -> int: ...


@dataclass(frozen=True, slots=True)
class SprintChoice:
    """What the detail pane's Sprint field offers: the sprints one can plan into, and the
    issue's own (which may be closed: then the field is read-only)."""

    current: Sprint | None
    open: tuple[Sprint, ...]

    @property
    def closed(self) -> bool:
        return self.current is not None and self.current.state is SprintState.CLOSED


def sprint_query(name: str) -> str:
    """The query for the issues of one sprint, the name quoted as the language reads it."""
    return f"sprint:{quote(name)}"


# -- reads ---------------------------------------------------------------------------------
def sprints(host: Host, project_key: str) -> OpResult[list[Sprint]]:
    """The project's sprints (planned, active and closed), with how many issues each holds."""
    return read(host, lambda s: s.sprints.sprints(project_key))


def active(host: Host, project_id: int) -> Sprint | None:
    """The project's active sprint (None: none, or unreadable)."""
    found = read(host, lambda s: s.sprints.current([project_id]))
    return (found.value or {}).get(project_id)


def choice(host: Host, issue: Issue) -> SprintChoice | None:
    """The sprints the issue may go to and the one it is in; None when unreadable."""
    found = read(
        host,
        lambda s: (s.sprints.sprints(issue.project_key), s.sprints.names_of([issue.id])),
    )
    if found.value is None:
        return None
    every, names = found.value
    name = names.get(issue.id)
    current = next((p for p in every if name is not None and p.name == name), None)
    planned = tuple(p for p in every if p.state is not SprintState.CLOSED)
    return SprintChoice(current, planned)


def backlog(host: PlanHost, project_id: int) -> tuple[list[Issue], int]:
    """The first SHOWN open issues of the project in no sprint (board order), and how many
    there are: a big project's backlog is read a page at a time, not whole on every change."""
    flt = IssueFilter(project_ids=(project_id,), query=BACKLOG_QUERY)
    return host.search(flt, sort="rank", limit=SHOWN), host.count(flt)


def issues_in(host: PlanHost, project_id: int, name: str) -> list[Issue]:
    """The issues of the sprint (done ones too, the first SHOWN), in board order."""
    flt = IssueFilter(project_ids=(project_id,), query=sprint_query(name))
    return host.search(flt, sort="rank", limit=SHOWN)


def unfinished(host: PlanHost, project_id: int, name: str) -> int:
    """How many issues of the sprint are not done: what closing it has to put somewhere."""
    flt = IssueFilter(project_ids=(project_id,), query=f"{sprint_query(name)} is:open")
    return host.count(flt)


# -- writes --------------------------------------------------------------------------------
def add(
    host: Host, project_key: str, name: str, start: dt.date, end: dt.date, goal: str
) -> OpResult[Sprint]:
    return run(host, lambda s: s.sprints.add(project_key, name, start, end, goal))


def start(host: Host, project_key: str, name: str) -> OpResult[Sprint]:
    return run(host, lambda s: s.sprints.start(project_key, name))


def close(host: Host, project_key: str, name: str, carry_to: str | None) -> OpResult[Closed]:
    """Close the active sprint; its unfinished issues go to `carry_to` (None: the backlog)."""
    return run(host, lambda s: s.sprints.close(project_key, name, carry_to))


def plan_now(host: Host, issue_ids: Sequence[int], name: str | None) -> OpResult[list[Issue]]:
    """Put the issues in the sprint `name` of their project (None: the backlog), at once."""
    ids = list(issue_ids)
    return run(host, lambda s: s.sprints.set_sprint(ids, name))


def names_of(host: Host, issue_ids: Sequence[int]) -> dict[int, str | None] | None:
    """issue id -> its sprint's name (None: the backlog); None when unreadable."""
    ids = list(issue_ids)
    return read(host, lambda s: s.sprints.names_of(ids)).value
