"""`tracker-gui` without a command opens the window on the database the user named."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import Cli, assert_one_line_error
from tracker_gui.errors import NotADatabaseError


@pytest.fixture
def window(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """A stand-in for tracker_gui.app (the real window needs a display): records each opening."""
    opened: list[dict[str, Any]] = []
    fake = types.ModuleType("tracker_gui.app")

    def run_window(target: str, debug: bool = False, smoke_test: str | None = None) -> int:
        opened.append({"target": target, "debug": debug, "smoke_test": smoke_test})
        if target.endswith(".txt"):
            raise NotADatabaseError(f"{target} is not a Tracker database", "pick another file")
        return 0 if smoke_test is None else 4

    fake.run_window = run_window  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tracker_gui.app", fake)
    return opened


def test_no_command_opens_the_default_database(
    cli: Cli, window: list[dict[str, Any]], tracker_home: Path
) -> None:
    result = cli()

    assert result.code == 0
    assert window == [
        {"target": str(tracker_home / "data" / "tracker.db"), "debug": False, "smoke_test": None}
    ]


def test_db_debug_and_smoke_test_reach_the_window(
    cli: Cli, window: list[dict[str, Any]], tmp_path: Path
) -> None:
    result = cli("--db", str(tmp_path / "team.db"), "--debug", "--smoke-test", str(tmp_path))

    assert result.code == 4  # the window's own exit code is the process's
    assert window == [
        {"target": str(tmp_path / "team.db"), "debug": True, "smoke_test": str(tmp_path)}
    ]


def test_a_window_that_cannot_open_its_file_says_so_in_one_line(
    cli: Cli, window: list[dict[str, Any]], tmp_path: Path
) -> None:
    line = assert_one_line_error(cli("--db", str(tmp_path / "notes.txt")))

    assert "is not a Tracker database (pick another file)" in line
