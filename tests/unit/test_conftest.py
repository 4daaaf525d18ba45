"""The suite's own plumbing: PostgreSQL tests skip without a server, and fail when CI needs one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import conftest as suite
from tests.support.pgcluster import PgCluster, pg_tool

ROOT = Path(__file__).resolve().parents[2]
PROBE = "tests/unit/services/test_feed.py::test_last_id_of_an_empty_log_is_zero"


def test_tracker_home_is_a_fresh_folder_for_each_test(tracker_home: Path) -> None:
    assert os.environ["TRACKER_HOME"] == str(tracker_home)
    assert tracker_home.is_dir()
    assert list(tracker_home.iterdir()) == []
    assert "TRACKER_DB" not in os.environ


@pytest.fixture
def no_binaries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PgCluster, "find_bindir", staticmethod(lambda: None))


def test_missing_binaries_skip_when_postgres_is_optional(
    no_binaries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(suite.REQUIRE_POSTGRES_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL server binaries not found"):
        suite.postgres_bindir()


@pytest.mark.parametrize("value", ["0", "", "yes"])
def test_only_the_value_1_makes_postgres_required(
    no_binaries: None, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(suite.REQUIRE_POSTGRES_ENV, value)
    with pytest.raises(pytest.skip.Exception):
        suite.postgres_bindir()


def test_missing_binaries_fail_when_postgres_is_required(
    no_binaries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(suite.REQUIRE_POSTGRES_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="TRACKER_REQUIRE_POSTGRES=1 says"):
        suite.postgres_bindir()


def test_a_folder_without_initdb_counts_as_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_PG_BINDIR", str(tmp_path))
    monkeypatch.delenv(suite.REQUIRE_POSTGRES_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"no initdb in {tmp_path}"):
        suite.postgres_bindir()
    monkeypatch.setenv(suite.REQUIRE_POSTGRES_ENV, "1")
    with pytest.raises(pytest.fail.Exception):
        suite.postgres_bindir()


def test_found_binaries_are_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pg_tool(tmp_path, "initdb").write_text("#!/bin/sh\n")
    monkeypatch.setenv("TRACKER_PG_BINDIR", str(tmp_path))
    assert suite.postgres_bindir() == tmp_path


def run_probe(tmp_path: Path, required: str) -> subprocess.CompletedProcess[str]:
    """Run one both-backends test in a child pytest where no PostgreSQL can be found."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["TRACKER_PG_BINDIR"] = str(tmp_path / "no-postgres-here")
    env[suite.REQUIRE_POSTGRES_ENV] = required
    return subprocess.run(
        [sys.executable, "-m", "pytest", PROBE, "-q", "-rsfE", "-p", "no:randomly"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_run_without_postgres_skips_the_postgres_cases(tmp_path: Path) -> None:
    result = run_probe(tmp_path, required="0")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "1 passed, 1 skipped" in out
    assert "SKIPPED" in out
    assert "PostgreSQL server binaries not found" in out


def test_a_run_that_requires_postgres_fails_without_it(tmp_path: Path) -> None:
    result = run_probe(tmp_path, required="1")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "1 passed" in out
    assert "1 error" in out
    assert "TRACKER_REQUIRE_POSTGRES=1 says the PostgreSQL tests must run" in out
    assert "skipped" not in out
