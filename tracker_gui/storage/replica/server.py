"""The server side of sync: applied op ids, the pull horizon, and Change rows past a cursor.

The pull cursor is a transaction id, not a Change id: Change ids are drawn when a row is
inserted, so a transaction that commits late can hold smaller ids than rows already read.
`horizon()` is `pg_snapshot_xmin(pg_current_snapshot())`: every transaction older than it
has ended, so nothing below it can still appear. A pull reads the rows of transactions
from its cursor on (those above the horizon that are visible too), and moves the cursor to
the horizon, never further; the rows it has already counted above the horizon are
remembered by id, so a row is counted once however often it is re-read.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker_gui.storage.database import Database


@dataclass(frozen=True)
class ServerChange:
    """One Change row as the pull sees it (the server's own id and transaction id)."""

    id: int
    project_id: int
    issue_id: int | None
    field: str
    actor: str
    txid: int | None
    origin: str | None
    op_id: str | None


def op_applied(database: Database, op_id: str) -> bool:
    """Whether this login already recorded `op_id` (row-level security shows only its own)."""
    return prior_result(database, op_id) is not None


def prior_result(database: Database, op_id: str) -> str | None:
    """What the push that applied `op_id` recorded ('' for nothing), None if it never was."""
    with database.reading():
        row = database.peewee.execute_sql(
            "SELECT coalesce(result, '') FROM sync_op WHERE login = session_user AND op_id = %s",
            (op_id,),
        ).fetchone()
    return None if row is None else str(row[0])


def record_op(database: Database, op_id: str, result: str | None = None) -> bool:
    """Record `op_id` as applied inside the open transaction; False when it already was.

    Same transaction as the op's own rows: both commit or neither does. Two pushes of one op
    at once (the lock should prevent it) meet the unique key; the loser's error rolls it back.
    """
    if database.change_set is None:
        raise RuntimeError("record_op needs the push's transaction open")
    row = database.peewee.execute_sql(
        "INSERT INTO sync_op (op_id, result) VALUES (%s, %s) ON CONFLICT DO NOTHING"
        " RETURNING op_id",
        (op_id, result),
    ).fetchone()
    return row is not None


def fingerprint(database: Database) -> str:
    """Which database this is, beyond its name: a database dropped and made again (or
    restored elsewhere) has other transaction ids, so a copy's cursor means nothing there."""
    row = database.peewee.execute_sql(
        "SELECT oid::text FROM pg_catalog.pg_database WHERE datname = current_database()"
    ).fetchone()
    return str(row[0])


def horizon(database: Database) -> int:
    """The oldest transaction still running (or the next one): the cursor may move up to it."""
    row = database.peewee.execute_sql(
        "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
    ).fetchone()
    return int(row[0])


def last_change(database: Database, issue_id: int, field: str) -> tuple[str, str] | None:
    """(actor, at as ISO text) of the newest Change row of this issue's field: who set the
    value a conflict calls "theirs", and when."""
    row = database.peewee.execute_sql(
        'SELECT actor, "at" FROM "change" WHERE issue_id = %s AND field = %s'
        " ORDER BY id DESC LIMIT 1",
        (issue_id, field),
    ).fetchone()
    return None if row is None else (str(row[0]), row[1].isoformat(sep=" "))


def max_change_id(database: Database) -> int:
    row = database.peewee.execute_sql('SELECT coalesce(max(id), 0) FROM "change"').fetchone()
    return int(row[0])


def changes_from(database: Database, cursor: int, page: int = 50_000) -> list[ServerChange]:
    """Every Change row (the login may read) of transactions with id >= `cursor`, by id;
    read a page at a time, all in the caller's snapshot."""
    out: list[ServerChange] = []
    after = 0
    while True:
        rows = database.peewee.execute_sql(
            "SELECT id, project_id, issue_id, field, actor, txid::text::bigint, origin, op_id"
            ' FROM "change" WHERE txid >= %s::text::xid8 AND id > %s ORDER BY id LIMIT %s',
            (str(cursor), after, page),
        ).fetchall()
        out += [ServerChange(*r) for r in rows]
        if len(rows) < page:
            return out
        after = int(rows[-1][0])
