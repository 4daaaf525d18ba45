"""Hand-built reports of every kind (what the reports service would return), for the chart tests,
the Reports pane tests and the screenshot script."""

from __future__ import annotations

import datetime as dt
import math
import random

from tracker_gui.services.report_types import KINDS, Guide, Marker, Point, Report, Series

START = dt.date(2026, 11, 30)


def _days(first: dt.date, count: int) -> tuple[dt.date, ...]:
    return tuple(first + dt.timedelta(days=i) for i in range(count))


def burndown() -> Report:
    days = _days(START, 14)
    remaining = (20, 20, 19, 17, 17, 17, 15, 16, 13, 11, 9, 9, 6, 4)
    scope = (20, 20, 20, 20, 20, 20, 20, 22, 22, 22, 22, 22, 21, 21)
    ideal = tuple(round(20 - 20 * i / 13, 2) for i in range(14))
    return Report(
        "burndown",
        "Burndown · Sprint 12",
        "Sprint 12 · 30 Nov to 13 Dec 2026",
        days,
        "issues",
        series=(
            Series("Remaining", tuple(float(v) for v in remaining), "step"),
            Series("Ideal", ideal, "dashed"),
            Series("Scope", tuple(float(v) for v in scope), "step", "#d9821a"),
        ),
        markers=(Marker(7, "+2 issues"), Marker(12, "-1 issue")),
        columns=("date", "remaining", "ideal", "scope"),
        rows=tuple((d, r, i, s) for d, r, i, s in zip(days, remaining, ideal, scope, strict=True)),
    )


def cfd() -> Report:
    days = _days(dt.date(2026, 9, 1), 91)
    done, doing, todo = [], [], []
    for i in range(91):
        done.append(float(round(i * 0.9)))
        doing.append(float(8 + round(3 * math.sin(i / 6))))
        todo.append(float(30 + round(i * 0.35)))
    return Report(
        "cfd",
        "Cumulative flow",
        "TRK · 1 Sep to 30 Nov 2026 · by status category",
        days,
        "issues",
        series=(
            Series("Done", tuple(done), "area"),
            Series("In progress", tuple(doing), "area"),
            Series("To do", tuple(todo), "area"),
        ),
        stacked=True,
        columns=("date", "Done", "In progress", "To do"),
        rows=tuple((d, a, b, c) for d, a, b, c in zip(days, done, doing, todo, strict=True)),
    )


def cycle_time() -> Report:
    rng = random.Random(4)
    days = _days(dt.date(2026, 9, 1), 91)
    points = tuple(
        Point(
            days[rng.randrange(91)],
            y := round(rng.lognormvariate(1.1, 0.6), 1),
            f"TRK-{100 + n} · {y} days",
        )
        for n in range(70)
    )
    ys = sorted(p.y for p in points)

    def pct(q: float) -> float:
        return ys[min(len(ys) - 1, math.ceil(q * len(ys)) - 1)]

    return Report(
        "cycle-time",
        "Cycle time",
        "TRK · 1 Sep to 30 Nov 2026 · 70 issues",
        days,
        "days",
        points=points,
        guides=tuple(Guide(pct(q), f"{int(q * 100)}% ≤ {pct(q)} days") for q in (0.5, 0.85, 0.95)),
        columns=("issue", "done", "days"),
        rows=tuple((p.label.split(" ")[0], p.x, p.y) for p in points),
    )


def _weeks(count: int) -> tuple[dt.date, ...]:
    return tuple(dt.date(2026, 9, 7) + dt.timedelta(weeks=i) for i in range(count))


def throughput() -> Report:
    weeks = _weeks(12)
    done = (4.0, 6.0, 3.0, 7.0, 5.0, 8.0, 6.0, 2.0, 9.0, 7.0, 6.0, 5.0)
    return Report(
        "throughput",
        "Throughput",
        "TRK · issues done per week",
        weeks,
        "issues",
        series=(Series("Done", done, "bar"),),
        columns=("week", "done"),
        rows=tuple(zip(weeks, done, strict=True)),
    )


def created_resolved() -> Report:
    weeks = _weeks(12)
    created = (6.0, 5.0, 7.0, 4.0, 8.0, 6.0, 9.0, 3.0, 5.0, 6.0, 4.0, 7.0)
    resolved = (4.0, 6.0, 3.0, 7.0, 5.0, 8.0, 6.0, 2.0, 9.0, 7.0, 6.0, 5.0)
    return Report(
        "created-resolved",
        "Created vs resolved",
        "TRK · per week",
        weeks,
        "issues",
        series=(Series("Created", created, "bar"), Series("Resolved", resolved, "bar")),
        columns=("week", "created", "resolved"),
        rows=tuple(zip(weeks, created, resolved, strict=True)),
    )


def velocity() -> Report:
    sprints = tuple(f"Sprint {n}" for n in range(5, 12))
    committed = (18.0, 20.0, 16.0, 22.0, 21.0, 19.0, 20.0)
    completed = (15.0, 19.0, 16.0, 17.0, 20.0, 18.0, 21.0)
    return Report(
        "velocity",
        "Velocity",
        "TRK · last 7 closed sprints",
        sprints,
        "issues",
        series=(Series("Committed", committed, "bar"), Series("Completed", completed, "bar")),
        columns=("sprint", "committed", "completed"),
        rows=tuple(zip(sprints, committed, completed, strict=True)),
    )


def time_report() -> Report:
    people = ("Alice Moreau", "Bob Tanaka", "Chidi Okafor", "Dana Weiss", "Eun-ji Park")
    hours = (31.5, 24.0, 38.25, 12.0, 27.5)
    return Report(
        "time",
        "Time logged",
        "TRK · 1 to 30 Nov 2026 · by person",
        people,
        "hours",
        series=(Series("Logged", hours, "bar"),),
        columns=("person", "hours"),
        rows=tuple(zip(people, hours, strict=True)),
    )


def empty(kind: str = "velocity") -> Report:
    return Report(kind, "Velocity", "TRK", (), "issues", empty_text="No closed sprints yet")


SAMPLES = {
    "burndown": burndown,
    "cfd": cfd,
    "cycle-time": cycle_time,
    "throughput": throughput,
    "created-resolved": created_resolved,
    "velocity": velocity,
    "time": time_report,
}
assert tuple(SAMPLES) == KINDS


def sample(kind: str) -> Report:
    return SAMPLES[kind]()
