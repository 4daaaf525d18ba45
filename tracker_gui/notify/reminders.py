"""Due-date reminders: an issue assigned to me that is due or overdue, told once per day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Issue, IssueFilter
from tracker_gui.notify.policy import Note

SUMMARY_OVER = 3  # more reminders than this at once become one summary notification


def due_filter(me: str, today: dt.date) -> IssueFilter:
    """The open issues assigned to `me` that are due today or earlier (pushed down to SQL)."""
    return IssueFilter(
        assignees=(me,),
        due_before=today + dt.timedelta(days=1),
        categories=(StatusCategory.TODO, StatusCategory.IN_PROGRESS),
    )


def _note(issue: Issue, today: dt.date) -> Note:
    assert issue.due is not None
    late = (today - issue.due).days
    if late <= 0:
        summary, when = f"{issue.key} is due today", "due today"
    else:
        summary = f"{issue.key} is overdue"
        when = f"{late} day{'' if late == 1 else 's'} overdue (due {issue.due.isoformat()})"
    return Note(
        summary=summary,
        body=f"“{issue.title}” is {when}",
        issue_id=issue.id,
        kind="due",
        issue_ids=(issue.id,),
    )


class DueReminders:
    """Remembers which issue was reminded on which day; `today` is injectable for tests."""

    def __init__(self, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._today = today
        self._told: dict[int, dt.date] = {}

    def today(self) -> dt.date:
        return self._today()

    def check(self, issues: Iterable[Issue], me: str) -> list[Note]:
        """Notes for the issues not yet reminded today (assigned to `me`, due, still open)."""
        today = self._today()
        fresh = [
            issue
            for issue in issues
            if issue.assignee == me
            and issue.due is not None
            and issue.due <= today
            and issue.resolved_at is None
            and not issue.archived
            and self._told.get(issue.id) != today
        ]
        for issue in fresh:
            self._told[issue.id] = today
        fresh.sort(key=lambda i: (i.due, i.project_key, i.number))
        if len(fresh) <= SUMMARY_OVER:
            return [_note(issue, today) for issue in fresh]
        overdue = sum(1 for i in fresh if i.due is not None and i.due < today)
        return [
            Note(
                summary=f"{len(fresh)} of your issues are due",
                body=f"{overdue} overdue, {len(fresh) - overdue} due today: "
                + ", ".join(i.key for i in fresh[:5])
                + (" …" if len(fresh) > 5 else ""),
                issue_id=fresh[0].id,
                kind="due",
                issue_ids=tuple(i.id for i in fresh),
            )
        ]

    def state(self) -> dict[str, str]:
        """What to persist (issue id -> ISO day last reminded), today's entries only."""
        today = self._today()
        return {str(k): v.isoformat() for k, v in self._told.items() if v == today}

    def restore(self, state: Mapping[str, str]) -> None:
        for key, value in state.items():
            try:
                self._told[int(key)] = dt.date.fromisoformat(value)
            except ValueError:
                continue
