"""The replica's outbox (one row per user action, oldest first) and its provisional keys."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from tracker_gui.storage.database import Database
from tracker_gui.storage.replica import files
from tracker_gui.storage.tables import utcnow

LOCAL_ORIGIN = "local"  # Change rows written on the replica, not (yet) the server's
PROVISIONAL = re.compile(r"\b([A-Z][A-Z0-9]{1,9})-~(\d{1,9})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Op:
    """One queued user action: `body` holds what the server needs and the base values."""

    seq: int
    op_id: str
    change_set: str
    kind: str
    issue_uid: str | None
    body: dict[str, Any]
    made_at: str


def add(
    replica: Database, op_id: str, kind: str, issue_uid: str | None, body: dict[str, Any]
) -> None:
    """Queue an action inside the replica transaction that made it (its change set too)."""
    change_set = replica.change_set
    if change_set is None:
        raise RuntimeError("an outbox entry is written in the action's own transaction")
    replica.peewee.execute_sql(
        "INSERT INTO replica_outbox (op_id, change_set, kind, issue_uid, body, made_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (op_id, change_set, kind, issue_uid, json.dumps(body), utcnow().isoformat(sep=" ")),
    )
    # The history the action wrote here is a preview: the server's rows replace it.
    replica.peewee.execute_sql(
        "UPDATE change SET origin = ? WHERE change_set = ?", (LOCAL_ORIGIN, change_set)
    )


def pending(replica: Database) -> list[Op]:
    rows = replica.peewee.execute_sql(
        "SELECT seq, op_id, change_set, kind, issue_uid, body, made_at FROM replica_outbox"
        " ORDER BY seq"
    ).fetchall()
    return [Op(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]


def remove(replica: Database, op_id: str) -> None:
    replica.peewee.execute_sql("DELETE FROM replica_outbox WHERE op_id = ?", (op_id,))


# -- provisional keys --------------------------------------------------------------------
def next_provisional(replica: Database) -> int:
    """n of the next `<PROJECT>-~<n>`, counting from 1 per replica (never reused)."""
    n = int(files.meta(replica, "provisional_next") or "1")
    files.set_meta(replica, {"provisional_next": str(n + 1)})
    return n


def make_provisional(replica: Database, issue_id: int, n: int, key: str, uid: str) -> None:
    """Give the issue just made offline the number -n (shown `KEY-~n`) and remember its key."""
    replica.peewee.execute_sql("UPDATE issue SET number = ? WHERE id = ?", (-n, issue_id))
    replica.peewee.execute_sql(
        "INSERT INTO replica_key (provisional, issue_uid) VALUES (?, ?)", (key, uid)
    )


def set_real(replica: Database, local_uid: str, real_key: str, real_uid: str) -> None:
    replica.peewee.execute_sql(
        "UPDATE replica_key SET real_key = ?, real_uid = ? WHERE issue_uid = ?",
        (real_key, real_uid, local_uid),
    )


def real_keys(replica: Database) -> dict[str, str]:
    """Provisional key -> the server's key, for those already numbered."""
    rows = replica.peewee.execute_sql(
        "SELECT provisional, real_key FROM replica_key WHERE real_key IS NOT NULL"
    ).fetchall()
    return {str(p): str(k) for p, k in rows}


def real_uids(replica: Database) -> dict[str, str]:
    """Local uid of an issue made offline -> the uid the server gave it."""
    rows = replica.peewee.execute_sql(
        "SELECT issue_uid, real_uid FROM replica_key WHERE real_uid IS NOT NULL"
    ).fetchall()
    return {str(u): str(r) for u, r in rows}


def drop_numbered(replica: Database) -> int:
    """Before a pull: issues made offline whose creation reached the server go (the pull
    brings them back under their real number), and the history written here (the pull
    brings the server's). Returns how many issues."""
    replica.peewee.execute_sql("DELETE FROM change WHERE origin = ?", (LOCAL_ORIGIN,))
    cursor = replica.peewee.execute_sql(
        "DELETE FROM issue WHERE uid IN (SELECT issue_uid FROM replica_key"
        " WHERE real_key IS NOT NULL)"
    )
    return int(cursor.rowcount or 0)


def drop_issue(replica: Database, uid: str) -> None:
    """An issue made offline whose creation the server refused leaves the replica."""
    replica.peewee.execute_sql("DELETE FROM issue WHERE uid = ?", (uid,))


def rewrite(text: str, keys: dict[str, str]) -> str:
    """Provisional keys in a description or comment, replaced by their real keys."""
    return PROVISIONAL.sub(lambda m: keys.get(m.group(0).upper(), m.group(0)), text)
