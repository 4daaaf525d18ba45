"""Kill the app in the middle of a migration, start it again: the migration completes cleanly,
and the backup taken before it holds the old schema and every row."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.unit.helpers import bulk_issues
from tracker_gui.services import open_services
from tracker_gui.storage import database as database_module
from tracker_gui.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]
REAL = sorted(p.stem for p in database_module.MIGRATIONS_DIR.glob("[0-9]*.py"))
SLOW_NAME = f"{int(REAL[-1][:4]) + 1:04d}_slow_test"
# Adds a column, fills it for every issue, then (unless told not to) says so and sleeps:
# the kill lands after real writes inside the migration's transaction.
SLOW_MIGRATION = '''"""Test-only migration that takes its time."""
import os
import time
from pathlib import Path

from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("issue", "slow_note", TextField(null=True)))
    db.execute_sql("UPDATE issue SET slow_note = 'migrated ' || id")
    marker = os.environ.get("SLOW_MIGRATION_MARKER")
    if marker:
        Path(marker).write_text("inside")
        time.sleep(60)
'''
OPENER = """
import sys
from pathlib import Path
from tracker_gui.storage import database
database.MIGRATIONS_DIR = Path(sys.argv[2])
database.open_database(sys.argv[1]).close()
print("opened")
"""


def test_a_kill_mid_migration_then_a_restart_completes_it(
    tmp_path: Path, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "tracker.db"
    services = open_services(str(db), create=True, actor="alice")
    bulk_issues(services, "TRK", 200)
    services.close()
    folder = tmp_path / "migrations"
    shutil.copytree(database_module.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__py*"))
    (folder / f"{SLOW_NAME}.py").write_text(SLOW_MIGRATION)

    marker = tmp_path / "inside-migration"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SLOW_MIGRATION_MARKER": str(marker)}
    proc = subprocess.Popen(
        [sys.executable, "-c", OPENER, str(db), str(folder)], env=env, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the migration never started"
            time.sleep(0.05)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL

    # The kill left a hot journal; nothing of the half-done migration is visible.
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert "slow_note" not in {r[1] for r in conn.execute("PRAGMA table_info(issue)")}
        names = [r[0] for r in conn.execute("SELECT name FROM schema_migration ORDER BY name")]
        assert names == REAL
    finally:
        conn.close()
    backups = sorted((tracker_home / "data" / "backups").glob(f"*-before-{SLOW_NAME}.db"))
    assert len(backups) == 1

    # Start again (no sleep this time): the migration runs to the end.
    monkeypatch.setattr(database_module, "MIGRATIONS_DIR", folder)
    database = open_database(db)
    try:
        assert database.integrity_problems() == []
        with database.reading():
            rows = database.peewee.execute_sql(
                "SELECT count(*), count(slow_note) FROM issue"
            ).fetchone()
            applied = database.peewee.execute_sql(
                "SELECT name FROM schema_migration ORDER BY name"
            ).fetchall()
        assert tuple(rows) == (200, 200)
        assert [r[0] for r in applied] == [*REAL, SLOW_NAME]
    finally:
        database.close()
    # The backup taken before the first attempt is whole, on the old schema, with every row.
    check = sqlite3.connect(backups[0])
    try:
        assert check.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        assert check.execute("SELECT count(*) FROM issue").fetchone()[0] == 200
        assert "slow_note" not in {r[1] for r in check.execute("PRAGMA table_info(issue)")}
    finally:
        check.close()
