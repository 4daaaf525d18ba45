"""Checks of a SQLite file before it is opened: its header, its owner, SQLite's quick_check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tracker_gui.errors import NotADatabaseError, StorageError
from tracker_gui.storage import ownership
from tracker_gui.storage.ownership import NoDatabaseYet

SQLITE_HEADER = b"SQLite format 3\x00"


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


def check_sqlite_file(path: Path, *, quick_check: bool = True) -> ownership.Owner:
    """Refuse anything but a healthy SQLite file of Tracker's without writing a byte to it."""
    if path.is_dir():
        raise NotADatabaseError(f"{path} is a folder, not a database file")
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror}") from exc
    if len(header) == 0:
        raise NoDatabaseYet(
            f"{path} is empty: no database yet", "run `tracker-gui init` to create it"
        )
    if not header.startswith(SQLITE_HEADER):
        raise NotADatabaseError(
            f"{path} is not a Tracker database (not a SQLite file)", "pick another file"
        )
    if len(header) < 100:
        raise NotADatabaseError(
            f"{path} is truncated (only {len(header)} bytes)", "restore a backup"
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    wal = Path(str(path) + "-wal")
    if pages and path.stat().st_size < page_size * pages and not wal.exists():
        raise NotADatabaseError(
            f"{path} is truncated ({path.stat().st_size:,} of {page_size * pages:,} bytes)",
            "restore a backup",
        )
    # Before quick_check: its connection must never be the first to open a foreign file.
    owner = ownership.sqlite_owner(path, header)
    if not quick_check:
        return owner
    problems = quick_check_problems(path)
    if problems:
        raise NotADatabaseError(f"{path} is damaged: {problems[0]}", "restore a backup")
    return owner
