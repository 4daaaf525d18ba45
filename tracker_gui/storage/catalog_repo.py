"""Projects, workflow, users, labels, saved filters and the Change log. Callers own transactions."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from peewee import SQL, fn

from tracker_gui.domain.models import (
    Change,
    Label,
    Project,
    SavedFilter,
    Status,
    Transition,
    User,
)
from tracker_gui.domain.workflow import Workflow
from tracker_gui.errors import PermissionDeniedError
from tracker_gui.storage import bulk, catalog_cache, convert
from tracker_gui.storage.database import Database
from tracker_gui.storage.postgres import writes
from tracker_gui.storage.prepared import CompiledCache, Prepared
from tracker_gui.storage.tables import (
    ChangeRow,
    LabelRow,
    ProjectRow,
    SavedFilterRow,
    StatusRow,
    TransitionRow,
    UserRow,
    utcnow,
)


class CatalogRepo:
    """Everything but issue rows; returns domain dataclasses."""

    def __init__(self, database: Database) -> None:
        self.db = database
        # Read on every move (the workflow check): compiled once.
        self._statuses = Prepared(
            database,
            lambda project: (
                StatusRow.select()
                .where(StatusRow.project == project)
                .order_by(StatusRow.position, StatusRow.id)
            ),
        )
        self._transitions = Prepared(
            database, lambda project: TransitionRow.select().where(TransitionRow.project == project)
        )
        self._texts = CompiledCache(size=_CHANGES_PER_INSERT)  # INSERT text per row count

    # -- kept between calls (storage.catalog_cache): what every create and move reads -----
    def workflow(self, project_id: int, token: int | None = None) -> Workflow:
        """The project's statuses and transitions, reused until the workflow changes
        (`token`: catalog_cache's token, read by the caller just now; None: read it here)."""
        return catalog_cache.cached(
            self.db,
            ("workflow", project_id),
            lambda: Workflow(self.statuses(project_id), self.transitions(project_id)),
            logged=True,
            token=token,
        )

    def project_id(self, key: str) -> int | None:
        """The id of the project with this key (None: no such project)."""

        def load() -> int | None:
            found = self.project_by_key(key)
            return found.id if found else None

        return catalog_cache.cached(self.db, ("project", key), load, logged=True)

    def user_id(self, username: str) -> int | None:
        """A user's id by exact name (None: unknown)."""

        def load() -> int | None:
            found = self.user(username)
            return found.id if found else None

        return catalog_cache.cached(self.db, ("user", username), load, logged=False)

    def labels_by_name(self, project_id: int) -> dict[str, Label]:
        """The project's labels by lower-case name (the match label_by_name makes)."""

        def load() -> dict[str, Label]:
            return {label.name.lower(): label for label in self.labels(project_id)}

        return catalog_cache.cached(self.db, ("labels", project_id), load, logged=False)

    # -- users ---------------------------------------------------------------------------
    def users(self) -> list[User]:
        with self.db.reading():
            return [convert.user(r) for r in UserRow.select().order_by(UserRow.username)]

    def user(self, username: str) -> User | None:
        with self.db.reading():
            row = UserRow.get_or_none(UserRow.username == username)
            return convert.user(row) if row else None

    def insert_user(self, username: str, display_name: str, email: str = "") -> User:
        catalog_cache.changed(self.db)
        values = {"username": username, "display_name": display_name, "email": email}
        uid = writes.insert_row(self.db, UserRow, values)
        return User(uid, username, display_name or username, email)

    def update_user(self, user_id: int, display_name: str, email: str) -> None:
        catalog_cache.changed(self.db)
        UserRow.update(display_name=display_name, email=email).where(
            UserRow.id == user_id
        ).execute()

    # -- projects ------------------------------------------------------------------------
    def projects(self, include_archived: bool = False) -> list[Project]:
        with self.db.reading():
            query = ProjectRow.select().order_by(ProjectRow.key)
            if not include_archived:
                query = query.where(ProjectRow.archived == False)  # noqa: E712
            return [convert.project(r) for r in query]

    def project_by_key(self, key: str) -> Project | None:
        with self.db.reading():
            row = ProjectRow.get_or_none(ProjectRow.key == key)
            return convert.project(row) if row else None

    def project(self, project_id: int) -> Project | None:
        with self.db.reading():
            row = ProjectRow.get_or_none(ProjectRow.id == project_id)
            return convert.project(row) if row else None

    def insert_project(self, key: str, name: str, description: str = "") -> Project:
        catalog_cache.changed(self.db)
        pid = ProjectRow.insert(key=key, name=name, description=description).execute()
        return Project(int(pid), key, name, description)

    def _touched(self, count: int, what: str) -> None:
        """On a secured database row-level security skips rows a role may not write."""
        if self.db.server_managed and count == 0:
            raise PermissionDeniedError(f"not allowed: {what} needs a project admin")

    def update_project(self, project_id: int, values: dict[str, Any]) -> None:
        catalog_cache.changed(self.db)
        n = ProjectRow.update(**values).where(ProjectRow.id == project_id).execute()
        self._touched(n, "changing the project")

    # -- workflow ------------------------------------------------------------------------
    def statuses(self, project_id: int) -> list[Status]:
        with self.db.reading():
            sql, params = self._statuses.statement(project_id)
            query = StatusRow.raw(sql, *params)
            return [convert.status(r) for r in query]

    def status(self, status_id: int) -> Status | None:
        with self.db.reading():
            row = StatusRow.get_or_none(StatusRow.id == status_id)
            return convert.status(row) if row else None

    def insert_status(
        self,
        project_id: int,
        name: str,
        category: str,
        position: int,
        wip_limit: int | None = None,
        colour: str = "",
    ) -> int:
        catalog_cache.changed(self.db)
        return int(
            StatusRow.insert(
                project=project_id,
                name=name,
                category=category,
                position=position,
                wip_limit=wip_limit,
                colour=colour,
            ).execute()
        )

    def update_status(self, status_id: int, values: dict[str, Any]) -> None:
        catalog_cache.changed(self.db)
        n = StatusRow.update(**values).where(StatusRow.id == status_id).execute()
        self._touched(n, "changing the workflow")

    def delete_status(self, status_id: int) -> None:
        catalog_cache.changed(self.db)
        if self.db.server_managed:
            n = writes.delete_through(self.db, "tracker_delete_status", status_id)
        else:
            n = StatusRow.delete().where(StatusRow.id == status_id).execute()
        self._touched(n, "changing the workflow")

    def transitions(self, project_id: int) -> list[Transition]:
        with self.db.reading():
            sql, params = self._transitions.statement(project_id)
            query = TransitionRow.raw(sql, *params)
            return [convert.transition(r) for r in query]

    def insert_transitions(self, project_id: int, pairs: Iterable[tuple[int, int]]) -> None:
        """Allowed moves of a project that has none yet (a new project's preset)."""
        rows = [
            {"project": project_id, "from_status": a, "to_status": b} for a, b in sorted(set(pairs))
        ]
        if rows:
            catalog_cache.changed(self.db)
            TransitionRow.insert_many(rows).execute()

    def replace_transitions(self, project_id: int, pairs: Iterable[tuple[int, int]]) -> None:
        catalog_cache.changed(self.db)
        if self.db.server_managed:
            # Deleting rows RLS hides deletes none: ask first, or clearing would pass silently.
            role = self.db.peewee.execute_sql("SELECT tracker_my_role(%s)", (project_id,))
            if role.fetchone()[0] != "admin":
                raise PermissionDeniedError("not allowed: changing the workflow needs an admin")
            writes.delete_through(self.db, "tracker_delete_transitions", project_id)
        else:
            TransitionRow.delete().where(TransitionRow.project == project_id).execute()
        rows = [
            {"project": project_id, "from_status": a, "to_status": b} for a, b in sorted(set(pairs))
        ]
        if rows:
            TransitionRow.insert_many(rows).execute()

    # -- labels --------------------------------------------------------------------------
    def labels(self, project_id: int) -> list[Label]:
        with self.db.reading():
            query = LabelRow.select().where(LabelRow.project == project_id).order_by(LabelRow.name)
            return [convert.label(r) for r in query]

    def label_by_name(self, project_id: int, name: str) -> Label | None:
        with self.db.reading():
            row = LabelRow.get_or_none(
                (LabelRow.project == project_id) & (fn.lower(LabelRow.name) == name.lower())
            )
            return convert.label(row) if row else None

    def insert_label(self, project_id: int, name: str, colour: str = "") -> Label:
        catalog_cache.changed(self.db)
        lid = LabelRow.insert(project=project_id, name=name, colour=colour).execute()
        return Label(int(lid), project_id, name, colour)

    def update_label(self, label_id: int, values: dict[str, Any]) -> None:
        catalog_cache.changed(self.db)
        n = LabelRow.update(**values).where(LabelRow.id == label_id).execute()
        self._touched(n, "renaming a label")

    # -- saved filters -------------------------------------------------------------------
    def saved_filters(self, owner_id: int) -> list[SavedFilter]:
        with self.db.reading():
            query = (
                SavedFilterRow.select(SavedFilterRow, UserRow.username.alias("owner_name"))
                .join(UserRow, on=(SavedFilterRow.owner == UserRow.id))
                .where(SavedFilterRow.owner == owner_id)
                .order_by(SavedFilterRow.name)
                .objects()
            )
            return [convert.saved_filter(r, r.owner_name) for r in query]

    def insert_saved_filter(self, owner_id: int, name: str, query: str) -> int:
        return int(SavedFilterRow.insert(owner=owner_id, name=name, query=query).execute())

    def update_saved_filter(self, filter_id: int, owner_id: int, values: dict[str, Any]) -> bool:
        n = (
            SavedFilterRow.update(**values)
            .where((SavedFilterRow.id == filter_id) & (SavedFilterRow.owner == owner_id))
            .execute()
        )
        return bool(n)

    def delete_saved_filter(self, filter_id: int, owner_id: int) -> bool:
        if self.db.server_managed:
            return bool(writes.delete_through(self.db, "tracker_delete_saved_filter", filter_id))
        n = (
            SavedFilterRow.delete()
            .where((SavedFilterRow.id == filter_id) & (SavedFilterRow.owner == owner_id))
            .execute()
        )
        return bool(n)

    # -- the Change log ------------------------------------------------------------------
    def append_changes(
        self, rows: Sequence[tuple[int, int | None, str, str, str | None, str | None]]
    ) -> list[Change]:
        """Append (project, issue, actor, field, old, new) rows; returns them with ids.

        A secured database writes the same rows itself, in triggers: they are read back.
        """
        if self.db.server_managed:
            return writes.changes_of_transaction(self.db)
        if not rows:
            return []
        if any(row[1] is None for row in rows):
            catalog_cache.changed(self.db)  # project-level rows are workflow and label edits
        at = utcnow()
        change_set = self.db.change_set
        stored_at = ChangeRow.at.db_value(at)
        ids: list[int] = []
        for start in range(0, len(rows), _CHANGES_PER_INSERT):
            chunk = rows[start : start + _CHANGES_PER_INSERT]
            params: list[Any] = []
            for project_id, issue_id, actor, field, old, new in chunk:
                params += (project_id, issue_id, actor, stored_at, field, old, new, change_set)
            build = functools.partial(_change_insert, self.db.peewee.param, len(chunk))
            sql = self._texts.get(len(chunk), build)
            # The rows of one INSERT take ascending ids in the order listed.
            cursor = self.db.peewee.execute_sql(sql, params)
            ids += sorted(int(r[0]) for r in cursor.fetchall())
        return [
            Change(cid, project_id, issue_id, actor, at, field, old, new, change_set)
            for cid, (project_id, issue_id, actor, field, old, new) in zip(ids, rows, strict=True)
        ]

    def append_changes_bulk(
        self,
        rows: Sequence[tuple[int, int | None, str, str, str | None, str | None, Any]],
        change_set: str | None = None,
    ) -> None:
        """Bulk history: (project, issue, actor, field, old, new, at) rows.

        `change_set` names the action (an import passes its transaction's); generated or
        restored history leaves it None, written as NULL on both backends.
        """
        if any(row[1] is None for row in rows):
            catalog_cache.changed(self.db)
        keys = ("project", "issue_id", "actor", "field", "old", "new", "at", "change_set")
        bulk.insert(self.db, ChangeRow, keys, [(*row, change_set) for row in rows])

    def changes_in_sets(
        self, change_sets: Sequence[str], fields: Sequence[str] = (), limit: int = 10_000
    ) -> list[Change]:
        """Every row of these change sets (only `fields` when given), oldest first."""
        if not change_sets:
            return []
        wanted = set(change_sets)
        with self.db.reading():
            if self.db.is_sqlite:
                # The index (migration 9) holds each set's first characters, not the UUID; as
                # literals (not parameters) the expression matches the index's. The planner
                # would scan that index if the whole value were asked in SQL too: Python
                # compares it, on the rows of these sets (and of a rare namesake).
                head = fn.substr(ChangeRow.change_set, SQL("1"), SQL(str(SET_HEAD)))
                query = ChangeRow.select().where(
                    ChangeRow.change_set.is_null(False)
                    & head.in_(sorted({s[:SET_HEAD] for s in wanted}))
                )
            else:
                query = ChangeRow.select().where(ChangeRow.change_set.in_(sorted(wanted)))
            if fields:
                query = query.where(ChangeRow.field.in_(list(fields)))
            rows = [convert.change(r) for r in query.order_by(ChangeRow.id).limit(limit)]
        return [r for r in rows if r.change_set in wanted]

    def changes_since(
        self,
        change_id: int,
        limit: int = 1000,
        project_ids: Sequence[int] = (),
        also: Sequence[int] = (),
    ) -> list[Change]:
        """Rows above `change_id`, plus those of the ids in `also` (below it, not seen yet)."""
        with self.db.reading():
            newer = ChangeRow.id > change_id
            query = ChangeRow.select(*convert.CHANGE_COLUMNS).where(
                newer | ChangeRow.id.in_(list(also)) if also else newer
            )
            if project_ids:
                query = query.where(ChangeRow.project.in_(list(project_ids)))
            # Driver tuples: model instances cost ~3x the query on an import's 10,000 rows.
            sql, params = query.order_by(ChangeRow.id).limit(limit).sql()
            cursor = self.db.peewee.execute_sql(sql, params)
            return [convert.change_tuple(r) for r in cursor.fetchall()]

    def history(self, issue_id: int) -> list[Change]:
        with self.db.reading():
            query = ChangeRow.select().where(ChangeRow.issue_id == issue_id).order_by(ChangeRow.id)
            return [convert.change(r) for r in query]

    def deleted_keys(self, issue_ids: Sequence[int]) -> dict[int, str]:
        """Keys of deleted issues, from their `deleted` rows (the key is the row's `old`);
        on a shared database only rows of projects the reader may see are found."""
        if not issue_ids:
            return {}
        with self.db.reading():
            query = ChangeRow.select(ChangeRow.issue_id, ChangeRow.old).where(
                ChangeRow.issue_id.in_(list(issue_ids)), ChangeRow.field == "deleted"
            )
            return {r.issue_id: str(r.old) for r in query if r.old and r.issue_id is not None}

    def recent_changes(self, limit: int, project_ids: Sequence[int] = ()) -> list[Change]:
        with self.db.reading():
            query = ChangeRow.select()
            if project_ids:
                query = query.where(ChangeRow.project.in_(list(project_ids)))
            rows = list(query.order_by(ChangeRow.id.desc()).limit(limit))
            return [convert.change(r) for r in reversed(rows)]

    def count_changes(self, project_id: int, after: int) -> int:
        """How many Change rows of a project have ids above `after` (that the reader sees)."""
        with self.db.reading():
            query = ChangeRow.select().where(
                (ChangeRow.project == project_id) & (ChangeRow.id > after)
            )
            return int(query.count())

    def last_change_id(self) -> int:
        with self.db.reading():
            value = ChangeRow.select(fn.MAX(ChangeRow.id)).scalar()
            return int(value or 0)


_CHANGES_PER_INSERT = 100  # bounds the parameters per statement and the texts kept
SET_HEAD = 6  # characters of a change set the SQLite index holds (migration 0009's SET_HEAD)
_CHANGE_COLUMNS = ("project_id", "issue_id", "actor", "at", "field", "old", "new", "change_set")


def _change_insert(mark: str, count: int) -> str:
    """One INSERT of `count` Change rows, their ids returned (text kept per count)."""
    columns = ", ".join(f'"{c}"' for c in _CHANGE_COLUMNS)
    one = "(" + ", ".join([mark] * len(_CHANGE_COLUMNS)) + ")"
    values = ", ".join([one] * count)
    return f'INSERT INTO "change" ({columns}) VALUES {values} RETURNING "id"'


__all__ = ["CatalogRepo", "utcnow"]
