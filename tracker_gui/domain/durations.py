"""Work durations as people type them, `[Nw][Nd][Nh][Nm]` (1h30m, 45m, 2d, 1w), in whole minutes.

A day is the project's work day (default 8 h) and a week its work days (default 5), so
`1w` on a default project is 40 hours of work, not 168. A bare number (`2`, `1.5`) is
refused: "45" could mean minutes or hours, and a wrong guess is a silent error in someone's
time sheet; the message says to add a unit. (`--estimate` keeps reading a plain number as
hours, as it always did: that is the CLI's rule for that one option, not this parser's.)
Units come largest first, each at most once, without spaces; upper case is read too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DAY_MINUTES = 480  # a project's work day unless it sets one
WEEK_DAYS = 5
LOG_MAX = 100_000  # one work log (the database CHECKs the same bound)
REMAINING_MAX = 6_000_000  # 100,000 hours: the largest estimate
_PART = r"(?:(\d{1,7})%s)?"
_SHAPE = re.compile("^" + "".join(_PART % unit for unit in "wdhm") + "$")
_NUMBER = re.compile(r"^\d+([.,]\d*)?$")


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """How long a work day is and how many make a week (per project)."""

    day_minutes: int = DAY_MINUTES
    week_days: int = WEEK_DAYS

    def __post_init__(self) -> None:
        if not 1 <= self.day_minutes <= 1440 or not 1 <= self.week_days <= 7:
            raise ValueError("a work day is 1 to 1440 minutes and a week 1 to 7 days")


@dataclass(frozen=True, slots=True)
class Parts:
    """A duration as typed: weeks and days stay symbolic until a calendar says how long."""

    weeks: int = 0
    days: int = 0
    hours: int = 0
    minutes: int = 0

    def total(self, calendar: WorkCalendar) -> int:
        day = calendar.day_minutes
        return (
            ((self.weeks * calendar.week_days + self.days) * day) + self.hours * 60 + self.minutes
        )


class DurationError(ValueError):
    """Text that is not a duration; the message is one plain line for the user."""


def parse_parts(text: str) -> Parts:
    """The parts of `1w2d3h4m`-style text (not yet checked for zero or size)."""
    raw = text.strip().lower()
    if not raw:
        raise DurationError("a duration is needed, e.g. 1h30m, 45m, 2d or 1w")
    if _NUMBER.match(raw):
        raise DurationError(f"{text.strip()!r} has no unit: write e.g. {raw}h or {raw}m")
    found = _SHAPE.match(raw)
    if found is None or not any(found.groups()):
        raise DurationError(
            f"{text.strip()!r} is not a duration: use w, d, h and m without spaces,"
            " e.g. 1h30m, 45m, 2d or 1w"
        )
    weeks, days, hours, minutes = (int(g) if g else 0 for g in found.groups())
    return Parts(weeks, days, hours, minutes)


def parse(
    text: str,
    calendar: WorkCalendar = WorkCalendar(),
    *,
    limit: int = LOG_MAX,
    allow_zero: bool = False,
) -> int:
    """Whole minutes of `text` on `calendar`; DurationError if unreadable, zero or too long."""
    minutes = parse_parts(text).total(calendar)
    if minutes == 0 and not allow_zero:
        raise DurationError(f"{text.strip()!r} is no time at all: give at least 1m")
    if minutes > limit:
        raise DurationError(
            f"{text.strip()!r} is {minutes:,} minutes; the limit is {limit:,}"
            f" ({format_minutes(limit, calendar)})"
        )
    return minutes


def format_minutes(minutes: int, calendar: WorkCalendar = WorkCalendar()) -> str:
    """The text `parse` reads back as `minutes`: largest units first, none repeated (0 is `0m`)."""
    if minutes < 0:
        raise ValueError("a duration is never negative")
    if minutes == 0:
        return "0m"
    week = calendar.week_days * calendar.day_minutes
    weeks, rest = divmod(minutes, week)
    days, rest = divmod(rest, calendar.day_minutes)
    hours, mins = divmod(rest, 60)
    out = [f"{n}{unit}" for n, unit in ((weeks, "w"), (days, "d"), (hours, "h"), (mins, "m")) if n]
    return "".join(out)


def hours_minutes(text: str | None) -> str:
    """Minutes as stored in the change log (`"90"`) shown as `1h30m`, in hours and minutes only
    (a history line does not know its project's work day); other text is shown as it is."""
    if text is None or not text.isdigit():
        return text or ""
    hours, minutes = divmod(int(text), 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or not hours else "")
