"""Work logs and the time left on an issue: the values services return and the remaining rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WorkLog:
    """Time someone spent on an issue: `minutes` on the day `on`."""

    id: int
    issue_id: int
    user: str
    on: dt.date
    minutes: int
    note: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class TimeSpent:
    """An issue's logged total and remaining time, in minutes (remaining None: unknown)."""

    issue_id: int
    logged: int
    remaining: int | None
    remaining_set: bool = False  # True: someone set it; False: the estimate minus logged


def estimate_minutes(estimate_hours: float | None) -> int | None:
    """The estimate column (hours, a float) as whole minutes."""
    return None if estimate_hours is None else round(estimate_hours * 60)


def remaining(estimate_hours: float | None, logged: int, set_minutes: int | None) -> int | None:
    """The set remaining time, else the estimate minus what was logged (never below 0);
    None when neither is known. The SQL of the query language (storage/time_sql.py) says
    the same."""
    if set_minutes is not None:
        return set_minutes
    estimate = estimate_minutes(estimate_hours)
    return None if estimate is None else max(0, estimate - logged)
