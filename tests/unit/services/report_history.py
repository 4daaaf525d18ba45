"""A scripted history for the report tests: real service calls, each placed at a known instant.

The services stamp what they write with the real time (PostgreSQL's own clock on a secured
server, where no client may forge history), so `Script.at(when)` is the clock the tests inject:
after each action it re-stamps the rows that action wrote (its Change rows, a new issue's
created/updated time) with `when`, as the database owner. The reports read only those stamps.

Sprints and work logs go through `services.sprints` and `WorklogService` too; starting and
closing a sprint also stamp its `started_at` / `closed_at` with the same instant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker_gui.domain.models import Issue, NewIssue
from tracker_gui.services import Services
from tracker_gui.services.worklogs import WorklogService


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

    def mark(self) -> int:
        """Where the change log ends now: `stamp_since(mark, ...)` dates what came after it."""
        return self._last_change()

    def stamp_since(self, mark: int, when: dt.datetime, sprint: str | None = None) -> None:
        """Date everything written after `mark` by someone else (the CLI, another process)
        with `when`: its Change rows, the issues it created and, given `sprint`, that
        sprint's start or close time (whichever `sprint_state` row it wrote)."""
        made = self.sql("SELECT issue_id FROM change WHERE id > ? AND field = 'created'", (mark,))
        states = self.sql("SELECT new FROM change WHERE id > ? AND field = 'sprint_state'", (mark,))
        self._stamp(mark, when)
        for (issue_id,) in made:
            self._stamp(mark, when, int(issue_id))
        for (state,) in states:
            assert sprint is not None, "say which sprint was started or closed"
            column = {"active": "started_at", "closed": "closed_at"}[state]
            self._stamp_sprint(sprint, column, when)

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

    # -- sprints and work logs: the real services, dated like the rest ---------------------------
    def _stamp_sprint(self, name: str, column: str, when: dt.datetime) -> None:
        if name not in self.sprints:
            self.sprints[name] = self.services.sprints.find(self.key, name).id
        text: Any = when.isoformat(sep=" ") if self.services.database.is_sqlite else when
        self.sql(f"UPDATE sprint SET {column} = ? WHERE id = ?", (text, self.sprints[name]))

    def add_sprint(self, name: str, start: dt.date, end: dt.date) -> int:
        """Plan a sprint (`services.sprints.add`); returns its id."""
        made = self.services.sprints.add(self.key, name, start, end)
        self.sprints[name] = made.id
        return made.id

    def put_in_sprint(self, names: str | list[str], sprint: str | None, when: dt.datetime) -> None:
        """`edit --sprint` / `bulk --sprint` (`services.sprints.set_sprint`; None: the backlog)."""
        ids = [self.issues[n].id for n in ([names] if isinstance(names, str) else names)]
        mark = self._last_change()
        self.services.sprints.set_sprint(ids, sprint)
        self._stamp(mark, when)

    def start_sprint(self, name: str, when: dt.datetime) -> None:
        mark = self._last_change()
        self.services.sprints.start(self.key, name)
        self._stamp(mark, when)
        self._stamp_sprint(name, "started_at", when)

    def close_sprint(self, name: str, when: dt.datetime, carry_to: str | None = None) -> None:
        """`sprint close [--carry-to]`: the unfinished issues go to `carry_to` or the backlog."""
        mark = self._last_change()
        self.services.sprints.close(self.key, name, carry_to)
        self._stamp(mark, when)
        self._stamp_sprint(name, "closed_at", when)

    def log_work(self, name: str, user: str, on: dt.date, minutes: int) -> None:
        """`tracker-gui log KEY DURATION --on DAY` as `user`."""
        logs = WorklogService.of(self.services)
        logs.actor = user
        mark = self._last_change()
        logs.log(self.issues[name].id, minutes, on)
        self._stamp(mark, dt.datetime.combine(on, dt.time(17)))
