"""Reserving a block of issue numbers for one bulk write, on every backend."""

from __future__ import annotations

from tracker_gui.errors import StorageError
from tracker_gui.storage.database import Database
from tracker_gui.storage.postgres import sql_numbers

# Columns of a bulk-written issue a secured database never takes from a client (no grant):
# it draws the id and starts every version at 1 itself.
NEVER_NAMED = frozenset({"id", "version"})


def reserve(database: Database, project_id: int, count: int) -> int:
    """The first of `count` numbers taken at once; the project row stays locked until the
    transaction ends, so no one else numbers an issue of the project meanwhile.

    A secured database takes them through tracker_reserve_numbers (sql_numbers): it checks
    the caller may create issues there and lets the insert trigger keep exactly these numbers.
    """
    pw = database.peewee
    if database.server_managed:
        _require_function(database)
    else:
        mark = pw.param
        row = pw.execute_sql(
            f'UPDATE "project" SET "next_number" = "next_number" + {mark}'
            f' WHERE "id" = {mark} RETURNING "next_number"',
            [count, project_id],
        ).fetchone()
        if row is None:
            raise StorageError(f"project {project_id} is gone", "try again")
        return int(row[0]) - count
    row = pw.execute_sql(
        "SELECT public.tracker_reserve_numbers(%s, %s)", (project_id, count)
    ).fetchone()
    return int(row[0])


def reserve_through(database: Database, project_id: int, top: int) -> None:
    """Let a secured database keep the numbers up to `top` that a write names itself (a
    restore, an import keeping its file's keys) in a project this transaction created: no one
    else can number an issue there before it commits. Elsewhere rows keep any number anyway."""
    if not database.server_managed:
        return
    _require_function(database)
    database.peewee.execute_sql(
        "SELECT public.tracker_reserve_numbers(p.id, greatest(0, %s - p.next_number + 1))"
        " FROM public.project AS p WHERE p.id = %s",
        (top, project_id),
    )


def _require_function(database: Database) -> None:
    present = database.peewee.execute_sql(
        "SELECT to_regprocedure(%s) IS NOT NULL", (f"public.{sql_numbers.RESERVE}",)
    ).fetchone()
    if not (present and present[0]):
        raise StorageError(
            f"{database.label} is secured by an older version of Tracker that cannot import"
            " or add demo issues",
            "ask an administrator to run `tracker-gui admin setup-postgres` again",
        )
