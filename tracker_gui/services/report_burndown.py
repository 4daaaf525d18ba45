"""Sprint reports: the burndown rebuilt day by day from the change log, and velocity.

Who was in sprint S at the end of a day comes from the change log's `sprint` rows (ids as
text), never from `issue.sprint_id`, which only knows today. A sprint holds tens or hundreds
of issues, so their few history rows are replayed here in Python, day by day.
Days after today get no remaining and no scope (blank in CSV, gaps in the chart): the ideal
line still runs to the sprint's end.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from typing import TYPE_CHECKING, Any

from tracker_gui.domain import report_math as rm
from tracker_gui.domain.enums import StatusCategory
from tracker_gui.errors import NotFoundError
from tracker_gui.services.report_scope import ReportScope
from tracker_gui.services.report_types import Marker, Report, Series

if TYPE_CHECKING:
    from tracker_gui.storage.reports_repo import ReportsRepo


class _Timeline:
    """A value over time: `at(t)` is the value of the last change before t (or the first)."""

    def __init__(self, initial: Any) -> None:
        self.times: list[dt.datetime] = []
        self.values: list[Any] = []
        self.initial = initial

    def add(self, when: dt.datetime, value: Any) -> None:
        self.times.append(when)
        self.values.append(value)

    def at(self, when: dt.datetime, *, inclusive: bool = False) -> Any:
        """Changes strictly before `when` (a day's end is the next day's first instant), or
        up to and including it (`inclusive`: what a sprint held as it was started)."""
        find = bisect.bisect_right if inclusive else bisect.bisect_left
        i = find(self.times, when)
        return self.values[i - 1] if i else self.initial


def _hours(text: str | None) -> float | None:
    try:
        return None if text in (None, "") else float(str(text))
    except ValueError:
        return None  # not a value the app writes: the issue counts as unestimated


def burndown(
    repo: ReportsRepo, scope: ReportScope, sprint_name: str | None, hours: bool, now: dt.datetime
) -> Report:
    found = repo.sprint(scope.project.id, sprint_name)
    if found is None:
        what = f"no sprint {sprint_name!r}" if sprint_name else "no active sprint"
        raise NotFoundError(f"{what} in project {scope.project.key}")
    sprint_id, name, start, end, _, _, _, started_at = found
    moves = repo.sprint_moves(scope.project.id, sprint_id)
    issues, changes = repo.issue_histories(sorted({m[0] for m in moves}))
    done_ids = {str(i) for i in scope.ids(StatusCategory.DONE)}
    member: dict[int, _Timeline] = {i: _Timeline(False) for i in issues}
    status: dict[int, _Timeline] = {}
    estimate: dict[int, _Timeline] = {}
    for issue_id, when, put_in in moves:
        if issue_id in member:
            member[issue_id].add(when, put_in)
    for issue_id, (_, status_id, hours_now, _) in issues.items():
        first = {f: o for i, _, f, o, _ in reversed(changes) if i == issue_id}
        status[issue_id] = _Timeline(first.get("status", str(status_id)))
        estimate[issue_id] = _Timeline(
            _hours(first["estimate"]) if "estimate" in first else hours_now
        )
    for issue_id, when, field, _, new in changes:
        (status if field == "status" else estimate)[issue_id].add(
            when, new if field == "status" else _hours(new)
        )

    def weight(issue_id: int, when: dt.datetime, inclusive: bool = False) -> float:
        return (estimate[issue_id].at(when, inclusive=inclusive) or 0.0) if hours else 1.0

    def scope_at(when: dt.datetime, inclusive: bool = False) -> float:
        inside = (i for i in member if member[i].at(when, inclusive=inclusive))
        return round(sum(weight(i, when, inclusive) for i in inside), 2)

    span = rm.days(start, end)
    remaining: list[float | None] = []
    scope_sizes: list[float | None] = []
    for day in span:
        if day > scope.today:
            remaining.append(None)
            scope_sizes.append(None)
            continue
        when = scope.zone.start_of(day + rm.ONE_DAY)
        inside = [i for i in member if member[i].at(when)]
        scope_sizes.append(round(sum(weight(i, when) for i in inside), 2))
        left = [i for i in inside if status[i].at(when) not in done_ids]
        remaining.append(round(sum(weight(i, when) for i in left), 2))
    # The ideal line starts from what the sprint held when it was started (else at the end of
    # its first day; a sprint not begun yet: what it holds now).
    if started_at is not None:
        # Moves stamped with the start's own instant were made before it (a script, a
        # clock that ticks coarsely): they are in what was committed.
        committed = scope_at(started_at, inclusive=True)
    elif scope_sizes and scope_sizes[0] is not None:
        committed = scope_sizes[0]
    else:
        committed = scope_at(now)
    ideal = rm.ideal_line(committed, len(span))
    unit = "hours" if hours else "issues"
    markers = tuple(
        Marker(n, f"{now - was:+g} {unit if abs(now - was) != 1 else unit[:-1]}")
        for n, (was, now) in enumerate(itertools.pairwise(scope_sizes), 1)
        if was is not None and now is not None and now != was
    )

    def cell(v: float | None) -> float | int | None:
        return None if v is None else (v if hours else int(v))

    rows = tuple(
        (d, cell(r), ideal[n], cell(s))
        for n, (d, r, s) in enumerate(zip(span, remaining, scope_sizes, strict=True))
    )
    series = (
        Series("remaining", tuple(remaining), "line"),
        Series("ideal", tuple(ideal), "dashed"),
        Series("scope", tuple(scope_sizes), "step"),
    )
    subtitle = f"{name} · {start.isoformat()} to {end.isoformat()}"
    return Report(
        "burndown", f"Burndown ({unit})", subtitle, tuple(span), unit, series, markers=markers,
        columns=("date", "remaining", "ideal", "scope"), rows=rows,
        empty_text="" if member else f"No issues in {name}",
    )  # fmt: skip


def velocity(repo: ReportsRepo, scope: ReportScope) -> Report:
    """Committed (issues at start) and completed (done at close) per closed sprint."""
    found = repo.closed_sprints(scope.project.id)
    names = tuple(n for n, _, _ in found)
    committed = tuple(None if c is None else float(c) for _, c, _ in found)
    completed = tuple(None if d is None else float(d) for _, _, d in found)
    return Report(
        "velocity", "Velocity", scope.project.key, names, "issues",
        (Series("committed", committed, "bar"), Series("completed", completed, "bar")),
        columns=("sprint", "committed", "completed"), rows=tuple(found),
        empty_text="" if found else "No closed sprints yet",
    )  # fmt: skip
