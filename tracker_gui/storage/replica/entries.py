"""The replica's queue and inbox: the outbox's length, and the conflict and refusal entries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tracker_gui.storage.database import Database


@dataclass(frozen=True)
class Counts:
    waiting: int
    conflicts: int
    refused: int


@dataclass(frozen=True)
class EntryRow:
    """One conflict or refusal as stored; values are JSON texts (None: no value)."""

    id: int
    kind: str
    op_id: str
    issue_key: str
    field: str | None
    base: Any
    mine: Any
    theirs: Any
    theirs_by: str | None
    theirs_at: str | None
    message: str
    body: dict[str, Any]


def counts(replica: Database) -> Counts:
    pw = replica.peewee
    waiting = int(pw.execute_sql("SELECT count(*) FROM replica_outbox").fetchone()[0])
    rows = dict(pw.execute_sql("SELECT kind, count(*) FROM replica_entry GROUP BY kind").fetchall())
    return Counts(waiting, int(rows.get("conflict", 0)), int(rows.get("refused", 0)))


_COLUMNS = (
    "id, kind, op_id, issue_key, field, base, mine, theirs, theirs_by, theirs_at, message, body"
)


def _row(r: tuple[Any, ...]) -> EntryRow:
    loads = _loads
    return EntryRow(
        int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4], loads(r[5]), loads(r[6]), loads(r[7]),
        r[8], r[9], str(r[10]), json.loads(r[11]),
    )  # fmt: skip


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def listed(replica: Database) -> list[EntryRow]:
    cursor = replica.peewee.execute_sql(f"SELECT {_COLUMNS} FROM replica_entry ORDER BY id")
    return [_row(r) for r in cursor.fetchall()]


def get(replica: Database, entry_id: int) -> EntryRow | None:
    row = replica.peewee.execute_sql(
        f"SELECT {_COLUMNS} FROM replica_entry WHERE id = ?", (entry_id,)
    ).fetchone()
    return None if row is None else _row(row)


def add(replica: Database, entry: EntryRow) -> int:
    """Store a new entry (its `id` is ignored); returns the id it got."""
    dumps = json.dumps
    cursor = replica.peewee.execute_sql(
        "INSERT INTO replica_entry (kind, op_id, issue_key, field, base, mine, theirs,"
        " theirs_by, theirs_at, message, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id",
        (
            entry.kind, entry.op_id, entry.issue_key, entry.field, dumps(entry.base),
            dumps(entry.mine), dumps(entry.theirs), entry.theirs_by, entry.theirs_at,
            entry.message, dumps(entry.body),
        ),
    )  # fmt: skip
    return int(cursor.fetchone()[0])


def remove(replica: Database, entry_id: int) -> None:
    replica.peewee.execute_sql("DELETE FROM replica_entry WHERE id = ?", (entry_id,))


def refuse_project(replica: Database, project_key: str) -> int:
    """The login lost `project_key`: its queued changes become refused entries (their content
    kept in the entry), and leave the outbox. Returns how many."""
    pw = replica.peewee
    rows = pw.execute_sql(
        "SELECT op_id, kind, body FROM replica_outbox WHERE json_extract(body, '$.key') LIKE ?"
        " OR json_extract(body, '$.project') = ? ORDER BY seq",
        (f"{project_key}-%", project_key),
    ).fetchall()
    message = f"you can no longer read project {project_key}; this change was not sent"
    for op_id, kind, body in rows:
        data = json.loads(body)
        key = str(data.get("key") or data.get("provisional") or project_key)
        add(replica, EntryRow(0, "refused", op_id, key, None, None, data, None, None, None,
                              message, {"kind": kind, "body": data}))  # fmt: skip
        pw.execute_sql("DELETE FROM replica_outbox WHERE op_id = ?", (op_id,))
    return len(rows)
