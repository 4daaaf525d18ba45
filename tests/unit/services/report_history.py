"""A scripted history for the report tests: real service calls, each placed at a known instant.

The services stamp what they write with the real time (PostgreSQL's own clock on a secured
server, where no client may forge history), so `Script.at(when)` is the clock the tests inject:
after each action it re-stamps the rows that action wrote (its Change rows, a new issue's
created/updated time) with `when`, as the database owner. The reports read only those stamps.

Sprints and work logs: their tables and services come from the `sprints` and `worklog`
branches (PLAN19.md). Until those are merged here, `ensure_plan19_tables` creates the two
tables with PLAN19's DDL and `put_in_sprint`/`log_work` write the rows those services will
write. LEAD: after merging, drop `ensure_plan19_tables` and point the two helpers at
`services.sprints` / `services.worklogs` (marked `# PLAN19-STANDIN`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from tracker_gui.domain.models import Issue, NewIssue
from tracker_gui.services import Services


class Script:
    """Drives `services` and dates what each call wrote (naive UTC instants)."""

    def __init__(self, services: Services, project_key: str = "TRK") -> None:
        self.services = services
        self.key = project_key
        self.project, _ = services.projects.ensure_project(project_key, project_key.title())
        self.issues: dict[str, Issue] = {}
        self.sprints: dict[str, int] = {}

    # -- raw access as the owner ----------------------------------------------------------------
    def sql(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        db = self.services.database
        if not db.is_sqlite:
            sql = sql.replace("?", "%s")
        with db.reading(), db.peewee.atomic():
            if not db.is_sqlite:  # the owner may bypass the history's immutability triggers
                db.peewee.execute_sql("SET LOCAL session_replication_role = replica")
            cursor = db.peewee.execute_sql(sql, params)
            return list(cursor.fetchall()) if cursor.description else []

    def _last_change(self) -> int:
        return int(self.sql("SELECT COALESCE(MAX(id), 0) FROM change")[0][0])

    def _stamp(self, after: int, when: dt.datetime, issue_id: int | None = None) -> None:
        text = when if not self.services.database.is_sqlite else when.isoformat(sep=" ")
        self.sql("UPDATE change SET at = ? WHERE id > ?", (text, after))
        if issue_id is not None:
            value: Any = when
            if self.services.database.is_sqlite:
                value = (when - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1)
            self.sql(
                "UPDATE issue SET created_at = ?, updated_at = ? WHERE id = ?",
                (value, value, issue_id),
            )

    # -- actions ----------------------------------------------------------------------------------
    def create(self, name: str, when: dt.datetime, status: str | None = None, **kw: Any) -> Issue:
        mark = self._last_change()
        issue = self.services.issues.create(
            NewIssue(self.key, f"Issue {name}", status=status, **kw)
        )
        self._stamp(mark, when, issue.id)
        self.issues[name] = issue
        return issue

    def move(self, name: str, status: str, when: dt.datetime) -> None:
        mark = self._last_change()
        issue = self.services.issues.get(self.issues[name].id)
        self.services.issues.transition(issue.id, issue.version, status)
        self._stamp(mark, when)

    def edit(self, name: str, when: dt.datetime, **changes: Any) -> None:
        mark = self._last_change()
        issue = self.services.issues.get(self.issues[name].id)
        self.services.issues.edit(issue.id, issue.version, changes)
        self._stamp(mark, when)

    # -- sprints and work logs (PLAN19-STANDIN: A's and B's services after the merge) --------------
    def add_sprint(
        self, name: str, start: dt.date, end: dt.date, state: str = "planned", **kw: Any
    ) -> int:
        ensure_plan19_tables(self)
        kw.setdefault("created_at", dt.datetime(2026, 1, 1))
        cols = ["project_id", "name", "start_date", "end_date", "state", *kw]
        values = [self.project.id, name, start, end, state, *kw.values()]
        if self.services.database.is_sqlite:
            values = [
                v.isoformat(sep=" ") if isinstance(v, dt.datetime)
                else v.isoformat() if isinstance(v, dt.date) else v
                for v in values
            ]  # fmt: skip
        marks = ", ".join("?" for _ in cols)
        self.sql(f"INSERT INTO sprint ({', '.join(cols)}) VALUES ({marks})", tuple(values))
        self.sprints[name] = int(self.sql("SELECT MAX(id) FROM sprint")[0][0])
        return self.sprints[name]

    def put_in_sprint(self, name: str, sprint_id: int | None, when: dt.datetime) -> None:
        """Log a sprint change as PLAN19 says `edit --sprint` does (`old`/`new`: ids as text)."""
        issue_id = self.issues[name].id
        rows = self.sql(
            "SELECT new FROM change WHERE issue_id = ? AND field = 'sprint' ORDER BY id DESC",
            (issue_id,),
        )
        old = rows[0][0] if rows else None
        new = None if sprint_id is None else str(sprint_id)
        at: Any = when.isoformat(sep=" ") if self.services.database.is_sqlite else when
        self.sql(
            "INSERT INTO change (project_id, issue_id, actor, at, field, old, new)"
            " VALUES (?, ?, ?, ?, 'sprint', ?, ?)",
            (self.project.id, issue_id, self.services.actor, at, old, new),
        )

    def close_sprint(self, sprint_id: int, when: dt.datetime, carry_to: int | None) -> None:
        """Close as PLAN19 says `sprint close --carry-to` does: the unfinished issues move to
        `carry_to` (or the backlog) in the same change set as a `sprint_state` row."""
        done = [
            s.id for s in self.services.projects.statuses(self.project.id) if s.category == "done"
        ]
        members = [
            (issue_id, new)
            for issue_id, new in self.sql(
                "SELECT issue_id, new FROM change WHERE field = 'sprint' AND id IN"
                " (SELECT MAX(id) FROM change WHERE field = 'sprint' GROUP BY issue_id)"
            )
            if new == str(sprint_id)
        ]
        change_set = str(uuid.uuid4())
        at: Any = when.isoformat(sep=" ") if self.services.database.is_sqlite else when
        moved = 0
        for issue_id, _ in members:
            if self.services.issues.get(issue_id).status_id in done:
                continue
            moved += 1
            self.sql(
                "INSERT INTO change (project_id, issue_id, actor, at, field, old, new, change_set)"
                " VALUES (?, ?, ?, ?, 'sprint', ?, ?, ?)",
                (self.project.id, issue_id, self.services.actor, at, str(sprint_id),
                 None if carry_to is None else str(carry_to), change_set),
            )  # fmt: skip
        self.sql(
            "INSERT INTO change (project_id, issue_id, actor, at, field, old, new, change_set)"
            " VALUES (?, NULL, ?, ?, 'sprint_state', 'active', 'closed', ?)",
            (self.project.id, self.services.actor, at, change_set),
        )
        self.sql(
            "UPDATE sprint SET state = 'closed', closed_at = ?, scope_close = ?, done_close = ?"
            " WHERE id = ?",
            (at, len(members), len(members) - moved, sprint_id),
        )

    def log_work(self, name: str, user: str, on: dt.date, minutes: int) -> None:
        ensure_plan19_tables(self)
        user_id = self.services.projects.ensure_user(user).id
        day: Any = on.isoformat() if self.services.database.is_sqlite else on
        now: Any = (
            "2026-01-01 00:00:00" if self.services.database.is_sqlite else dt.datetime(2026, 1, 1)
        )
        self.sql(
            "INSERT INTO worklog (issue_id, user_id, on_date, minutes, note, created_at)"
            " VALUES (?, ?, ?, ?, '', ?)",
            (self.issues[name].id, user_id, day, minutes, now),
        )


def ensure_plan19_tables(script: Script) -> None:
    """PLAN19-STANDIN: the `sprint` and `worklog` tables as migrations 0012/0013 define them,
    when this branch does not have them yet."""
    sqlite = script.services.database.is_sqlite
    auto = "INTEGER PRIMARY KEY AUTOINCREMENT" if sqlite else "BIGSERIAL PRIMARY KEY"
    stamp = "TEXT" if sqlite else "timestamp"
    script.sql(
        f"CREATE TABLE IF NOT EXISTS sprint (id {auto},"
        " project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,"
        " name VARCHAR(60) NOT NULL, start_date DATE NOT NULL, end_date DATE NOT NULL,"
        " goal TEXT NOT NULL DEFAULT '', state VARCHAR(8) NOT NULL DEFAULT 'planned'"
        "   CHECK (state IN ('planned', 'active', 'closed')),"
        " scope_start INTEGER, scope_close INTEGER, done_close INTEGER,"
        f" started_at {stamp}, closed_at {stamp}, created_at {stamp},"
        " CHECK (end_date >= start_date))"
    )
    script.sql(
        f"CREATE TABLE IF NOT EXISTS worklog (id {auto},"
        " issue_id INTEGER NOT NULL REFERENCES issue (id) ON DELETE CASCADE,"
        " user_id INTEGER NOT NULL REFERENCES app_user (id),"
        " on_date DATE NOT NULL, minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 100000),"
        f" note TEXT NOT NULL DEFAULT '', created_at {stamp})"
    )
