"""Axis arithmetic without Qt: round y ticks, date ticks by day, week or month, and their labels."""

from __future__ import annotations

import datetime as dt
import math

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Day steps tried in order; weeks start on Mondays so "every 7 days" reads as weeks.
_DAY_STEPS = (1, 2, 7, 14)
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)


def nice_step(span: float, count: int) -> float:
    """The 1/2/5 x 10^k step that cuts `span` into at most `count` parts (no 2.5: counts of
    issues read badly as 7.5, 12.5)."""
    if span <= 0 or count < 1:
        return 1.0
    raw = span / count
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if factor * power >= raw - 1e-12:
            return factor * power
    return 10.0 * power  # pragma: no cover - the loop always returns


def y_ticks(low: float, high: float, count: int, whole: bool = False) -> list[float]:
    """Round tick values from below `low` to at least `high` (0 is always a tick when in range);
    `whole`: counted things (issues) step by 1 at least, never by halves.

    An empty or flat range still gets an axis from 0 to 1 (or to the value), so a chart of
    zeros has a readable scale rather than a division by zero.
    """
    low = min(low, 0.0)
    if high <= low:  # all zeros: one step up, not five fractions of nothing
        return [low, low + (abs(low) or 1.0)]
    step = nice_step(high - low, max(count, 1))
    if whole:
        step = max(step, 1.0)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    n = round((last - first) / step)
    return [round(first + i * step, 10) for i in range(n + 1)]


def format_number(value: float) -> str:
    """A tick label: no trailing .0, thousands as "12k" when they would be long."""
    if abs(value) >= 10_000 and value % 1000 == 0:
        return f"{value / 1000:g}k"
    if value == int(value):
        return f"{int(value)}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def tick_labels(ticks: list[float]) -> list[str]:
    """The labels of one axis, all in one form: "0, 2k, 4k ... 12k" rather than "9000, 10k"."""
    thousands = max((abs(t) for t in ticks), default=0) >= 10_000
    if thousands and all(t % 1000 == 0 for t in ticks):
        return [f"{t / 1000:g}k" if t else "0" for t in ticks]
    return [format_number(t) if abs(t) < 10_000 else f"{int(t)}" for t in ticks]


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def date_ticks(first: dt.date, last: dt.date, count: int) -> list[dt.date]:
    """At most `count` (at least 2 where the span allows) tick dates between first and last.

    Days for short spans, Mondays every week or two, then first days of months.
    """
    count = max(count, 2)
    span = (last - first).days
    if span <= 0:
        return [first]
    for step in _DAY_STEPS:
        if span // step + 1 <= count:
            start = first
            if step >= 7:  # align on Mondays
                start = first + dt.timedelta(days=(7 - first.weekday()) % 7)
            return _stepped(start, last, dt.timedelta(days=step))
    for months in _MONTH_STEPS:
        start = _add_months(first, 0 if first.day == 1 else 1)
        # Quarter and longer steps start on a month the step divides (Jan, Apr, Jul, Oct).
        while (start.month - 1) % min(months, 12):
            start = _add_months(start, 1)
        ticks: list[dt.date] = []
        day = start
        while day <= last:
            ticks.append(day)
            day = _add_months(day, months)
        if len(ticks) <= count:
            return ticks
    return [first, last]


def _stepped(start: dt.date, last: dt.date, step: dt.timedelta) -> list[dt.date]:
    ticks = []
    day = start
    while day <= last:
        ticks.append(day)
        day += step
    return ticks


def date_label(day: dt.date, ticks: list[dt.date]) -> str:
    """ "3 Dec" on day and week ticks, "Dec" on month ticks ("Jan 2027" where a year starts)."""
    monthly = len(ticks) > 1 and all(t.day == 1 for t in ticks) and (ticks[1] - ticks[0]).days > 20
    if not monthly:
        return f"{day.day} {_MONTHS[day.month - 1]}"
    if day.month == 1 or day == ticks[0]:
        return f"{_MONTHS[day.month - 1]} {day.year}"
    return _MONTHS[day.month - 1]


def long_date(day: dt.date) -> str:
    """The hover header: "Tue 8 Dec 2026"."""
    return f"{day:%a} {day.day} {_MONTHS[day.month - 1]} {day.year}"
