"""Writes on a secured database: only the columns a user may set, and the history read back."""

from __future__ import annotations

from typing import Any

from tracker_gui.domain.models import Change
from tracker_gui.storage import convert
from tracker_gui.storage.database import Database
from tracker_gui.storage.tables import ChangeRow

# Set by the BEFORE triggers of a secured database; a client may not even name them.
SERVER_COLUMNS = frozenset(
    {
        "id",
        "number",
        "reporter",
        "author",
        "uploader",
        "version",
        "created_at",
        "updated_at",
        "resolved_at",
        "edited_at",
        "archived",
    }
)


def client_values(values: dict[str, Any], *, keep: frozenset[str] = frozenset()) -> dict[str, Any]:
    """`values` without the columns the server sets (except those in `keep`)."""
    return {k: v for k, v in values.items() if k not in SERVER_COLUMNS or k in keep}


def insert(database: Database, model: Any, values: dict[str, Any]) -> int:
    """INSERT exactly these columns (peewee would add its Python defaults) and return the id."""
    fields = model._meta.fields
    names = [fields[k].column_name for k in values]
    params = [fields[k].db_value(v) for k, v in values.items()]
    columns = ", ".join(f'"{n}"' for n in names)
    marks = ", ".join(["%s"] * len(names))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks}) RETURNING "id"'
    return int(database.peewee.execute_sql(sql, params).fetchone()[0])


def insert_row(database: Database, model: Any, values: dict[str, Any]) -> int:
    """INSERT one row and return its id: all of `values` on a local file or plain server; on a
    secured database only the columns a client may name (its triggers set the rest)."""
    if database.server_managed:
        return insert(database, model, client_values(values))
    return int(model.insert(**values).execute())


def delete_through(database: Database, function: str, *args: Any) -> int:
    """A secured database's delete: the users hold no DELETE (it would allow LOCK ... ACCESS
    EXCLUSIVE), so a definer function of sql_deletes checks the role and deletes. Rows gone."""
    marks = ", ".join(["%s"] * len(args))
    row = database.peewee.execute_sql(f"SELECT public.{function}({marks})", args).fetchone()
    return int(row[0] or 0) if row else 0


def changes_of_transaction(database: Database) -> list[Change]:
    """The Change rows the triggers wrote in this transaction so far, oldest first.

    Deferred history (label sets, a new issue's snapshot, the workflow) is written now, then
    deferral is switched back on for whatever the transaction does next.
    """
    if database.take_changes:  # one round trip (sql_helpers.tracker_take_changes)
        rows = database.peewee.execute_sql(
            'SELECT id, project_id, issue_id, actor, "at", field, "old", "new", change_set'
            " FROM public.tracker_take_changes()"
        )
        return [convert.change_tuple(r) for r in rows]
    pw = database.peewee
    pw.execute_sql("SET CONSTRAINTS ALL IMMEDIATE")
    row = pw.execute_sql("SELECT current_setting('tracker.changes', true)").fetchone()
    pw.execute_sql("SELECT set_config('tracker.changes', '', true)")
    pw.execute_sql("SET CONSTRAINTS ALL DEFERRED")
    ids = [int(part) for part in str(row[0] or "").split(",") if part] if row else []
    if not ids:
        return []
    query = ChangeRow.select().where(ChangeRow.id.in_(ids)).order_by(ChangeRow.id)
    return [convert.change(r) for r in query]
