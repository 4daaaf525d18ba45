"""Sprint rows in and out, and which sprint each issue is in (returns domain dataclasses)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from peewee import fn

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.sprints import Sprint, SprintState
from tracker_gui.storage import convert
from tracker_gui.storage.database import Database
from tracker_gui.storage.postgres import writes
from tracker_gui.storage.tables import IssueRow, SprintRow, StatusRow, rows, utcnow

_CHUNK = 500


def _state(value: Any) -> SprintState:
    try:
        return SprintState(value)
    except ValueError:  # a row no app wrote: shown as planned, never crashing a list
        return SprintState.PLANNED


def _sprint(row: Any, issues: int = 0) -> Sprint:
    return Sprint(
        id=int(row.id),
        project_id=int(row.project_id),
        name=row.name,
        start=convert._date(row.start_date) or dt.date.min,
        end=convert._date(row.end_date) or dt.date.min,
        goal=row.goal or "",
        state=_state(row.state),
        scope_start=row.scope_start,
        scope_close=row.scope_close,
        done_close=row.done_close,
        started_at=convert._opt_time(row.started_at),
        closed_at=convert._opt_time(row.closed_at),
        issues=issues,
    )


class SprintRepo:
    def __init__(self, database: Database) -> None:
        self.db = database

    # -- reads -----------------------------------------------------------------------------
    def sprints(self, project_id: int) -> list[Sprint]:
        """A project's sprints by start day, each with the issues in it now."""
        with self.db.reading():
            counts: dict[Any, Any] = dict(
                rows(
                    IssueRow.select(IssueRow.sprint, fn.COUNT(IssueRow.id))
                    .join(SprintRow, on=(SprintRow.id == IssueRow.sprint))
                    .where((SprintRow.project == project_id) & ~IssueRow.archived)
                    .group_by(IssueRow.sprint)
                    .tuples()
                )
            )
            query = (
                SprintRow.select()
                .where(SprintRow.project == project_id)
                .order_by(SprintRow.start_date, SprintRow.id)
            )
            return [_sprint(r, int(counts.get(r.id, 0))) for r in query]

    def get(self, sprint_id: int) -> Sprint | None:
        with self.db.reading():
            row = SprintRow.get_or_none(SprintRow.id == sprint_id)
            return None if row is None else _sprint(row, self.count(sprint_id)[0])

    def by_name(self, project_id: int, name: str) -> Sprint | None:
        """Whatever the case; compared in Python too (SQLite's lower() knows ASCII only)."""
        wanted = name.strip().casefold()
        for sprint in self.sprints(project_id):
            if sprint.name.casefold() == wanted:
                return sprint
        return None

    def active(self, project_ids: Sequence[int] = ()) -> dict[int, Sprint]:
        """project id -> its active sprint (of these projects, or of every visible one)."""
        with self.db.reading():
            query = SprintRow.select().where(SprintRow.state == SprintState.ACTIVE.value)
            if project_ids:
                query = query.where(SprintRow.project.in_(list(project_ids)))
            return {int(r.project_id): _sprint(r) for r in query}

    def count(self, sprint_id: int) -> tuple[int, int]:
        """(issues in the sprint, of those done), archived ones left out."""
        with self.db.reading():
            found = rows(
                IssueRow.select(StatusRow.category, fn.COUNT(IssueRow.id))
                .join(StatusRow, on=(StatusRow.id == IssueRow.status))
                .where((IssueRow.sprint == sprint_id) & ~IssueRow.archived)
                .group_by(StatusRow.category)
                .tuples()
            )
            by = {str(c): int(n) for c, n in found}
        return sum(by.values()), by.get(StatusCategory.DONE.value, 0)

    def unfinished(self, sprint_id: int) -> list[tuple[int, int]]:
        """(issue id, version) of the sprint's issues not done (nor archived), by number."""
        with self.db.reading():
            return [
                (int(i), int(v))
                for i, v in rows(
                    IssueRow.select(IssueRow.id, IssueRow.version)
                    .join(StatusRow, on=(StatusRow.id == IssueRow.status))
                    .where(
                        (IssueRow.sprint == sprint_id)
                        & ~IssueRow.archived
                        & (StatusRow.category != StatusCategory.DONE.value)
                    )
                    .order_by(IssueRow.number)
                    .tuples()
                )
            ]

    def sprint_ids_of(self, issue_ids: Iterable[int]) -> dict[int, int | None]:
        """issue id -> its sprint id (None: the backlog)."""
        ids = sorted(set(issue_ids))
        out: dict[int, int | None] = {}
        with self.db.reading():
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                query = IssueRow.select(IssueRow.id, IssueRow.sprint).where(IssueRow.id.in_(chunk))
                out.update(
                    {int(i): (None if s is None else int(s)) for i, s in rows(query.tuples())}
                )
        return out

    def every(self) -> list[Sprint]:
        """Every sprint the reader may see, by project and start (an export's list)."""
        with self.db.reading():
            query = SprintRow.select().order_by(
                SprintRow.project, SprintRow.start_date, SprintRow.id
            )
            return [_sprint(r) for r in query]

    def planned_issues(self) -> dict[int, int]:
        """issue id -> sprint id of every issue in a sprint (the backlog's are left out)."""
        with self.db.reading():
            query = IssueRow.select(IssueRow.id, IssueRow.sprint).where(
                IssueRow.sprint.is_null(False)
            )
            return {int(i): int(s) for i, s in rows(query.tuples())}

    def name_of(self, issue_id: int) -> str | None:
        """The name of the issue's sprint (None: the backlog), in one read."""
        with self.db.reading():
            query = (
                SprintRow.select(SprintRow.name)
                .join(IssueRow, on=(IssueRow.sprint == SprintRow.id))
                .where(IssueRow.id == issue_id)
            )
            found = rows(query.tuples())
        return str(found[0][0]) if found else None

    def names(self, sprint_ids: Iterable[int]) -> dict[int, str]:
        ids = sorted(set(sprint_ids))
        if not ids:
            return {}
        with self.db.reading():
            query = SprintRow.select(SprintRow.id, SprintRow.name).where(SprintRow.id.in_(ids))
            return {int(i): str(n) for i, n in rows(query.tuples())}

    # -- writes (inside the caller's transaction) ------------------------------------------
    def insert(self, project_id: int, name: str, start: dt.date, end: dt.date, goal: str) -> int:
        values: dict[str, Any] = {
            "project": project_id,
            "name": name,
            "start_date": start,
            "end_date": end,
            "goal": goal,
        }
        if not self.db.is_sqlite:
            # The trigger (secured) or the column's DEFAULT stamps it; named columns only.
            return writes.insert(self.db, SprintRow, values)
        values.update(state=SprintState.PLANNED.value, created_at=utcnow())
        return int(SprintRow.insert(**values).execute())

    def restore(self, project_id: int, values: dict[str, Any]) -> int:
        """A sprint from a backup, whole (a secured database lets a project admin do so)."""
        row = {"project": project_id, **values}
        if not self.db.is_sqlite:
            return writes.insert(self.db, SprintRow, row)
        return int(SprintRow.insert(**row, created_at=utcnow()).execute())

    def update(self, sprint_id: int, values: dict[str, Any]) -> int:
        return int(SprintRow.update(**values).where(SprintRow.id == sprint_id).execute())

    def set_state(self, sprint_id: int, state: SprintState, figures: dict[str, Any]) -> int:
        """Start or close: a secured database counts and stamps itself (sql_sprints)."""
        values: dict[str, Any] = {"state": state.value}
        if not self.db.server_managed:
            values.update(figures)
        return self.update(sprint_id, values)

    def set_issue_sprint(self, issue_id: int, version: int, sprint_id: int | None) -> int | None:
        """The issue's new version, or None when it is no longer at `version`. Plain SQL: a
        bulk writes thousands, and peewee's statement building was most of their time."""
        mark = self.db.peewee.param
        params: list[Any] = [sprint_id]
        sets = f'"sprint_id" = {mark}'
        if not self.db.server_managed:  # a secured database's trigger bumps both
            sets += f', "version" = "version" + 1, "updated_at" = {mark}'
            params.append(IssueRow.updated_at.db_value(utcnow()))
        sql = (
            f'UPDATE "issue" SET {sets} WHERE "id" = {mark} AND "version" = {mark}'
            ' RETURNING "version"'
        )
        row = self.db.peewee.execute_sql(sql, [*params, issue_id, version]).fetchone()
        return None if row is None else int(row[0])
