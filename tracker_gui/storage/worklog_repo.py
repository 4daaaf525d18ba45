"""Work logs in and out, an issue's time totals, and a project's work calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from peewee import fn

from tracker_gui.domain.durations import WorkCalendar
from tracker_gui.domain.worklogs import TimeSpent, WorkLog, remaining
from tracker_gui.storage import bulk, convert
from tracker_gui.storage.database import Database
from tracker_gui.storage.postgres import writes
from tracker_gui.storage.tables import IssueRow, ProjectRow, UserRow, WorklogRow, rows, utcnow


def _entry(row: Any) -> WorkLog:
    return WorkLog(
        id=int(row.id),
        issue_id=int(row.issue_id),
        user=row.user_name,
        on=convert._date(row.on_date) or dt.date.min,
        minutes=int(row.minutes),
        note=row.note or "",
        created_at=convert._time(row.created_at),
    )


class WorklogRepo:
    """Rows of `worklog`; callers own the transaction (reads open their own if none is)."""

    def __init__(self, database: Database) -> None:
        self.db = database

    def _select(self) -> Any:
        return (
            WorklogRow.select(WorklogRow, UserRow.username.alias("user_name"))
            .join(UserRow, on=(WorklogRow.user == UserRow.id))
            .objects()
        )

    # -- reads ---------------------------------------------------------------------------
    def entries(self, issue_id: int) -> list[WorkLog]:
        """An issue's logs, oldest day first (then as entered)."""
        with self.db.reading():
            query = self._select().where(WorklogRow.issue == issue_id)
            return [_entry(r) for r in query.order_by(WorklogRow.on_date, WorklogRow.id)]

    def entry(self, worklog_id: int) -> WorkLog | None:
        with self.db.reading():
            row = self._select().where(WorklogRow.id == worklog_id).first()
            return _entry(row) if row is not None else None

    def all_entries(self, issue_ids: Sequence[int] | None = None) -> list[WorkLog]:
        """Every log the login may read (of `issue_ids` only, when given), by id."""
        with self.db.reading():
            query = self._select().order_by(WorklogRow.id)
            if issue_ids is not None:
                out: list[WorkLog] = []
                for start in range(0, len(issue_ids), 500):
                    chunk = list(issue_ids[start : start + 500])
                    out += [_entry(r) for r in query.where(WorklogRow.issue.in_(chunk))]
                return sorted(out, key=lambda w: w.id)
            return [_entry(r) for r in query]

    def calendar(self, project_id: int) -> WorkCalendar:
        with self.db.reading():
            row = (
                ProjectRow.select(ProjectRow.work_day_minutes, ProjectRow.week_days)
                .where(ProjectRow.id == project_id)
                .tuples()
                .first()
            )
        if row is None:
            return WorkCalendar()
        try:
            return WorkCalendar(int(row[0]), int(row[1]))
        except ValueError:  # a row the app did not write (SQLite has no CHECK on old files)
            return WorkCalendar()

    def spent(self, issue_ids: Sequence[int]) -> dict[int, TimeSpent]:
        """Logged and remaining minutes of each issue (every asked id the login may read)."""
        out: dict[int, TimeSpent] = {}
        with self.db.reading():
            for start in range(0, len(issue_ids), 500):
                chunk = list(issue_ids[start : start + 500])
                sums = dict(
                    rows(
                        WorklogRow.select(WorklogRow.issue, fn.SUM(WorklogRow.minutes))
                        .where(WorklogRow.issue.in_(chunk))
                        .group_by(WorklogRow.issue)
                        .tuples()
                    )
                )
                for iid, estimate, set_minutes in rows(
                    IssueRow.select(IssueRow.id, IssueRow.estimate, IssueRow.remaining_minutes)
                    .where(IssueRow.id.in_(chunk))
                    .tuples()
                ):
                    total = int(sums.get(iid) or 0)
                    left = remaining(estimate, total, set_minutes)
                    out[int(iid)] = TimeSpent(int(iid), total, left, set_minutes is not None)
        return out

    def pages(self, size: int = 5000) -> Iterator[list[WorkLog]]:
        """Every log the login may read, by id, `size` at a time (an export streams them)."""
        last = 0
        while True:
            with self.db.reading():
                query = self._select().where(WorklogRow.id > last).order_by(WorklogRow.id)
                page = [_entry(r) for r in query.limit(size)]
            if not page:
                return
            yield page
            last = page[-1].id

    def remaining_of(self, issue_ids: Sequence[int]) -> dict[int, int]:
        """The remaining time set by hand on those of these issues that have one."""
        out: dict[int, int] = {}
        with self.db.reading():
            for start in range(0, len(issue_ids), 500):
                chunk = list(issue_ids[start : start + 500])
                query = IssueRow.select(IssueRow.id, IssueRow.remaining_minutes).where(
                    IssueRow.id.in_(chunk) & IssueRow.remaining_minutes.is_null(False)
                )
                out.update((int(i), int(m)) for i, m in rows(query.tuples()))
        return out

    def restore_remaining(self, values: dict[int, int]) -> None:
        """Remaining times a restore brings (its history says how they came to be)."""
        for issue_id, minutes in values.items():
            IssueRow.update(remaining_minutes=minutes).where(IssueRow.id == issue_id).execute()

    def remaining_set(self, issue_id: int) -> int | None:
        with self.db.reading():
            row = (
                IssueRow.select(IssueRow.remaining_minutes)
                .where(IssueRow.id == issue_id)
                .tuples()
                .first()
            )
        return None if row is None or row[0] is None else int(row[0])

    # -- writes --------------------------------------------------------------------------
    def insert(
        self,
        issue_id: int,
        user_id: int,
        on: dt.date,
        minutes: int,
        note: str,
        created_at: dt.datetime | None = None,
    ) -> int:
        """A new log. A secured database writes the caller as its user, now (its trigger):
        the client does not even name those columns (the grant leaves them out)."""
        values: dict[str, Any] = {"issue": issue_id, "on_date": on, "minutes": minutes}
        values["note"] = note
        if self.db.server_managed:
            return writes.insert(self.db, WorklogRow, values)
        values["user"] = user_id
        if created_at is not None:
            values["created_at"] = created_at
        return int(WorklogRow.insert(**values).execute())

    def insert_many(
        self, items: Iterable[tuple[int, int, dt.date, int, str, dt.datetime | None]]
    ) -> None:
        """(issue id, user id, day, minutes, note, created_at or None: now) rows for restores
        and demos; a secured database makes each the caller's, written now."""
        if self.db.server_managed:
            mine = ("issue", "on_date", "minutes", "note")
            bulk.insert(self.db, WorklogRow, mine, ((r[0], r[2], r[3], r[4]) for r in items))
            return
        keys = ("issue", "user", "on_date", "minutes", "note", "created_at")
        now = utcnow()
        bulk.insert(self.db, WorklogRow, keys, ((*r[:5], r[5] or now) for r in items))

    def delete(self, worklog_id: int) -> int:
        """Rows removed; on a secured database through tracker_delete_worklog (who may)."""
        if self.db.server_managed:
            return writes.delete_through(self.db, "tracker_delete_worklog", worklog_id)
        return int(WorklogRow.delete().where(WorklogRow.id == worklog_id).execute())

    def set_calendar(self, project_id: int, calendar: WorkCalendar) -> int:
        """Rows changed: 0 when the project is gone or (secured) the caller is no admin of it."""
        query = ProjectRow.update(
            work_day_minutes=calendar.day_minutes, week_days=calendar.week_days
        ).where(ProjectRow.id == project_id)
        return int(query.execute())
