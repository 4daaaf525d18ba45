"""The issue list's Logged and Remaining columns: time read once per page, shown per project.

The list reads issues a page at a time; each page's time comes in one batched read
(`WorklogService.spent`), and an issue changed live is read again with its update. The sort
keys mirror the SQL ones (storage/filtering.SORTS): unknown remaining time sorts last either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tracker_gui.domain.durations import WorkCalendar, format_minutes
from tracker_gui.domain.models import Issue
from tracker_gui.domain.worklogs import TimeSpent
from tracker_gui.ui.ops import worklogs as ops
from tracker_gui.ui.store import Store

KEEP = 50_000
SORTS = ("logged", "-logged", "remaining", "-remaining")


class TimeColumns:
    """Logged and remaining minutes of the listed issues, by id."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._spent: dict[int, TimeSpent] = {}
        self._calendars: dict[int, WorkCalendar] = {}
        self.reads = 0

    def read(self, issues: Iterable[Issue]) -> None:
        """One batched read for these issues (a page, or the ones an update brought)."""
        ids = [i.id for i in issues]
        if not ids:
            return
        found = ops.spent(self._store, ids).value
        if found is None:
            return  # offline: the columns keep what they showed
        self.reads += 1
        if len(self._spent) + len(ids) > KEEP:
            self._spent.clear()
        self._spent.update(found)

    def logged(self, issue_id: int) -> int:
        spent = self._spent.get(issue_id)
        return spent.logged if spent else 0

    def remaining(self, issue_id: int) -> int | None:
        spent = self._spent.get(issue_id)
        return spent.remaining if spent else None

    def text(self, issue: Issue, logged: bool) -> str:
        minutes = self.logged(issue.id) if logged else self.remaining(issue.id)
        if minutes is None or (logged and minutes == 0):
            return ""
        return format_minutes(minutes, self.calendar(issue.project_id))

    def calendar(self, project_id: int) -> WorkCalendar:
        found = self._calendars.get(project_id)
        if found is None:
            found = ops.calendar(self._store, project_id).value or WorkCalendar()
            self._calendars[project_id] = found
        return found

    def forget_calendars(self) -> None:
        self._calendars.clear()

    def keyfunc(self, sort: str) -> Callable[[Issue], tuple[Any, ...]] | None:
        """The Python order of a time sort (None for other sorts)."""
        if sort == "logged":
            return lambda i: (self.logged(i.id), i.id)
        if sort == "-logged":
            return lambda i: (-self.logged(i.id), -i.id)
        if sort == "remaining":
            return lambda i: _last_if_none(self.remaining(i.id), 1, i.id)
        if sort == "-remaining":
            return lambda i: _last_if_none(self.remaining(i.id), -1, -i.id)
        return None


def _last_if_none(value: int | None, sign: int, tie: int) -> tuple[Any, ...]:
    return (value is None, sign * (value or 0), tie)
