"""Copy rows from the server (through the login's own connection: row-level security decides
what comes) into the replica, table by table, keeping the server's ids."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from typing import Any

from tracker_gui.storage import tables
from tracker_gui.storage.database import Database

# Parents before children: what references a row is inserted after it.
ORDER: tuple[type[tables.Base], ...] = (
    tables.UserRow,
    tables.ProjectRow,
    tables.StatusRow,
    tables.TransitionRow,
    tables.LabelRow,
    tables.SprintRow,
    tables.IssueRow,
    tables.IssueLabelRow,
    tables.CommentRow,
    tables.LinkRow,
    tables.WatcherRow,
    tables.SavedFilterRow,
    tables.AttachmentRow,
    tables.ChangeRow,
    tables.WorklogRow,
)
# The per-issue tables re-read with an issue, and the column naming the issue.
ISSUE_CHILDREN: tuple[tuple[type[tables.Base], str], ...] = (
    (tables.IssueLabelRow, "issue_id"),
    (tables.CommentRow, "issue_id"),
    (tables.WatcherRow, "issue_id"),
    (tables.AttachmentRow, "issue_id"),
    (tables.WorklogRow, "issue_id"),
)
PROJECT_PARTS: tuple[type[tables.Base], ...] = (
    tables.StatusRow,
    tables.TransitionRow,
    tables.LabelRow,
    tables.SprintRow,  # few per project: re-read whole, like labels (a start or close names none)
)
# Project parts the server may remove one by one: those gone there go here too.
REMOVABLE_PARTS: tuple[type[tables.Base], ...] = (tables.LabelRow, tables.SprintRow)


def table(model: type[tables.Base]) -> str:
    return str(model._meta.table_name)


def columns(model: type[tables.Base]) -> list[str]:
    return [f.column_name for f in model._meta.sorted_fields]


def key_columns(model: type[tables.Base]) -> list[str]:
    names = getattr(model._meta.primary_key, "field_names", None)
    if names:  # a composite key
        return [model._meta.fields[n].column_name for n in names]
    pk: Any = model._meta.primary_key
    return [str(pk.column_name)]


def timestamps(model: type[tables.Base]) -> list[bool]:
    """Per column: an issue time SQLite keeps as microseconds (tables.Timestamp)."""
    return [isinstance(f, tables.Timestamp) for f in model._meta.sorted_fields]


def stored(value: Any, timestamp: bool) -> Any:
    """A server value as the replica stores it in a column (issue times as microseconds,
    like every local file since migration 10: a text time there would sort wrongly)."""
    if timestamp and value is not None and not isinstance(value, int):
        return tables.micros(value)
    return _local(value)


def _local(value: Any) -> Any:
    """A PostgreSQL value as the replica (SQLite, peewee's formats) stores it."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def read(
    server: Database, model: type[tables.Base], where: str = "", params: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    """The rows of `model` the login may read (optionally `where`), in the model's columns."""
    cols = ", ".join(f'"{c}"' for c in columns(model))
    sql = f'SELECT {cols} FROM "{table(model)}"' + (f" WHERE {where}" if where else "")
    return [tuple(r) for r in server.peewee.execute_sql(sql, tuple(params)).fetchall()]


def put(replica: Database, model: type[tables.Base], rows: Iterable[Sequence[Any]]) -> int:
    """Insert or update `rows` (server column order) by primary key; returns how many."""
    cols = columns(model)
    keys = key_columns(model)
    names = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in cols)
    rest = [c for c in cols if c not in keys]
    conflict = ", ".join(f'"{k}"' for k in keys)
    if rest:
        sets = ", ".join(f'"{c}" = excluded."{c}"' for c in rest)
        tail = f"ON CONFLICT ({conflict}) DO UPDATE SET {sets}"
    else:
        tail = f"ON CONFLICT ({conflict}) DO NOTHING"
    sql = f'INSERT INTO "{table(model)}" ({names}) VALUES ({marks}) {tail}'
    times = timestamps(model)
    count = 0
    for row in rows:
        replica.peewee.execute_sql(
            sql, tuple(stored(v, t) for v, t in zip(row, times, strict=True))
        )
        count += 1
    return count


def delete(replica: Database, model: type[tables.Base], where: str, params: Sequence[Any]) -> None:
    replica.peewee.execute_sql(f'DELETE FROM "{table(model)}" WHERE {where}', tuple(params))


def ids(database: Database, sql: str, params: Sequence[Any] = ()) -> set[int]:
    return {int(r[0]) for r in database.peewee.execute_sql(sql, tuple(params)).fetchall()}


def marks(values: Sequence[Any], mark: str) -> str:
    """`mark, mark, ...` for an IN list (at least one: an empty list matches nothing)."""
    return ", ".join(mark for _ in values) or "NULL"
