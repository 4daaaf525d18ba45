"""Reports computed from the change log: cumulative flow, cycle and lead time, throughput,
created vs resolved, sprint burndown, velocity and logged time, each as a `Report`.

Days are local calendar days (the machine's zone, or `ReportRequest.tz`). The heavy work is
grouped inside SQL (storage/reports_repo.py); Python only adds up a few rows per day.
Definitions the numbers follow:
- an issue counts in a status at the end of a day (the cumulative flow, burndown's "done");
- an issue is *done* on the day of its last move into a done status, if it is still in one;
- cycle time runs from its first move into an in-progress status (or its creation, when it was
  created in progress) to that done move; lead time from its creation; both in days;
- percentiles are nearest-rank (always one of the measured values).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tracker_gui.domain import report_math as rm
from tracker_gui.domain.enums import StatusCategory
from tracker_gui.errors import NotFoundError, ValidationError
from tracker_gui.services import report_burndown
from tracker_gui.services.report_scope import ReportScope
from tracker_gui.services.report_types import KINDS, Cell, Guide, Point, Report, Series
from tracker_gui.storage.catalog_repo import CatalogRepo
from tracker_gui.storage.database import Database
from tracker_gui.storage.reports_repo import ReportsRepo
from tracker_gui.storage.tables import utcnow

DEFAULT_DAYS = 90  # the range when --from is not given: the 90 days up to --to
MAX_DAYS = 3660  # ten years of days is a chart nobody can read; refuse more
PERCENTILES = (50, 85, 95)
CATEGORIES = (StatusCategory.TODO, StatusCategory.IN_PROGRESS, StatusCategory.DONE)
CATEGORY_NAMES = {StatusCategory.TODO: "To Do", StatusCategory.IN_PROGRESS: "In Progress",
                  StatusCategory.DONE: "Done"}  # fmt: skip
BY = {
    "cfd": ("category", "status"),
    "burndown": ("issues", "estimate"),
    "created-resolved": ("day", "week"),
    "cycle-time": ("cycle", "lead"),
    "time": ("person", "issue"),
}


@dataclass(frozen=True)
class ReportRequest:
    """What to compute. `by` picks a variant (see BY; blank: the first). `first`/`last`
    bound the days (default: the 90 days up to today); a burndown takes its sprint's."""

    kind: str
    project: str
    sprint: str | None = None
    first: dt.date | None = None
    last: dt.date | None = None
    by: str = ""
    tz: str | None = None


