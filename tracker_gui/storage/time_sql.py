"""SQL for an issue's logged and remaining minutes, shared by the query language and sorting.

Remaining follows domain.worklogs.remaining: the set value, else the estimate (hours) minus
what was logged, never below 0, NULL when neither is known. Days and weeks of a typed
duration are the issue's own project's (its work_day_minutes / week_days).
"""

from __future__ import annotations

from typing import Any

from peewee import Case, fn

from tracker_gui.domain.durations import DAY_MINUTES, WEEK_DAYS, Parts
from tracker_gui.storage.tables import IssueRow, ProjectRow, WorklogRow

Logged = WorklogRow.alias("logged_w")
Calendar = ProjectRow.alias("time_p")


def logged() -> Any:
    """The minutes logged on the row's issue (0 when none): a correlated sum over the
    (issue_id, id) index."""
    # COALESCE outside: a sub-select is no expression peewee can compare or add to.
    total = Logged.select(fn.SUM(Logged.minutes)).where(Logged.issue == IssueRow.id)
    return fn.COALESCE(total, 0)


def remaining() -> Any:
    estimate = fn.ROUND(IssueRow.estimate * 60)
    left = estimate - logged()
    derived = Case(None, [(IssueRow.estimate.is_null(), None), (left > 0, left)], 0)
    return fn.COALESCE(IssueRow.remaining_minutes, derived)


def minutes_of(parts: Parts) -> Any:
    """A typed duration in minutes on the row's project's calendar."""
    terms: list[Any] = []
    if parts.hours or parts.minutes:
        terms.append(parts.hours * 60 + parts.minutes)
    if parts.days:
        day = Calendar.select(Calendar.work_day_minutes).where(Calendar.id == IssueRow.project)
        terms.append(fn.COALESCE(day, DAY_MINUTES) * parts.days)
    if parts.weeks:
        week = Calendar.select(Calendar.work_day_minutes * Calendar.week_days).where(
            Calendar.id == IssueRow.project
        )
        terms.append(fn.COALESCE(week, DAY_MINUTES * WEEK_DAYS) * parts.weeks)
    out: Any = terms[0] if terms else 0
    for term in terms[1:]:
        out = out + term
    return out
