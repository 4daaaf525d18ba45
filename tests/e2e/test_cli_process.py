"""`python -m tracker_gui` as a real process: exit codes and output as a shell sees them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.helpers import assert_one_line_error, run_process
from tracker_gui import __version__


def test_version(tmp_path: Path) -> None:
    result = run_process("--version", cwd=tmp_path)

    assert result.code == 0
    assert result.out.strip() == f"tracker-gui {__version__}"


def test_round_trip_with_markdown_from_stdin(tmp_path: Path, tracker_home: Path) -> None:
    assert run_process("init", cwd=tmp_path).code == 0
    description = "## Steps\n\n1. Open the board\n2. Drag a card\n"

    added = run_process(
        "add", "--project", "TRK", "--title", "Drag fails", "--description", "-",
        "--format", "json", cwd=tmp_path, stdin=description,
    )  # fmt: skip
    moved = run_process("move", "TRK-1", "IN REVIEW", cwd=tmp_path)
    shown = run_process("show", "TRK-1", cwd=tmp_path)

    assert added.code == 0, added
    assert json.loads(added.out)["description"] == description
    assert moved.out.strip() == "TRK-1: To Do -> In Review"
    assert "  Status:    In Review (in_progress)" in shown.out
    assert "    2. Drag a card" not in shown.out  # description is indented by two, not four
    assert "  2. Drag a card" in shown.out
    assert (tracker_home / "data" / "tracker.db").is_file()


def test_errors_exit_1_with_one_line(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("just some notes\n", encoding="utf-8")

    refused = run_process("--db", str(text), "list", cwd=tmp_path)
    missing = run_process("--db", str(tmp_path / "nothing.db"), "show", "TRK-1", cwd=tmp_path)

    assert "not a Tracker database" in assert_one_line_error(refused)
    assert "no database at" in assert_one_line_error(missing)
    assert text.read_text(encoding="utf-8") == "just some notes\n"
    assert not (tmp_path / "nothing.db").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = run_process("add", "--title", "no project", cwd=tmp_path)

    assert result.code == 2
    assert result.err.startswith("usage: tracker-gui add")
    assert "the following arguments are required: --project" in result.err
    assert "Traceback" not in result.err


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run_process("--help", cwd=tmp_path)

    assert result.code == 0
    for command in ("init", "demo", "add", "move", "edit", "comment", "link", "watch",
                    "archive", "delete", "show", "list", "projects", "statuses", "check",
                    "backup"):  # fmt: skip
        assert f"    {command} " in result.out, command