class ReportService:
    """Computes reports; reads only, through the caller's own connection (row-level security
    on PostgreSQL applies as to every other read). `clock` says what time it is (naive UTC)."""

    def __init__(
        self,
        database: Database,
        catalog: CatalogRepo,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.repo = ReportsRepo(database)
        self.catalog = catalog
        self.clock = clock

    def compute(self, request: ReportRequest) -> Report:
        if request.kind not in KINDS:
            raise ValidationError(
                "kind", f"unknown report {request.kind!r} (use one of: {', '.join(KINDS)})"
            )
        choices = BY.get(request.kind, ())
        if request.by and request.by not in choices:
            allowed = f"use {' or '.join(choices)}" if choices else "it takes no --by"
            raise ValidationError("by", f"{request.kind}: unknown --by {request.by!r} ({allowed})")
        with self.repo.consistent():
            return self._compute(request, choices)

    def _compute(self, request: ReportRequest, choices: tuple[str, ...]) -> Report:
        scope = self._scope(request)
        by = request.by or (choices[0] if choices else "")
        if request.kind == "cfd":
            return self._cfd(scope, by == "status")
        if request.kind == "cycle-time":
            return self._cycle_time(scope, lead=by == "lead")
        if request.kind == "throughput":
            return self._throughput(scope)
        if request.kind == "created-resolved":
            weekly = by == "week" or (not request.by and (scope.last - scope.first).days > 31)
            return self._created_resolved(scope, weekly)
        if request.kind == "burndown":
            return report_burndown.burndown(
                self.repo, scope, request.sprint, by == "estimate", self.clock()
            )
        if request.kind == "velocity":
            return report_burndown.velocity(self.repo, scope)
        return self._time(scope, by_issue=by == "issue")

    def compute_options(self, kind: str, options: Mapping[str, object]) -> Report:
        """The Reports pane's call (its `compute(kind, options)`): options `project` (key),
        `sprint`, `from`, `to` (dates) and `by`, each None when not used."""

        def text(key: str) -> str | None:
            value = options.get(key)
            return None if value is None else str(value)

        def day(key: str) -> dt.date | None:
            value = options.get(key)
            return value if isinstance(value, dt.date) else None

        request = ReportRequest(
            kind, text("project") or "", text("sprint"), day("from"), day("to"),
            text("by") or "", text("tz"),
        )  # fmt: skip
        return self.compute(request)

    def _scope(self, request: ReportRequest) -> ReportScope:
        key = request.project.strip().upper()
        project = self.catalog.project_by_key(key)
        if project is None:
            raise NotFoundError(f"no project with key {key!r}")
        try:
            zone = rm.Zone.parse(request.tz)
        except ValueError as exc:
            raise ValidationError("tz", str(exc)) from None
        today = zone.today(self.clock())
        last = request.last or today
        first = request.first or last - dt.timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            raise ValidationError("from", f"--from {first} is after --to {last}")
        if (last - first).days >= MAX_DAYS:
            raise ValidationError(
                "from", f"the range is {(last - first).days + 1} days; at most {MAX_DAYS}"
            )
        statuses = sorted(self.catalog.statuses(project.id), key=lambda s: s.position)
        return ReportScope(project, statuses, zone, first, last, today)

    # -- cumulative flow ------------------------------------------------------------------------
    def _cfd(self, scope: ReportScope, by_status: bool) -> Report:
        pid, segments = scope.project.id, scope.segments()
        _, before = scope.bounds()
        cats = {str(s.id): s.category.value for s in scope.statuses}
        if by_status:
            keys: list[str] = [str(s.id) for s in scope.statuses]
            names = {str(s.id): s.name for s in scope.statuses}
        else:
            keys = [c.value for c in CATEGORIES]
            names = {c.value: CATEGORY_NAMES[c] for c in CATEGORIES}
        deltas: dict[str, dict[dt.date, float]] = {k: {} for k in keys}

        def add(status: str | None, day: dt.date, n: int) -> None:
            key = status if by_status else cats.get(status or "")
            if key in deltas:  # a status deleted since: its issues count where they went next
                deltas[key][day] = deltas[key].get(day, 0) + n

        for day, status, n in self.repo.created_states(pid, segments, before):
            add(status, day, n)
        starts = [(d, scope.zone.start_of(d)) for d in rm.days(scope.first, scope.last)]
        ids = [s.id for s in scope.statuses]
        for day, status, n in self.repo.status_flow(pid, ids, starts, segments, before):
            add(status, day, n)
        counts = {
            k: [int(v) for v in rm.cumulative(deltas[k], scope.first, scope.last)] for k in keys
        }
        span = rm.days(scope.first, scope.last)
        columns = ("date", *(names[k] if by_status else k for k in keys))
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (d, *(counts[k][i] for k in keys)) for i, d in enumerate(span)
        )
        # Stacked bottom-up: done at the bottom, as cumulative flow charts are read.
        series = tuple(
            Series(names[k], tuple(float(v) for v in counts[k]), "area") for k in reversed(keys)
        )
        empty = "" if any(any(v) for v in counts.values()) else "No issues in this range"
        title = "Cumulative flow" + (" by status" if by_status else "")
        return Report("cfd", title, scope.span, tuple(span), "issues", series, stacked=True,
                      columns=columns, rows=rows, empty_text=empty)  # fmt: skip

    # -- cycle and lead time --------------------------------------------------------------------
    def _cycle_time(self, scope: ReportScope, lead: bool) -> Report:
        since, before = scope.bounds()
        found = self.repo.done_issues(
            scope.project.id,
            scope.ids(StatusCategory.IN_PROGRESS),
            scope.ids(StatusCategory.DONE),
            scope.segments(),
            since,
            before,
        )
        key = scope.project.key
        rows: list[tuple[Cell, ...]] = []
        points: list[Point] = []
        for n, day, c, lt in found:  # one pass: 100,000 issues done in a year is 0.1 s of it
            cycle = None if c is None else round(c / 86400, 2)
            lead_days = round(lt / 86400, 2)
            rows.append((f"{key}-{n}", day, cycle, lead_days))
            shown = lead_days if lead else cycle
            if shown is not None:
                points.append(Point(day, shown, f"{key}-{n} · {shown:g} days"))
        values = sorted(p.y for p in points)
        marks = rm.percentiles(values, PERCENTILES)  # none when nothing was done
        guides = tuple(
            Guide(v, f"{p}% ≤ {v:g} days") for p, v in zip(PERCENTILES, marks, strict=False)
        )
        name = "Lead time" if lead else "Cycle time"
        return Report(
            "cycle-time", name, scope.span, tuple(rm.days(scope.first, scope.last)), "days",
            points=tuple(points), guides=guides, columns=("key", "done", "cycle_days", "lead_days"),
            rows=tuple(rows), empty_text="" if points else "No issues done in this range",
        )  # fmt: skip

    # -- throughput, created vs resolved --------------------------------------------------------
    def _done_days(self, scope: ReportScope) -> dict[dt.date, int]:
        since, before = scope.bounds()
        return self.repo.done_per_day(
            scope.project.id,
            scope.ids(StatusCategory.IN_PROGRESS),
            scope.ids(StatusCategory.DONE),
            scope.segments(),
            since,
            before,
        )

    @staticmethod
    def _weekly(per_day: dict[dt.date, int], weeks: list[dt.date]) -> list[int]:
        totals = dict.fromkeys(weeks, 0)
        for day, n in per_day.items():
            totals[rm.week_start(day)] = totals.get(rm.week_start(day), 0) + n
        return [totals[w] for w in weeks]

    @staticmethod
    def _weeks(scope: ReportScope) -> list[dt.date]:
        return rm.days(rm.week_start(scope.first), rm.week_start(scope.last))[::7]

    def _throughput(self, scope: ReportScope) -> Report:
        weeks = self._weeks(scope)
        done = self._weekly(self._done_days(scope), weeks)
        rows = tuple(zip(weeks, done, strict=True))
        return Report(
            "throughput", "Throughput per week", scope.span, tuple(weeks), "issues",
            (Series("done", tuple(float(v) for v in done), "bar"),), columns=("week", "done"),
            rows=rows, empty_text="" if any(done) else "No issues done in this range",
        )  # fmt: skip

    def _created_resolved(self, scope: ReportScope, weekly: bool) -> Report:
        since, before = scope.bounds()
        created = self.repo.created_per_day(scope.project.id, scope.segments(), since, before)
        resolved = self._done_days(scope)
        if weekly:
            x = self._weeks(scope)
            made, done = self._weekly(created, x), self._weekly(resolved, x)
        else:
            x = rm.days(scope.first, scope.last)
            made, done = [created.get(d, 0) for d in x], [resolved.get(d, 0) for d in x]
        rows = tuple(zip(x, made, done, strict=True))
        series = (
            Series("created", tuple(float(v) for v in made), "line"),
            Series("resolved", tuple(float(v) for v in done), "line"),
        )
        empty = "" if any(made) or any(done) else "Nothing created or resolved in this range"
        return Report(
            "created-resolved", "Created vs resolved" + (" per week" if weekly else " per day"),
            scope.span, tuple(x), "issues", series,
            columns=("week" if weekly else "date", "created", "resolved"), rows=rows,
            empty_text=empty,
        )  # fmt: skip

    # -- time ---------------------------------------------------------------------------------
    def _time(self, scope: ReportScope, by_issue: bool) -> Report:
        """Minutes per person and issue; the chart sums hours per person (or per issue)."""
        found = self.repo.logged(scope.project.id, scope.first, scope.last)
        key = scope.project.key
        rows: tuple[tuple[Cell, ...], ...]
        if by_issue:
            ordered = sorted(found, key=lambda r: (r[1], r[0]))
            rows = tuple((f"{key}-{n}", who, minutes) for who, n, minutes in ordered)
            columns = ("issue", "person", "minutes")
        else:
            rows = tuple((who, f"{key}-{n}", minutes) for who, n, minutes in found)
            columns = ("person", "issue", "minutes")
        totals: dict[str, int] = {}
        for row in rows:
            totals[str(row[0])] = totals.get(str(row[0]), 0) + int(str(row[2]))
        names = tuple(totals)  # in the rows' order: by name, or by issue number
        hours = tuple(round(totals[p] / 60, 2) for p in names)
        title = "Logged time per " + ("issue" if by_issue else "person")
        return Report(
            "time", title, scope.span, names, "hours", (Series("hours", hours, "bar"),),
            columns=columns, rows=rows, empty_text="" if rows else "No time logged in this range",
        )  # fmt: skip


__all__ = ["ReportRequest", "ReportService"]
