"""SQLite's quick_check on a file, shared by opening, backups and restores."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def quick_check_problems(path: Path) -> list[str]:
    """SQLite's quick_check on its own read-only connection: never writes; safe in a thread."""
    # With no WAL to read, `immutable` keeps SQLite from creating -wal/-shm files beside the
    # file (which also fails in a read-only folder and made a healthy file look damaged).
    wal = Path(str(path) + "-wal")
    uri = Path(path).resolve().as_uri() + ("?mode=ro" if wal.exists() else "?mode=ro&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [str(exc)]
    # A row can span lines ("*** in database main ***\nPage 60: ..."): keep messages one line.
    return [" ".join(str(r[0]).split()) for r in result if r[0] != "ok"]
