"""Fixtures for the command-line tests: `cli` runs `tracker-gui` in this process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.helpers import Cli, Result
from tracker_gui.cli import main


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """`cli("list", "--format", "json")` runs main() in this process and captures its output."""

    def run(*argv: str) -> Result:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Where this test's database goes (it does not exist until `init` or `demo`)."""
    return tmp_path / "tracker.db"
