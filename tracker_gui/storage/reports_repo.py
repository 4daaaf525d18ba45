"""The reads behind the reports: the change log grouped by local day inside SQL, on both backends.

Every query returns a few rows per day (or per issue done, or per sprint issue), never the log
itself. Status ids travel as the change log stores them (text); the caller maps them to
categories, so no query casts a stored text that the app might not have written.
Times: SQLite keeps `change.at` as peewee's text ("YYYY-MM-DD HH:MM:SS[.ffffff]") and issue
times as microseconds since 1970 (tables.Timestamp); PostgreSQL keeps timestamps. Both naive UTC.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from tracker_gui.storage import convert
from tracker_gui.storage.database import Database
from tracker_gui.storage.tables import micros

Segments = Sequence[tuple[dt.datetime, int]]  # domain.report_math.offset_segments
# How a column keeps its time: peewee text (SQLite change log), micros (SQLite issue), timestamp.
TEXT, MICROS, PG = "text", "micros", "pg"


def _stamp(value: dt.datetime) -> str:
    # As the driver wrote the stored text (no fraction when it is zero), so that equal
    # instants compare equal as text.
    return value.isoformat(sep=" ")


def _literal(value: dt.datetime, form: str) -> str:
    # Only instants this module computed go into the SQL text, never input a user typed.
    if form == TEXT:
        return f"'{_stamp(value)}'"
    if form == MICROS:
        return str(micros(value))
    return f"TIMESTAMP '{_stamp(value)}'"


def _offset(column: str, form: str, segments: Segments, unit: str) -> str:
    """The zone's offset at `column`'s instant, as a CASE over the pieces (DST changes)."""

    def text(seconds: int) -> str:
        if unit == "interval":
            return f"INTERVAL '{seconds} seconds'"
        return f"'{seconds:+d} seconds'" if unit == "modifier" else str(seconds)

    if len(segments) == 1:
        return text(segments[0][1])
    whens = " ".join(
        f"WHEN {column} < {_literal(start, form)} THEN {text(before)}"
        for (_, before), (start, _) in itertools.pairwise(segments)
    )
    return f"(CASE {whens} ELSE {text(segments[-1][1])} END)"


def day_sql(column: str, form: str, segments: Segments) -> str:
    """SQL for the local calendar day of the UTC instant in `column`."""
    if form == TEXT:
        return f"date({column}, {_offset(column, form, segments, 'modifier')})"
    if form == MICROS:
        return f"date({column} / 1000000 + {_offset(column, form, segments, 'n')}, 'unixepoch')"
    return f"CAST({column} + {_offset(column, form, segments, 'interval')} AS date)"


def _in(values: Iterable[int]) -> str:
    """An IN list of status ids as the change log's text (ids are ints: safe to inline)."""
    texts = [f"'{int(v)}'" for v in values]
    return f"({', '.join(texts)})" if texts else "(NULL)"


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


