"""Issue rows in and out: search, board pages, counts, inserts and versioned updates."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from peewee import fn

from tracker_gui.domain.cards import Card
from tracker_gui.domain.models import (
    Change,
    Issue,
    IssueFilter,
)
from tracker_gui.domain.query import QueryContext, parse
from tracker_gui.storage import bulk, convert, filtering, issue_rows, search
from tracker_gui.storage.database import Database
from tracker_gui.storage.issue_extras_repo import IssueExtrasRepo
from tracker_gui.storage.issue_ranks_repo import IssueRanksRepo
from tracker_gui.storage.postgres import number_blocks, writes
from tracker_gui.storage.prepared import CompiledCache, Prepared
from tracker_gui.storage.tables import (
    ChangeRow,
    IssueLabelRow,
    IssueRow,
    LabelRow,
    ProjectRow,
    StatusRow,
    rows,
    utcnow,
)

_CHUNK = 500
_LABELS_SQL = (
    'SELECT il."issue_id", l."name" FROM "issue_label" AS il '
    'JOIN "label" AS l ON l."id" = il."label_id" '
    'WHERE il."issue_id" IN ({marks}) ORDER BY l."name"'
)


class IssueRepo(IssueRanksRepo, IssueExtrasRepo):
    """Issue rows in and out; returns domain dataclasses, never peewee rows."""

    def __init__(self, database: Database) -> None:
        self.db = database
        # Who `me` is and which day it is in queries: IssueService sets `me` to its actor.
        self.me: str | None = None
        self.clock: Callable[[], dt.date] = dt.date.today
        self._compiled = CompiledCache()
        # Hot single-row reads (every move reads its issue twice and its column's last rank).
        self._by_id = Prepared(
            database,
            lambda issue: filtering.base_query(with_description=True).where(IssueRow.id == issue),
        )
        self._labels_of = Prepared(
            database,
            lambda issue: (
                IssueLabelRow.select(IssueLabelRow.issue, LabelRow.name)
                .join(LabelRow, on=(IssueLabelRow.label == LabelRow.id))
                .where(IssueLabelRow.issue == issue)
                .order_by(LabelRow.name)
            ),
        )
        self._last_rank = Prepared(
            database,
            lambda status: IssueRow.select(fn.MAX(IssueRow.rank)).where(IssueRow.status == status),
        )
        # Statement text of the hot writes, by the columns they set.
        self._texts = CompiledCache(size=64)
        self._ranks = Prepared(
            database,
            lambda status: IssueRow.select(fn.MIN(IssueRow.rank), fn.MAX(IssueRow.rank)).where(
                IssueRow.status == status
            ),
        )

    def query_context(self) -> QueryContext:
        if self.me is None:
            self.me = self.db.session_user()
        return QueryContext(self.me, self.clock())

    def _where(self, flt: IssueFilter, ctx: QueryContext | None) -> Any:
        return filtering.where(flt, not self.db.is_sqlite, ctx or self.query_context())

    # -- reads ---------------------------------------------------------------------------
    def _labels_for(
        self, ids: Sequence[int], scope: tuple[str, tuple[Any, ...]] | None = None
    ) -> dict[int, tuple[str, ...]]:
        """Label names per issue; `scope` (the SQL of the issue ids) replaces long IN lists."""
        found: dict[int, list[str]] = defaultdict(list)
        if scope is not None and len(ids) > _CHUNK:
            wanted = set(ids)
            scope_sql, scope_params = scope
            cursor = self.db.peewee.execute_sql(
                _LABELS_SQL.format(marks=scope_sql), list(scope_params)
            )
            for issue_id, name in cursor:
                if issue_id in wanted:
                    found[issue_id].append(name)
        else:
            # Plain text with one placeholder per id: peewee would build (and walk) a node
            # per id, which cost ~10x the query itself on a page of search hits.
            for start in range(0, len(ids), _CHUNK):
                chunk = list(ids[start : start + _CHUNK])
                marks = ", ".join([self.db.peewee.param] * len(chunk))
                cursor = self.db.peewee.execute_sql(_LABELS_SQL.format(marks=marks), chunk)
                for issue_id, name in cursor:
                    found[issue_id].append(name)
        return {k: tuple(v) for k, v in found.items()}

    def _materialise(self, query: Any) -> list[Issue]:
        """Issues from a base_query: raw driver tuples, since peewee's per-value converters
        cost ~3x the query itself on a 100,000-issue list and convert.issue parses anyway."""
        found = list(self.db.peewee.execute(query))
        labels = self._labels_for([r[0] for r in found])
        return [convert.issue(r, labels.get(r[0], ())) for r in found]

    def get(self, issue_id: int) -> Issue | None:
        """One issue with its description and labels, in one statement."""
        with self.db.reading():
            sql = (
                issue_rows.ONE_ISSUE_SQLITE if self.db.is_sqlite else issue_rows.ONE_ISSUE_POSTGRES
            )
            found = self.db.peewee.execute_sql(sql, [issue_id]).fetchone()
            if found is None:
                return None
            return convert.issue(found[:-1], issue_rows.label_names(found[-1]))

    def get_moving(
        self, issue_id: int, status_id: int
    ) -> tuple[Issue | None, str | None, int | None]:
        """The issue (as get()), the last rank in `status_id` and, on PostgreSQL, the
        workflow's token (catalog_cache), in one statement: a status change reads them all
        before its transaction."""
        sqlite = self.db.is_sqlite
        sql = issue_rows.MOVING_SQLITE if sqlite else issue_rows.MOVING_POSTGRES
        with self.db.reading():
            found = self.db.peewee.execute_sql(sql, [status_id, issue_id]).fetchone()
            return issue_rows.moving(found, with_token=not sqlite)

    def find_by_key(self, project_key: str, number: int) -> Issue | None:
        with self.db.reading():
            query = filtering.base_query(with_description=True).where(
                (ProjectRow.key == project_key) & (IssueRow.number == number)
            )
            found = self._materialise(query)
            return found[0] if found else None

    def search(
        self,
        flt: IssueFilter,
        *,
        sort: str | None = "key",
        offset: int = 0,
        limit: int | None = None,
        with_description: bool = False,
        ctx: QueryContext | None = None,
    ) -> list[Issue]:
        """`sort=None` lets the query decide: its `sort:` term, else relevance to its words
        (bm25 | ts_rank) when it has any, else key order."""
        ctx = ctx or self.query_context()
        options = (sort, offset, limit, with_description)
        with self.db.reading():
            sql, params, scope, sort_here = self._compiled.get(
                ("search", flt, ctx, options), lambda: self._compile_search(flt, ctx, *options)
            )
            found_rows = list(self.db.peewee.execute_sql(sql, list(params)))
            labels = self._labels_for([r[0] for r in found_rows], scope)
            found = [convert.issue(r, labels.get(r[0], ())) for r in found_rows]
            if sort_here:
                found.sort(key=lambda i: (i.project_key, i.number))
            return found

    def cards(
        self,
        flt: IssueFilter,
        *,
        offset: int = 0,
        limit: int | None = None,
        ctx: QueryContext | None = None,
    ) -> list[Card]:
        """Board cards in rank order: the columns a card shows and its labels, one statement."""
        ctx = ctx or self.query_context()
        with self.db.reading():
            sql, params = self._compiled.get(
                ("cards", flt, ctx, offset, limit),
                lambda: self._compile_cards(flt, ctx, offset, limit),
            )
            cursor = self.db.peewee.execute_sql(sql, list(params))
            return [issue_rows.card(r) for r in cursor.fetchall()]

    def first_pages(
        self,
        flt: IssueFilter,
        status_ids: Sequence[int],
        limit: int,
        ctx: QueryContext | None = None,
    ) -> dict[int, list[Card]]:
        """The first `limit` cards of each status (a board's first screen), one statement."""
        ctx = ctx or self.query_context()
        wanted = tuple(status_ids)
        pages: dict[int, list[Card]] = {sid: [] for sid in wanted}
        if not wanted:
            return pages
        with self.db.reading():
            sql, params = self._compiled.get(
                ("pages", flt, ctx, wanted, limit),
                lambda: self._compile_pages(flt, ctx, wanted, limit),
            )
            for row in self.db.peewee.execute_sql(sql, list(params)).fetchall():
                card = issue_rows.card(row)
                pages[card.status_id].append(card)
        return pages

    def _compile_pages(
        self, flt: IssueFilter, ctx: QueryContext, status_ids: tuple[int, ...], limit: int
    ) -> tuple[str, tuple[Any, ...]]:
        # One LIMITed index range per status, glued with UNION ALL: each part stops after
        # its page (a window function would number every card of the board first).
        parts: list[str] = []
        params: list[Any] = []
        for n, status_id in enumerate(status_ids):
            scoped = dataclasses.replace(flt, status_ids=(status_id,))
            sql, part_params = self._compile_cards(scoped, ctx, 0, limit, labels=False)
            parts.append(f"SELECT * FROM ({sql}) AS p{n}")
            params += part_params
        sql = self._with_labels(" UNION ALL ".join(parts), ("status_id", "rank", "id"))
        return sql, tuple(params)

    def _compile_cards(
        self,
        flt: IssueFilter,
        ctx: QueryContext,
        offset: int,
        limit: int | None,
        *,
        labels: bool = True,
    ) -> tuple[str, tuple[Any, ...]]:
        query = (
            filtering.base_query()
            .select(*filtering.CARD_COLUMNS)
            .where(self._where(flt, ctx))
            .order_by(*filtering.SORTS["rank"])
        )
        if limit is not None:
            query = query.limit(limit).offset(offset)
        inner, params = query.sql()
        if not labels:
            return inner, tuple(params)
        return self._with_labels(inner, ("rank", "id")), tuple(params)

    def _with_labels(self, inner: str, order: tuple[str, ...]) -> str:
        """`inner` (card rows) with each card's labels, in the same statement, over those
        rows only."""
        # SQLite: names joined by NUL, which no name holds (validation refuses it, and
        # PostgreSQL text cannot hold one): splitting is ~3x cheaper than parsing JSON.
        agg = 'group_concat(l."name", char(0))' if self.db.is_sqlite else 'json_agg(l."name")'
        by = ", ".join(f'c."{c}"' for c in order)
        return (
            f'SELECT c.*, (SELECT {agg} FROM "issue_label" AS il '
            'JOIN "label" AS l ON l."id" = il."label_id" WHERE il."issue_id" = c."id") '
            f"FROM ({inner}) AS c ORDER BY {by}"
        )

    def _compile_search(
        self,
        flt: IssueFilter,
        ctx: QueryContext,
        sort: str | None,
        offset: int,
        limit: int | None,
        with_description: bool,
    ) -> tuple[str, tuple[Any, ...], tuple[str, tuple[Any, ...]], bool]:
        """The SQL of one search, the SQL of its matching ids, and whether Python sorts it."""
        condition = self._where(flt, ctx)
        query = filtering.base_query(with_description).where(condition)
        parsed = parse(flt.query) if flt.query else None
        order = sort or (parsed.sort if parsed is not None else None)
        by_rank = None
        if order is None and parsed is not None:
            by_rank = search.ranked(query, parsed, not self.db.is_sqlite)
        # A whole list in key order is sorted here: SQL would sort every matching row in a
        # temporary b-tree on the joined project key, which costs more than Python's sort.
        sort_here = by_rank is None and (order or "key") == "key" and limit is None
        # `is not None`, never truthiness: bool() of a peewee query runs it.
        if by_rank is not None:
            query = by_rank
        elif not sort_here:
            query = query.order_by(*filtering.SORTS[order or "key"])
        if limit is not None:
            query = query.limit(limit).offset(offset)
        sql, params = query.sql()
        scope_sql, scope_params = filtering.base_query().select(IssueRow.id).where(condition).sql()
        return sql, tuple(params), (scope_sql, tuple(scope_params)), sort_here

    def count(self, flt: IssueFilter, ctx: QueryContext | None = None) -> int:
        with self.db.reading():
            query = filtering.count_query(flt, fn.COUNT(IssueRow.id)).where(self._where(flt, ctx))
            return int(query.scalar() or 0)

    def count_by_status(self, flt: IssueFilter, ctx: QueryContext | None = None) -> dict[int, int]:
        ctx = ctx or self.query_context()

        def build() -> tuple[str, tuple[Any, ...]]:
            query = (
                filtering.count_query(flt, IssueRow.status, fn.COUNT(IssueRow.id))
                .where(self._where(flt, ctx))
                .group_by(IssueRow.status)
            )
            sql, params = query.sql()
            return sql, tuple(params)

        with self.db.reading():
            sql, params = self._compiled.get(("counts", flt, ctx), build)
            cursor = self.db.peewee.execute_sql(sql, list(params))
            return {status_id: n for status_id, n in cursor}

    def count_in_status(self, status_id: int) -> int:
        with self.db.reading():
            return int(IssueRow.select().where(IssueRow.status == status_id).count())

    def children(self, issue_id: int) -> list[Issue]:
        with self.db.reading():
            query = (
                filtering.base_query().where(IssueRow.parent == issue_id).order_by(IssueRow.number)
            )
            return self._materialise(query)

    # -- writes (inside Database.transaction) --------------------------------------------
    def next_number(self, project_id: int) -> int:
        """Reserve the next issue number; the row lock serialises concurrent creators.

        A secured database numbers issues in its insert trigger: 0 here is a placeholder.
        """
        if self.db.server_managed:
            return 0
        mark = self.db.peewee.param
        row = self.db.peewee.execute_sql(
            'UPDATE "project" SET "next_number" = "next_number" + 1 '
            f'WHERE "id" = {mark} RETURNING "next_number"',
            [project_id],
        ).fetchone()
        return int(row[0]) - 1

    def reserve_numbers(self, project_id: int, count: int) -> int:
        """The first of `count` consecutive numbers for a bulk write (number_blocks.reserve)."""
        return number_blocks.reserve(self.db, project_id, count)

    def reserve_through(self, project_id: int, top: int) -> None:
        """Numbers up to `top` a bulk write names itself (number_blocks.reserve_through)."""
        number_blocks.reserve_through(self.db, project_id, top)

    def insert(self, values: dict[str, Any]) -> int:
        return writes.insert_row(self.db, IssueRow, values)

    def insert_returning(self, values: dict[str, Any]) -> issue_rows.Written:
        """INSERT one issue and return what the database decided: (id, number, version,
        created_at, updated_at, resolved_at, archived). A secured database sets those in its
        triggers, so only the columns a client may name are sent there."""
        fields = IssueRow._meta.fields
        if self.db.server_managed:
            values = writes.client_values(values)
        else:  # what peewee's insert would add: the columns' Python defaults
            for name, field in fields.items():
                if name not in values and field.default is not None:
                    values = {
                        **values,
                        name: field.default() if callable(field.default) else field.default,
                    }
        names = tuple(values)
        sql = self._texts.get(("insert", names), lambda: self._insert_sql(names))
        params = [fields[k].db_value(v) for k, v in values.items()]
        return issue_rows.written(self.db.peewee.execute_sql(sql, params).fetchone())

    def _insert_sql(self, names: tuple[str, ...]) -> str:
        fields = IssueRow._meta.fields
        columns = ", ".join(f'"{fields[k].column_name}"' for k in names)
        marks = ", ".join([self.db.peewee.param] * len(names))
        return f'INSERT INTO "issue" ({columns}) VALUES ({marks}) RETURNING {issue_rows.WRITTEN}'

    def insert_many(self, rows: Iterable[dict[str, Any]]) -> None:
        """Bulk insert of generated or imported issues; every dict has the same keys."""
        todo = list(rows)
        if todo:
            columns = list(todo[0])
            if self.db.server_managed:  # the server draws ids and starts versions itself
                columns = [c for c in columns if c not in number_blocks.NEVER_NAMED]
            bulk.insert(self.db, IssueRow, columns, ([r[c] for c in columns] for r in todo))

    def keys_for(self, ids: Iterable[int]) -> dict[int, str]:
        """id -> key (TRK-42) for the given issues: parents and link targets in lists."""
        wanted = sorted(set(ids))
        found: dict[int, str] = {}
        with self.db.reading():
            for start in range(0, len(wanted), _CHUNK):
                query = (
                    IssueRow.select(IssueRow.id, ProjectRow.key, IssueRow.number)
                    .join(ProjectRow, on=(IssueRow.project == ProjectRow.id))
                    .where(IssueRow.id.in_(wanted[start : start + _CHUNK]))
                    .tuples()
                )
                found.update((i, f"{key}-{number}") for i, key, number in rows(query))
        return found

    def ids_by_uid(self, uids: Iterable[str]) -> dict[str, int]:
        """uid -> id of the given issues, read from the uid index (after a bulk insert)."""
        wanted = sorted(set(uids))
        found: dict[str, int] = {}
        with self.db.reading():
            for start in range(0, len(wanted), _CHUNK):
                query = (
                    IssueRow.select(IssueRow.uid, IssueRow.id)
                    .where(IssueRow.uid.in_(wanted[start : start + _CHUNK]))
                    .tuples()
                )
                found.update(rows(query))
        return found

    def ids_by_number(self, project_id: int, first: int, last: int) -> dict[int, int]:
        """number -> id for a project's issues numbered first..last (after a bulk insert)."""
        with self.db.reading():
            query = (
                IssueRow.select(IssueRow.number, IssueRow.id)
                .where((IssueRow.project == project_id) & IssueRow.number.between(first, last))
                .tuples()
            )
            return dict(rows(query))

    def update(self, issue_id: int, version: int, values: dict[str, Any]) -> bool:
        """Optimistic write: True when this exact version was updated, False on a conflict."""
        return self.update_returning(issue_id, version, values) is not None

    def update_returning(
        self, issue_id: int, version: int, values: dict[str, Any]
    ) -> issue_rows.Written | None:
        """Optimistic write in one statement: `values` (field name -> value) where the row is
        still at `version`. Returns (id, number, version, created_at, updated_at,
        resolved_at, archived) as written, or None when someone else changed it first."""
        if self.db.server_managed:
            # The trigger bumps version and updated_at; a labels-only edit still needs a SET.
            values = writes.client_values(values, keep=frozenset({"archived"}))
        else:
            values = {**values, "updated_at": utcnow()}
        fields = IssueRow._meta.fields
        names = tuple(values)
        key = ("update", names, self.db.server_managed)
        sql = self._texts.get(key, lambda: self._update_sql(names))
        params = [fields[k].db_value(v) for k, v in values.items()]
        row = self.db.peewee.execute_sql(sql, [*params, issue_id, version]).fetchone()
        return issue_rows.written(row) if row is not None else None

    def _update_sql(self, names: tuple[str, ...]) -> str:
        fields = IssueRow._meta.fields
        mark = self.db.peewee.param
        sets = [f'"{fields[k].column_name}" = {mark}' for k in names]
        if not self.db.server_managed:
            sets.append('"version" = "version" + 1')
        if not sets:
            sets.append('"title" = "title"')
        return (
            f'UPDATE "issue" SET {", ".join(sets)} '
            f'WHERE "id" = {mark} AND "version" = {mark} RETURNING {issue_rows.WRITTEN}'
        )

    def delete(self, issue_id: int, version: int) -> bool:
        orphan: dict[str, Any] = {"parent": None}
        if not self.db.server_managed:
            orphan.update(version=IssueRow.version + 1, updated_at=utcnow())
        IssueRow.update(**orphan).where(IssueRow.parent == issue_id).execute()
        if self.db.server_managed:
            return writes.delete_through(self.db, "tracker_delete_issue", issue_id, version) == 1
        gone = (
            IssueRow.delete()
            .where((IssueRow.id == issue_id) & (IssueRow.version == version))
            .execute()
        )
        return bool(gone == 1)

    def status_project(self, status_id: int) -> int | None:
        row = StatusRow.select(StatusRow.project).where(StatusRow.id == status_id).first()
        return row.project_id if row else None

    def last_change(self, issue_id: int, fields: Sequence[str]) -> Change | None:
        """The newest Change row of the issue for any of `fields` (who set it last, and when)."""
        with self.db.reading():
            row = (
                ChangeRow.select()
                .where((ChangeRow.issue_id == issue_id) & ChangeRow.field.in_(list(fields)))
                .order_by(ChangeRow.id.desc())
                .first()
            )
            return convert.change(row) if row else None
