"""Rotating backups of a local SQLite database: online backup API, checked before kept."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Collection
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import peewee

from tracker_gui import paths
from tracker_gui.errors import StorageError
from tracker_gui.storage import ownership
from tracker_gui.storage.errors import translated
from tracker_gui.storage.sqlite_check import quick_check_problems

log = logging.getLogger(__name__)

DEFAULT_KEEP = 10
# <stem>-YYYYmmdd-HHMMSS[-ffffff]-<reason>.db: sorts by time within one database's backups.
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}(?:-\d{6})?)-(?P<reason>[\w.-]+)\.db$")


class Database(Protocol):
    """What backups need of an open database (storage.database.Database is one).

    A protocol rather than the class: the database module takes a backup before it
    migrates, so importing it from here would tie the two modules in a circle.
    """

    peewee: peewee.Database
    target: str
    label: str

    @property
    def is_sqlite(self) -> bool: ...

    def bound(self) -> AbstractContextManager[None]: ...

    def backup_to(self, dest: Path) -> Path: ...


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    reason: str
    size: int
    issues: int | None  # None when the file cannot be read


def backups_dir() -> Path:
    return paths.data_dir() / "backups"


def _stem(database: Database) -> str:
    return Path(database.target).stem


def _require_sqlite(database: Database) -> None:
    if not database.is_sqlite:
        raise StorageError(
            "backups of a PostgreSQL database are the server's job", "use pg_dump on the server"
        )


def take(database: Database, reason: str = "manual", dest: Path | None = None) -> Path:
    """Copy `database` with the online backup API and keep it only if quick_check passes."""
    _require_sqlite(database)
    if dest is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        dest = backups_dir() / f"{_stem(database)}-{stamp}-{reason}.db"
    dest = Path(dest).expanduser()
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create the folder {dest.parent}: {exc.strerror}") from exc
    # Written under a temporary name: a crash mid-copy never leaves a file that looks whole.
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        database.backup_to(partial)
        problems = quick_check_problems(partial)
        if problems:
            raise StorageError(
                f"the backup of {database.label} failed its check: {problems[0]}",
                "run `tracker-gui check` on the database",
            )
        if dest.exists():
            raise StorageError(f"{dest} already exists", "choose a new file name")
        partial.rename(dest)
    finally:
        partial.unlink(missing_ok=True)
    log.info("backed up %s to %s", database.label, dest)
    return dest


def rotate(database: Database, keep: int, spare: Collection[Path] = ()) -> list[Path]:
    """Delete all but the newest `keep` backups of this database; returns what was deleted.

    The newest always stays (it was checked when taken), and so does every path in `spare`
    (the backup a restore just read from); they count towards `keep`, and the rest of the
    places go to the newest others.
    """
    mine = [b.path for b in listing(database, count_issues=False)]
    spared = {p.resolve() for p in spare}
    kept = set(mine[:1]) | {p for p in mine if p.resolve() in spared}
    for path in mine:
        if len(kept) >= keep:
            break
        kept.add(path)
    doomed = [p for p in mine if p not in kept]
    for path in doomed:
        path.unlink(missing_ok=True)
        log.info("removed old backup %s", path)
    return doomed


def _issue_count(path: Path) -> int | None:
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM issue").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def listing(database: Database, *, count_issues: bool = True) -> list[BackupInfo]:
    """This database's backups in the backups folder, newest first."""
    _require_sqlite(database)
    folder = backups_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.db"):
        match = _NAME.match(path.name)
        if match is None or match["stem"] != _stem(database):
            continue
        stamp = match["stamp"]
        fmt = "%Y%m%d-%H%M%S-%f" if stamp.count("-") == 2 else "%Y%m%d-%H%M%S"
        found.append(
            BackupInfo(
                path=path,
                taken_at=dt.datetime.strptime(stamp, fmt),
                reason=match["reason"],
                size=path.stat().st_size,
                issues=_issue_count(path) if count_issues else None,
            )
        )
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def restore_into(database: Database, source: Path) -> None:
    """Replace the live database's content with `source`, in one step of the backup API.

    SQLite's backup writes the destination inside one transaction: a crash midway leaves the
    old content, never a mixture.
    """
    _require_sqlite(database)
    source = Path(source).expanduser()
    if not source.is_file():
        raise StorageError(f"no backup at {source}")
    ownership.check_backup_source(source)
    problems = quick_check_problems(source)
    if problems:
        raise StorageError(f"{source} is damaged: {problems[0]}", "pick another backup")
    uri = source.resolve().as_uri() + "?mode=ro"
    with translated(database.label), database.bound():
        reader = sqlite3.connect(uri, uri=True)
        try:
            reader.backup(database.peewee.connection())
        finally:
            reader.close()


def replace_damaged(target: Path, source: Path) -> Path:
    """Put a checked copy of `source` at `target` when `target` is too damaged to open.

    The damaged file (with its -wal/-shm) is kept in the backups folder, never deleted; the
    copy is written beside the target first and renamed over it, so a crash leaves either
    the old file or the whole new one. Returns where the damaged file went.
    """
    source, target = Path(source).expanduser(), Path(target).expanduser()
    if not source.is_file():
        raise StorageError(f"no backup at {source}")
    ownership.check_backup_source(source)
    problems = quick_check_problems(source)
    if problems:
        raise StorageError(f"{source} is damaged: {problems[0]}", "pick another backup")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    kept = backups_dir() / f"{target.stem}-{stamp}-damaged.db"
    partial = target.with_name(target.name + ".restoring")
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        reader = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        writer = sqlite3.connect(partial)
        try:
            reader.backup(writer)
        finally:
            writer.close()
            reader.close()
        problems = quick_check_problems(partial)
        if problems:
            raise StorageError(f"the copy of {source} failed its check: {problems[0]}")
        for suffix in ("", "-wal", "-shm"):
            side = Path(str(target) + suffix)
            if side.exists():
                shutil.move(side, Path(str(kept) + suffix))
        os.replace(partial, target)
    except OSError as exc:
        raise StorageError(f"cannot restore {target}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    log.info("replaced damaged %s with %s (damaged file kept as %s)", target, source, kept)
    return kept
