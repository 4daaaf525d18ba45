"""A damaged offline copy: keep what only it holds (the queue, the entries, the provisional
keys) before it is set aside and copied afresh from the server."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

from tracker_gui.storage.database import Database
from tracker_gui.storage.sqlite_check import quick_check_problems
from tracker_gui.storage.tables import utcnow

log = logging.getLogger(__name__)
# The replica's own tables, in the order they are put back; meta only the names below.
KEPT = ("replica_outbox", "replica_entry", "replica_key", "replica_meta")
KEPT_META = ("origin", "provisional_next")


def damaged(path: Path) -> list[str]:
    """SQLite's quick_check of the copy (empty: healthy)."""
    return quick_check_problems(path) if path.exists() and path.stat().st_size else []


def set_aside(path: Path, problems: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Read what can be read of the copy's own tables, write it beside the file as JSON, and
    move the damaged file (and its -wal) aside. Returns the rows read."""
    saved: dict[str, list[dict[str, Any]]] = {}
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        for table in KEPT:
            try:
                saved[table] = [dict(r) for r in conn.execute(f"SELECT * FROM {table}")]
            except sqlite3.Error as exc:
                log.warning("%s: could not read %s of the damaged copy: %s", path, table, exc)
                saved[table] = []
    finally:
        conn.close()
    saved["replica_meta"] = [r for r in saved["replica_meta"] if r.get("name") in KEPT_META]
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    aside = path.with_name(f"{path.stem}.damaged-{stamp}")
    Path(f"{aside}.json").write_text(
        json.dumps({"problems": problems, "kept": saved}, indent=1, default=str),
        encoding="utf-8",
    )
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            part.rename(Path(f"{aside}.db{suffix}"))
    log.warning("the offline copy %s was damaged (%s); set aside as %s.db", path,
                problems[0] if problems else "?", aside)  # fmt: skip
    return saved


def put_back(replica: Database, saved: dict[str, list[dict[str, Any]]]) -> None:
    """Into a new copy (in its transaction): the rows `set_aside` kept."""
    for table in KEPT:
        for row in saved.get(table, []):
            names = [n for n in row if not (table == "replica_entry" and n == "id")]
            columns = ", ".join(names)
            marks = ", ".join("?" for _ in names)
            replica.peewee.execute_sql(
                f"INSERT OR REPLACE INTO {table} ({columns}) VALUES ({marks})",
                tuple(row[n] for n in names),
            )
