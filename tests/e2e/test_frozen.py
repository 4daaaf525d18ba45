"""The frozen app in dist/tracker-gui/ (built by packaging/build.py) runs on its own.

Skipped when there is no build, unless TRACKER_REQUIRE_FROZEN=1 (CI after the build step),
which turns a missing build into a failure.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import tracker_gui

if TYPE_CHECKING:
    from tests.support.pgcluster import PgCluster

ROOT = Path(__file__).resolve().parents[2]
APP_DIR = ROOT / "dist" / "tracker-gui"
# On Windows the GUI exe has no console; its twin tracker-gui-cli.exe is the terminal one.
EXE = APP_DIR / ("tracker-gui-cli.exe" if sys.platform == "win32" else "tracker-gui")
REQUIRE_FROZEN_ENV = "TRACKER_REQUIRE_FROZEN"
TIMEOUT = 180
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _missing_build_reason() -> str | None:
    """Why the build cannot be tested, or None when it is there and newer than the sources."""
    if not EXE.is_file():
        return f"no frozen build at {EXE.relative_to(ROOT)}; run `python packaging/build.py`"
    sources = [*(ROOT / "tracker_gui").rglob("*.py"), *(ROOT / "resources").rglob("*")]
    newest = max((p for p in sources if p.is_file()), key=lambda p: p.stat().st_mtime)
    if newest.stat().st_mtime > EXE.stat().st_mtime:
        return (
            f"the frozen build is older than {newest.relative_to(ROOT)}; "
            "rebuild with `python packaging/build.py`"
        )
    return None


@pytest.fixture
def frozen_exe() -> Path:
    """The built binary, or a skip (a failure when TRACKER_REQUIRE_FROZEN=1)."""
    reason = _missing_build_reason()
    if reason is not None:
        if os.environ.get(REQUIRE_FROZEN_ENV, "").strip() == "1":
            pytest.fail(f"{reason} ({REQUIRE_FROZEN_ENV}=1 requires it)", pytrace=False)
        pytest.skip(f"{reason} (set {REQUIRE_FROZEN_ENV}=1 to make this a failure)")
    return EXE


def run_frozen(exe: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the binary offscreen, in the test's TRACKER_HOME, without the venv's Python paths."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "TRACKER_DB", "QT_PLUGIN_PATH"}
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [str(exe), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def assert_smoke_passed(result: subprocess.CompletedProcess[str], out: Path) -> dict[str, object]:
    """The smoke test exited 0, reported ok with cards on the board, and saved a real PNG."""
    details = f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 0, details
    summary: dict[str, object] = json.loads((out / "smoke.json").read_text(encoding="utf-8"))
    assert summary["ok"] is True, summary
    cards = summary["cards_visible"]
    assert isinstance(cards, int)
    assert cards > 0, summary
    named = summary.get("screenshot")
    shots = [out / Path(str(named)).name] if named else sorted(out.glob("*.png"))
    assert shots, f"no screenshot in {out}: {sorted(p.name for p in out.iterdir())}"
    data = shots[0].read_bytes()
    assert data.startswith(PNG_SIGNATURE), f"{shots[0]} is not a PNG"
    assert len(data) > 1000, f"{shots[0]} is only {len(data)} bytes"
    return summary


def test_version_matches_the_package(frozen_exe: Path, tmp_path: Path) -> None:
    result = run_frozen(frozen_exe, "--version", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1].lstrip("v") == tracker_gui.__version__, result.stdout


def test_init_runs_the_bundled_migrations(frozen_exe: Path, tmp_path: Path) -> None:
    db = tmp_path / "init.db"

    result = run_frozen(frozen_exe, "--db", str(db), "init", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"issue", "project", "change"} <= tables


def test_smoke_test_on_a_new_sqlite_file(frozen_exe: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "smoke.db")
    out = tmp_path / "smoke"
    created = run_frozen(frozen_exe, "--db", db, "init", cwd=tmp_path)
    assert created.returncode == 0, created.stderr

    result = run_frozen(frozen_exe, "--db", db, "--smoke-test", str(out), cwd=tmp_path)

    assert_smoke_passed(result, out)


@pytest.mark.postgres
def test_smoke_test_on_postgres(frozen_exe: Path, pg_cluster: PgCluster, tmp_path: Path) -> None:
    # A new, empty database: the frozen app's `init` runs its own migrations on it.
    name = f"tracker_frozen_{os.getpid()}"
    url = pg_cluster.create_database(name)
    out = tmp_path / "smoke"
    try:
        created = run_frozen(frozen_exe, "--db", url, "init", cwd=tmp_path)
        assert created.returncode == 0, created.stderr
        result = run_frozen(frozen_exe, "--db", url, "--smoke-test", str(out), cwd=tmp_path)
        assert_smoke_passed(result, out)
    finally:
        pg_cluster.drop_database(name)
