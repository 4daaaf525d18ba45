"""Work logs for the demo: the assignee logs time on the days an issue was in progress.

Drawn from a generator of its own (seeded from the demo's seed), so the issues themselves stay
exactly what the same seed always gave. A log is dated on a work day between the issue's first
move out of its first column and its last move (or now), never in the future.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from tracker_gui.services.demo_plan import DemoPlan

NOTES = ("", "", "", "reproduced it", "pairing", "review fixes", "wrote tests",
         "read the logs", "talked to support", "first pass")  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlannedLog:
    number: int  # the number
    user: int  # an index into the demo's users
    on: dt.date
    minutes: int
    note: str
    at: dt.datetime  # when it was logged: the evening of that day


def plan_logs(plans: Sequence[DemoPlan], seed: int, now: dt.datetime) -> list[PlannedLog]:
    """Up to two logs per assigned issue that left its first column, in time order."""
    rng = random.Random(seed * 7919 + 13)
    out: list[PlannedLog] = []
    for p in plans:
        if p.assignee is None or not p.path:
            continue
        start = p.path[0][1]
        end = p.path[-1][1] if len(p.path) > 1 else now
        days = max(0, (end.date() - start.date()).days)
        for _ in range(rng.randint(0, 2)):  # about one per issue: the history grows by a sixth
            day = start.date() + dt.timedelta(days=rng.randint(0, days))
            while day.weekday() >= 5:  # a weekend's log moves to the Friday before
                day -= dt.timedelta(days=1)
            day = max(day, start.date())
            at = min(max(dt.datetime.combine(day, dt.time(17, 30)), start), now)
            minutes = 15 * rng.randint(2, 16)
            out.append(PlannedLog(p.number, p.assignee, day, minutes, rng.choice(NOTES), at))
    out.sort(key=lambda w: (w.at, w.number))
    return out
