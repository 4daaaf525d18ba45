"""`tracker-gui` subcommands run in-process: what they print, what they store, how they fail."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import Cli, Result, assert_one_line_error
from tracker_gui import __version__, cli
from tracker_gui.domain.models import IssueFilter
from tracker_gui.services import open_services


@pytest.fixture
def trk(cli: Cli, db: Path) -> Cli:
    """A CLI bound to a fresh database with project TRK; `trk("list")` adds `--db`."""
    assert cli("--db", str(db), "init").code == 0

    def run(*argv: str) -> Result:
        return cli("--db", str(db), *argv)

    return run


def as_json(result: Result) -> Any:
    assert result.code == 0, result
    return json.loads(result.out)


def test_version(cli: Cli) -> None:
    result = cli("--version")

    assert result.code == 0
    assert result.out.strip() == f"tracker-gui {__version__}"


def test_init_twice_is_harmless(cli: Cli, db: Path) -> None:
    first = cli("--db", str(db), "init")
    second = cli("--db", str(db), "init")

    assert first.code == 0, first
    assert "created the database" in first.out
    assert "created project TRK (Tracker) with statuses: To Do, In Progress, In Review, Done" in (
        first.out
    )
    assert second.code == 0, second
    assert "using the database" in second.out
    assert "project TRK (Tracker) already exists (0 issues)" in second.out
    assert [p["key"] for p in as_json(cli("--db", str(db), "projects", "--format", "json"))] == [
        "TRK"
    ]


def test_init_with_another_project_keeps_the_first(cli: Cli, db: Path) -> None:
    cli("--db", str(db), "init")
    result = cli("--db", str(db), "init", "--project", "ops", "--name", "Operations")

    assert result.code == 0, result
    assert "created project OPS (Operations)" in result.out
    projects = cli("--db", str(db), "projects")
    assert projects.out.splitlines()[1:] == ["OPS  0       Operations", "TRK  0       Tracker"]


def test_default_database_lives_in_tracker_home(cli: Cli, tracker_home: Path) -> None:
    result = cli("init")

    assert result.code == 0, result
    assert (tracker_home / "data" / "tracker.db").is_file()
    assert str(tracker_home / "data" / "tracker.db") in result.out


def test_add_move_edit_comment_show_round_trip(trk: Cli) -> None:
    added = as_json(
        trk("add", "--project", "trk", "--title", "Crash when exporting CSV with empty rows",
            "--type", "bug", "--priority", "HIGH", "--label", "backend", "--label", "ui",
            "--description", "## Steps\n\n1. Export", "--due", "2030-01-31", "--estimate", "2.5",
            "--assignee", "alice", "--format", "json")
    )  # fmt: skip
    assert added["key"] == "TRK-1"
    assert added["status"] == "To Do"
    assert added["status_category"] == "todo"
    assert added["type"] == "bug"
    assert added["priority"] == "high"
    assert added["labels"] == ["backend", "ui"]
    assert added["due"] == "2030-01-31"
    assert added["estimate"] == 2.5
    assert added["assignee"] == "alice"
    assert added["version"] == 1
    assert added["created_at"].endswith("+00:00")

    child = trk("add", "--project", "TRK", "--title", "Write the test", "--parent", "trk-1")
    assert child.code == 0 and child.out.strip() == "TRK-2"

    moved = trk("move", "TRK-1", "in progress")
    assert moved.code == 0, moved
    assert moved.out.strip() == "TRK-1: To Do -> In Progress"

    edited = as_json(
        trk("edit", "TRK-1", "--title", "Crash on export", "--priority", "highest",
            "--assignee", "", "--label", "regression", "--due", "none", "--format", "json")
    )  # fmt: skip
    assert edited["title"] == "Crash on export"
    assert edited["priority"] == "highest"
    assert edited["assignee"] is None
    assert edited["labels"] == ["regression"]
    assert edited["due"] is None
    assert edited["status"] == "In Progress"
    assert edited["version"] == 3

    assert trk("comment", "TRK-1", "Seen on **Windows** too").out.strip() == "commented on TRK-1"

    shown = as_json(trk("show", "TRK-1", "--format", "json"))
    assert shown["status"] == "In Progress"
    assert shown["description"] == "## Steps\n\n1. Export"
    assert [c["body"] for c in shown["comments"]] == ["Seen on **Windows** too"]
    assert [c["key"] for c in shown["children"]] == ["TRK-2"]
    texts = [h["text"] for h in shown["history"]]
    assert texts[0] == "created the issue"
    assert "status: To Do -> In Progress" in texts
    assert "title: Crash when exporting CSV with empty rows -> Crash on export" in texts
    assert "commented: Seen on **Windows** too" in texts

    text = trk("show", "TRK-2").out
    assert text.startswith("TRK-2  Write the test")
    assert "  Parent:    TRK-1" in text

    listed = as_json(trk("list", "--format", "json"))
    assert [(i["key"], i["status"], i["parent"]) for i in listed] == [
        ("TRK-1", "In Progress", None),
        ("TRK-2", "To Do", "TRK-1"),
    ]
    assert listed[0]["description"] == "## Steps\n\n1. Export"


def test_list_prints_an_aligned_table_and_filters(trk: Cli) -> None:
    trk("add", "--project", "TRK", "--title", "Add dark mode to settings", "--assignee", "bob")
    trk("add", "--project", "TRK", "--title", "Fix typo", "--priority", "low", "--label", "docs")
    trk("move", "TRK-2", "Done")

    table = trk("list").out.splitlines()
    assert table == [
        "KEY    STATUS  PRIORITY  ASSIGNEE  TITLE",
        "TRK-1  To Do   medium    bob       Add dark mode to settings",
        "TRK-2  Done    low       -         Fix typo",
    ]
    assert [i["key"] for i in as_json(trk("list", "--status", "done", "--format", "json"))] == [
        "TRK-2"
    ]
    assert [i["key"] for i in as_json(trk("list", "--label", "DOCS", "--format", "json"))] == [
        "TRK-2"
    ]
    assert [i["key"] for i in as_json(trk("list", "--text", "dark", "--format", "json"))] == [
        "TRK-1"
    ]
    assert trk("list", "--assignee", "nobody").out.strip() == "no issues match"
    assert as_json(trk("list", "--sort", "-key", "--limit", "1", "--format", "json"))[0]["key"] == (
        "TRK-2"
    )


def test_link_watch_archive_and_delete(trk: Cli, db: Path) -> None:
    for title in ("One", "Two"):
        trk("add", "--project", "TRK", "--title", title)

    assert trk("link", "TRK-1", "blocks", "TRK-2").out.strip() == "TRK-1 blocks TRK-2"
    assert trk("watch", "TRK-1", "--user", "carol").out.strip() == "carol watches TRK-1"
    assert trk("archive", "TRK-2").out.strip() == "archived TRK-2"

    assert [i["key"] for i in as_json(trk("list", "--format", "json"))] == ["TRK-1"]
    archived = as_json(trk("list", "--include-archived", "--format", "json"))
    assert [(i["key"], i["archived"]) for i in archived] == [("TRK-1", False), ("TRK-2", True)]
    shown = as_json(trk("show", "TRK-2", "--format", "json"))
    assert shown["links"][0]["phrase"] == "is blocked by"
    assert as_json(trk("show", "TRK-1", "--format", "json"))["watchers"] == ["carol"]

    refused = trk("delete", "TRK-1")
    assert "add --yes to confirm" in assert_one_line_error(refused)
    assert trk("delete", "TRK-1", "--yes").out.strip() == "deleted TRK-1"
    assert "no issue TRK-1" in assert_one_line_error(trk("show", "TRK-1"))
    services = open_services(str(db))
    try:
        assert [i.key for i in services.issues.search(IssueFilter(include_archived=True))] == [
            "TRK-2"
        ]
    finally:
        services.close()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("show", "TRK-99"), "no issue TRK-99"),
        (("show", "nonsense"), "is not an issue key like TRK-42"),
        (("move", "TRK-1", "Shipped"), "has no status 'Shipped'"),
        (("add", "--project", "NOPE", "--title", "x"), "no project with key 'NOPE'"),
        (("add", "--project", "TRK", "--title", "   "), "title must not be empty"),
        (("list", "--status", "Shipped"), "no status 'Shipped'"),
        (("statuses", "--project", "NOPE"), "no project with key 'NOPE'"),
        (("link", "TRK-1", "relates", "TRK-1"), "cannot link to itself"),
    ],
)
def test_errors_are_one_line_and_exit_1(trk: Cli, argv: tuple[str, ...], message: str) -> None:
    trk("add", "--project", "TRK", "--title", "Exists")

    line = assert_one_line_error(trk(*argv))

    assert message in line


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("frobnicate",), "invalid choice"),
        (("add", "--project", "TRK"), "the following arguments are required: --title"),
        (("add", "--project", "TRK", "--title", "x", "--priority", "urgent"), "unknown priority"),
        (("add", "--project", "TRK", "--title", "x", "--due", "31/01/2030"), "use YYYY-MM-DD"),
        (("add", "--project", "TRK", "--title", "x", "--type", "chore"), "unknown type 'chore'"),
        (("link", "TRK-1", "fixes", "TRK-2"), "unknown link kind"),
        (("edit", "TRK-1"), "nothing to change"),
        (("edit", "TRK-1", "--label", "a", "--no-labels"), "not both"),
        (("list", "--sort", "random"), "invalid choice"),
        (("--smoke-test", "out", "list"), "cannot go with a subcommand"),
    ],
)
def test_usage_errors_exit_2(trk: Cli, argv: tuple[str, ...], message: str) -> None:
    trk("add", "--project", "TRK", "--title", "Exists")

    result = trk(*argv)

    assert result.code == 2, result
    assert "Traceback" not in result.err
    assert message in result.err
    assert result.out == ""


def test_format_json_works_before_and_after_the_command(trk: Cli, db: Path, cli: Cli) -> None:
    trk("add", "--project", "TRK", "--title", "One")

    before = as_json(cli("--format", "json", "--db", str(db), "list"))
    after = as_json(cli("list", "--db", str(db), "--format", "json"))

    assert before == after
    assert [i["key"] for i in before] == ["TRK-1"]


def test_check_and_backup(trk: Cli, tmp_path: Path) -> None:
    trk("add", "--project", "TRK", "--title", "Keep me")
    dest = tmp_path / "copy.db"

    assert trk("check").out.strip() == "ok"
    assert trk("backup", str(dest)).code == 0
    assert "already exists" in assert_one_line_error(trk("backup", str(dest)))

    copy = open_services(str(dest))
    try:
        assert copy.issues.by_key("TRK-1").title == "Keep me"
    finally:
        copy.close()


def test_an_unexpected_error_exits_3_with_the_log_path(
    trk: Cli, monkeypatch: pytest.MonkeyPatch, tracker_home: Path
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "cmd_list", broken)

    result = trk("list")

    line = assert_one_line_error(result, code=3)
    assert "RuntimeError: boom" in line
    log_file = tracker_home / "logs" / "tracker.log"
    assert str(log_file) in line
    logging.shutdown()
    assert "Traceback" in log_file.read_text(encoding="utf-8")