class ReportsRepo:
    """Grouped reads of the change log, issues, sprints and work logs for one project."""

    def __init__(self, database: Database) -> None:
        self.db = database

    # -- plumbing -------------------------------------------------------------------------------
    @contextlib.contextmanager
    def consistent(self) -> Iterator[None]:
        """One snapshot for all of a report's reads (its numbers add up even while others
        write). PostgreSQL without JIT for it: compiling these one-off aggregates took
        0.05-0.12 s (EXPLAIN ANALYZE at 100,000 issues), more than it saved."""
        with self.db.snapshot():
            if not self.db.is_sqlite:
                self.db.peewee.execute_sql("SET LOCAL jit = off")
            yield

    @property
    def _change_form(self) -> str:
        return TEXT if self.db.is_sqlite else PG

    @property
    def _issue_form(self) -> str:
        return MICROS if self.db.is_sqlite else PG

    def _value(self, value: dt.datetime | dt.date, form: str) -> Any:
        """A parameter compared with a column of the given form."""
        if isinstance(value, dt.datetime):
            return _stamp(value) if form == TEXT else micros(value) if form == MICROS else value
        return value.isoformat() if self.db.is_sqlite else value

    def _rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        if not self.db.is_sqlite:
            sql = sql.replace("?", "%s")
        with self.db.reading():
            return [tuple(r) for r in self.db.peewee.execute_sql(sql, tuple(params)).fetchall()]

    def _seconds(self, column: str, form: str) -> str:
        """Seconds since 1970 (fractional): a difference of two, rounded in SQL to whole
        seconds, is the same number on both backends, so durations round alike."""
        if form == TEXT:
            return f"((julianday({column}) - 2440587.5) * 86400.0)"
        if form == MICROS:
            return f"({column} / 1000000.0)"
        return f"EXTRACT(EPOCH FROM {column})"

    # -- cumulative flow ------------------------------------------------------------------------
    def status_flow(
        self,
        project_id: int,
        statuses: Sequence[int],
        starts: Sequence[tuple[dt.date, dt.datetime]],
        segments: Segments,
        before: dt.datetime,
    ) -> list[tuple[dt.date, str, int]]:
        """(local day, status id as text, issues in minus issues out) of the status moves
        before `before`; `starts` are the days asked for and the UTC instant each begins,
        moves before the first are dated the day before it. A deleted issue's moves are left
        out, as its creation is (created_states reads the issues there are)."""
        form = self._change_form
        params: list[Any] = [project_id]
        deleted = ""
        if self._rows(
            "SELECT 1 FROM change WHERE project_id = ? AND field = 'deleted' LIMIT 1", params
        ):
            deleted = (
                " AND c.issue_id NOT IN (SELECT g.issue_id FROM change g WHERE g.project_id = ?"
                " AND g.field = 'deleted' AND g.issue_id IS NOT NULL)"
            )
        where = f"c.project_id = ? AND c.field = 'status'{deleted}"
        if self.db.is_sqlite:
            return self._flow_by_day(where, deleted, project_id, statuses, starts, before)
        sql = (
            f"SELECT {day_sql('c.at', form, segments)} AS d, c.old, c.new, COUNT(*)"
            f" FROM change c WHERE {where} AND c.at < ? GROUP BY 1, 2, 3"
        )
        if deleted:
            params.append(project_id)
        out: list[tuple[dt.date, str, int]] = []
        for d, old, new, n in self._rows(sql, (*params, self._value(before, form))):
            day = _date(d)
            out += [(day, str(old), -int(n)), (day, str(new), int(n))]
        return out

    def _flow_by_day(
        self,
        where: str,
        deleted: str,
        project_id: int,
        statuses: Sequence[int],
        starts: Sequence[tuple[dt.date, dt.datetime]],
        before: dt.datetime,
    ) -> list[tuple[dt.date, str, int]]:
        """SQLite has no hash aggregate: grouping a year of moves sorts them all (1.5 s at
        900,000). Instead one aggregate per day over that day's range of the covering index
        change_report_flow (migration 14): each reads only its own rows, nothing is sorted."""
        if not starts or not statuses:
            return []
        edges = [*(_stamp(at) for _, at in starts), _stamp(before)]
        days = [starts[0][0] - dt.timedelta(days=1), *(d for d, _ in starts)]
        lows = ["", *edges[:-1]]
        values = ", ".join(
            f"({n}, '{lo}', '{hi}')" for n, (lo, hi) in enumerate(zip(lows, edges, strict=True))
        )
        counts = " || ',' || ".join(
            [f"COUNT(CASE WHEN c.new = '{int(s)}' THEN 1 END)" for s in statuses]
            + [f"COUNT(CASE WHEN c.old = '{int(s)}' THEN 1 END)" for s in statuses]
        )
        sql = (
            f"WITH d(n, lo, hi) AS (VALUES {values}) SELECT d.n, (SELECT {counts}"
            f" FROM change c WHERE {where} AND c.at >= d.lo AND c.at < d.hi) FROM d"
        )
        params = [project_id, project_id] if deleted else [project_id]
        out: list[tuple[dt.date, str, int]] = []
        for n, text in self._rows(sql, params):
            numbers = [int(v) for v in str(text).split(",")]
            for i, status in enumerate(statuses):
                net = numbers[i] - numbers[len(statuses) + i]
                if net:
                    out.append((days[int(n)], str(status), net))
        return out

    def created_states(
        self, project_id: int, segments: Segments, before: dt.datetime
    ) -> list[tuple[dt.date, str, int]]:
        """(local day, status it was created in, how many) of the project's issues created
        before `before`: the status a first move left, else the one it still has."""
        form = self._issue_form
        # The first move is one look-up in change_status_moves (migration 14).
        sql = (
            "SELECT d, s, COUNT(*) FROM ("
            f"SELECT {day_sql('i.created_at', form, segments)} AS d,"
            " COALESCE((SELECT f.old FROM change f WHERE f.issue_id = i.id"
            "   AND f.field = 'status' ORDER BY f.id LIMIT 1), CAST(i.status_id AS TEXT)) AS s"
            " FROM issue i WHERE i.project_id = ? AND i.created_at < ?) x GROUP BY d, s"
        )
        found = self._rows(sql, (project_id, self._value(before, form)))
        return [(_date(d), str(s), int(n)) for d, s, n in found]

    def created_per_day(
        self, project_id: int, segments: Segments, since: dt.datetime, before: dt.datetime
    ) -> dict[dt.date, int]:
        form = self._issue_form
        sql = (
            f"SELECT {day_sql('i.created_at', form, segments)}, COUNT(*) FROM issue i"
            " WHERE i.project_id = ? AND i.created_at >= ? AND i.created_at < ? GROUP BY 1"
        )
        params = (project_id, self._value(since, form), self._value(before, form))
        return {_date(d): int(n) for d, n in self._rows(sql, params)}

    # -- done issues: cycle time, throughput, resolved ------------------------------------------
    def _done_sql(self, progress: Sequence[int], done: Sequence[int]) -> str:
        """Per issue now in a done status (one parameter: the project id): its first move into
        (`first_in`) and out of (`first_out`) an in-progress status, and its last move into
        done from elsewhere. Both read each issue's moves from the covering partial index
        change_status_moves (migration 14): PostgreSQL one issue at a time (LATERAL: 0.35 s
        for 70,000 issues, against 0.95 s hashing or sorting all 900,000 moves), SQLite in
        one pass over the index in issue order (it has no LATERAL; 0.3 s)."""
        moves = (
            f"MIN(CASE WHEN c.new IN {_in(progress)} THEN c.at END) AS first_in,"
            f" MIN(CASE WHEN c.old IN {_in(progress)} THEN c.at END) AS first_out,"
            f" MAX(CASE WHEN c.new IN {_in(done)} AND (c.old IS NULL OR c.old NOT IN {_in(done)})"
            "   THEN c.at END) AS done_at"
        )
        done_ids = ", ".join(str(int(s)) for s in done) or "NULL"
        if not self.db.is_sqlite:
            return (
                f"SELECT d.id AS issue_id, m.first_in, m.first_out, m.done_at FROM issue d"
                f" CROSS JOIN LATERAL (SELECT {moves} FROM change c"
                "   WHERE c.issue_id = d.id AND c.field = 'status') m"
                f" WHERE d.project_id = ? AND d.status_id IN ({done_ids})"
            )
        return (
            f"SELECT c.issue_id, {moves}"
            # No test of c.project_id: the issues are the project's, and with it SQLite would
            # not count the index as covering (0.8 s instead of 0.3 s).
            " FROM change c WHERE c.field = 'status'"
            " AND c.issue_id IN (SELECT d.id FROM issue d WHERE d.project_id = ?"
            f"   AND d.status_id IN ({done_ids}))"
            " GROUP BY c.issue_id"
        )

    def done_issues(
        self,
        project_id: int,
        progress: Sequence[int],
        done: Sequence[int],
        segments: Segments,
        since: dt.datetime,
        before: dt.datetime,
    ) -> list[tuple[int, dt.date, float | None, float]]:
        """(issue number, local day done, cycle seconds or None, lead seconds) of every issue
        now done whose last move into done falls in [since, before), in the order they were
        done. Cycle time starts at the first move into an in-progress status, or at creation
        when the issue left one before ever entering one (it was created in progress)."""
        cf, jf = self._change_form, self._issue_form
        done_at, first_in = self._seconds("x.done_at", cf), self._seconds("x.first_in", cf)
        created = self._seconds("i.created_at", jf)
        sql = (
            f"SELECT i.number, {day_sql('x.done_at', cf, segments)},"
            " ROUND(CASE WHEN x.first_out IS NOT NULL"
            "   AND (x.first_in IS NULL OR x.first_out < x.first_in)"
            f"   THEN {done_at} - {created} ELSE {done_at} - {first_in} END),"
            f" ROUND({done_at} - {created})"
            f" FROM issue i JOIN ({self._done_sql(progress, done)}) x ON x.issue_id = i.id"
            " WHERE x.done_at >= ? AND x.done_at < ? ORDER BY x.done_at, i.number"
        )
        params = (project_id, self._value(since, cf), self._value(before, cf))
        days: dict[Any, dt.date] = {}  # a day's text or date is read once, not once per issue
        out = []
        for n, d, c, lead in self._rows(sql, params):
            day = days.get(d)
            if day is None:
                day = days[d] = _date(d)
            out.append((int(n), day, None if c is None else float(c), float(lead)))
        return out

    def done_per_day(
        self,
        project_id: int,
        progress: Sequence[int],
        done: Sequence[int],
        segments: Segments,
        since: dt.datetime,
        before: dt.datetime,
    ) -> dict[dt.date, int]:
        """How many issues (now done) were last moved into done on each local day."""
        cf = self._change_form
        sql = (
            f"SELECT {day_sql('x.done_at', cf, segments)}, COUNT(*)"
            f" FROM ({self._done_sql(progress, done)}) x"
            " WHERE x.done_at >= ? AND x.done_at < ? GROUP BY 1"
        )
        params = (project_id, self._value(since, cf), self._value(before, cf))
        return {_date(d): int(n) for d, n in self._rows(sql, params)}

    # -- sprints (schema of migration 0012) -----------------------------------------------------
    def sprint(self, project_id: int, name: str | None) -> tuple[Any, ...] | None:
        """(id, name, start, end, state, scope_start, done_close, started_at) of the named
        sprint, or of the active one when no name is given."""
        cols = "id, name, start_date, end_date, state, scope_start, done_close, started_at"
        if name is None:
            sql = f"SELECT {cols} FROM sprint WHERE project_id = ? AND state = 'active'"
            found = self._rows(sql, (project_id,))
        else:
            sql = f"SELECT {cols} FROM sprint WHERE project_id = ? AND LOWER(name) = LOWER(?)"
            found = self._rows(sql, (project_id, name))
        if not found:
            return None
        sid, sname, start, end, state, scope, done, started = found[0]
        started_at = None if started is None else convert._time(started)
        return (int(sid), str(sname), _date(start), _date(end), str(state), scope, done, started_at)

    def closed_sprints(self, project_id: int) -> list[tuple[str, int | None, int | None]]:
        """(name, committed = scope_start, completed = done_close) of closed sprints, in order."""
        sql = (
            "SELECT name, scope_start, done_close FROM sprint"
            " WHERE project_id = ? AND state = 'closed' ORDER BY end_date, id"
        )
        return [(str(n), s, d) for n, s, d in self._rows(sql, (project_id,))]

    def sprint_moves(self, project_id: int, sprint_id: int) -> list[tuple[int, dt.datetime, bool]]:
        """(issue id, when, True: put in / False: taken out) of every move in or out of the
        sprint, oldest first (the change log's `sprint` rows hold sprint ids as text). Moves
        out made by closing the sprint (carried to the next one or the backlog: the same
        change set as a `sprint_state` row to `closed`) are left out: for this sprint's
        reports those issues stay in it, unfinished."""
        sid = str(sprint_id)
        sql = (
            "SELECT c.issue_id, c.at, c.old, c.new FROM change c"
            " WHERE c.project_id = ? AND c.field = 'sprint' AND c.issue_id IS NOT NULL"
            " AND (c.old = ? OR c.new = ?) AND NOT (c.old = ? AND c.change_set IS NOT NULL"
            "   AND EXISTS (SELECT 1 FROM change k WHERE k.change_set = c.change_set"
            "     AND k.project_id = c.project_id AND k.field = 'sprint_state'"
            "     AND k.new = 'closed'))"
            " ORDER BY c.id"
        )
        out = []
        for issue_id, at, old, new in self._rows(sql, (project_id, sid, sid, sid)):
            if (old == sid) != (new == sid):
                out.append((int(issue_id), convert._time(at), new == sid))
        return out

    def issue_histories(
        self, issue_ids: Sequence[int]
    ) -> tuple[dict[int, tuple[int, int, float | None, dt.datetime]], list[tuple[Any, ...]]]:
        """For a sprint's few issues: {id: (number, status id, estimate, created)} now, and
        their status and estimate changes (issue id, when, field, old, new), oldest first."""
        if not issue_ids:
            return {}, []
        ids = ", ".join(str(int(i)) for i in issue_ids)
        now = self._rows(
            f"SELECT id, number, status_id, estimate, created_at FROM issue WHERE id IN ({ids})", ()
        )
        issues = {
            int(i): (int(n), int(s), None if e is None else float(e), convert._time(c))
            for i, n, s, e, c in now
        }
        changes = self._rows(
            "SELECT issue_id, at, field, old, new FROM change"
            f" WHERE issue_id IN ({ids}) AND field IN ('status', 'estimate') ORDER BY id",
            (),
        )
        return issues, [(int(i), convert._time(a), f, o, n) for i, a, f, o, n in changes]

    # -- work logs (schema of migration 0013) ---------------------------------------------------
    def logged(self, project_id: int, first: dt.date, last: dt.date) -> list[tuple[str, int, int]]:
        """(user name, issue number, minutes) logged on days first..last, by person then issue."""
        sql = (
            "SELECT u.username, i.number, SUM(w.minutes) FROM worklog w"
            " JOIN issue i ON i.id = w.issue_id JOIN app_user u ON u.id = w.user_id"
            " WHERE i.project_id = ? AND w.on_date >= ? AND w.on_date <= ?"
            " GROUP BY u.username, i.number ORDER BY u.username, i.number"
        )
        params = (project_id, self._value(first, ""), self._value(last, ""))
        return [(str(u), int(n), int(m)) for u, n, m in self._rows(sql, params)]
