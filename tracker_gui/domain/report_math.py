"""The arithmetic of reports: local calendar days of UTC instants, weeks, percentiles, ideal lines.

The change log stores naive UTC. A report counts by the local calendar day of the machine (or
of a named zone). Storage turns each instant into its local day inside SQL, which needs the
zone's UTC offset as a function of the instant: `offset_segments` gives it as a short list of
(from this UTC instant on, this many seconds) pieces, one per daylight-saving change in the
range, so the SQL is a small CASE rather than a row per day.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)
_EPOCH = dt.datetime(1970, 1, 1)


@dataclass(frozen=True)
class Zone:
    """A time zone: a named one (`--tz Europe/Paris`) or, with no name, the machine's own."""

    name: str = ""

    @classmethod
    def parse(cls, name: str | None) -> Zone:
        """`None`/blank: the machine's zone; an unknown name raises ValueError in plain words."""
        text = (name or "").strip()
        if text:
            try:
                zoneinfo.ZoneInfo(text)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {text!r} (e.g. Europe/Paris or UTC)") from None
        return cls(text)

    def offset(self, utc: dt.datetime) -> int:
        """Seconds to add to the naive UTC instant `utc` to get local wall time."""
        aware = utc.replace(tzinfo=dt.UTC)
        local = aware.astimezone(zoneinfo.ZoneInfo(self.name)) if self.name else aware.astimezone()
        delta = local.utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    def day_of(self, utc: dt.datetime) -> dt.date:
        return (utc + dt.timedelta(seconds=self.offset(utc))).date()

    def start_of(self, day: dt.date) -> dt.datetime:
        """The naive UTC instant at which local `day` begins (its first local instant)."""
        midnight = dt.datetime.combine(day, dt.time())
        if self.name:
            aware = midnight.replace(tzinfo=zoneinfo.ZoneInfo(self.name))
        else:
            aware = midnight.astimezone()  # naive: read as the machine's local time
        return aware.astimezone(dt.UTC).replace(tzinfo=None)

    def today(self, now: dt.datetime) -> dt.date:
        """The local day of the naive UTC instant `now`."""
        return self.day_of(now)


def offset_segments(zone: Zone, first: dt.date, last: dt.date) -> list[tuple[dt.datetime, int]]:
    """The zone's offset over local days first..last (with a day's margin either side), as
    [(start, seconds), ...]: from `start` (naive UTC) on, until the next piece, local time is
    UTC + seconds. The first piece's start is only a label: it applies to anything earlier."""
    start = dt.datetime.combine(first - 2 * ONE_DAY, dt.time())
    end = dt.datetime.combine(last + 2 * ONE_DAY, dt.time())
    pieces = [(start, zone.offset(start))]
    hour = dt.timedelta(hours=1)
    at = start
    while at < end:
        nxt = at + 6 * hour
        if zone.offset(nxt) != pieces[-1][1]:
            pieces.append(_change_between(zone, at, nxt))
        at = nxt
    return pieces


def _change_between(zone: Zone, low: dt.datetime, high: dt.datetime) -> tuple[dt.datetime, int]:
    """The first instant in (low, high] with the offset of `high` (zones change on the minute)."""
    target = zone.offset(high)
    while high - low > dt.timedelta(minutes=1):
        mid = low + (high - low) / 2
        mid = mid.replace(second=0, microsecond=0)
        if mid <= low:
            break
        if zone.offset(mid) == target:
            high = mid
        else:
            low = mid
    return high, target


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day from first to last inclusive."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week (ISO weeks): a week is labelled by its Monday."""
    return day - dt.timedelta(days=day.weekday())


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p% of the values at or
    below it. Always one of the values, so a test can name it exactly. Empty: ValueError."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def percentiles(ordered: Sequence[float], ps: Sequence[float]) -> list[float]:
    """`percentile` of already sorted values for each of `ps` (one sort for all); none if
    there are no values."""
    if not ordered:
        return []
    return [ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1] for p in ps]


def cumulative(deltas: dict[dt.date, float], first: dt.date, last: dt.date) -> list[float]:
    """Running totals at the end of each day first..last; deltas dated before `first` form the
    opening balance."""
    total = sum(v for d, v in deltas.items() if d < first)
    out = []
    for day in days(first, last):
        total += deltas.get(day, 0)
        out.append(total)
    return out


def ideal_line(start: float, count: int) -> list[float]:
    """A straight line from `start` on the first of `count` days to 0 on the last (2 places)."""
    if count <= 1:
        return [0.0] * count
    return [round(start * (1 - n / (count - 1)), 2) for n in range(count)]
