"""`tracker-gui list --query`: the query language from the command line, alone or with options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import Cli, Result, assert_one_line_error, run_process


@pytest.fixture
def trk(cli: Cli, db: Path) -> Cli:
    """A database with a few issues in TRK and OPS; `trk("list")` adds `--db`."""

    def run(*argv: str) -> Result:
        return cli("--db", str(db), *argv)

    assert run("init").code == 0
    assert run("init", "--project", "OPS", "--name", "Operations").code == 0
    adds = [
        ("TRK", "Login crash on startup", "--type", "bug", "--priority", "high",
         "--assignee", "alice", "--label", "ui"),
        ("TRK", "Export reports as PDF", "--priority", "low", "--description",
         "Printable reports for the board"),
        ("TRK", "Crashing importer", "--type", "bug", "--assignee", "bob"),
        ("OPS", "Rotate the certificates", "--priority", "highest", "--assignee", "alice"),
    ]  # fmt: skip
    for project, title, *options in adds:
        assert run("add", "--project", project, "--title", title, *options).code == 0
    assert run("comment", "TRK-2", "the export crashed once").code == 0
    assert run("move", "TRK-3", "Done").code == 0
    return run


def listed(result: Result) -> list[str]:
    assert result.code == 0, result
    rows: list[dict[str, Any]] = json.loads(result.out)
    return [row["key"] for row in rows]


def test_a_query_lists_what_it_means(trk: Cli) -> None:
    ranked = listed(trk("list", "--query", "crash", "--format", "json"))
    assert set(ranked[:2]) == {"TRK-1", "TRK-3"} and ranked[2:] == ["TRK-2"]  # titles first
    assert listed(trk("list", "--query", "crash is:open", "--format", "json")) == [
        "TRK-1", "TRK-2",
    ]  # fmt: skip
    query = "assignee:alice priority>=high sort:-priority"
    assert listed(trk("list", "--query", query, "--format", "json")) == ["OPS-1", "TRK-1"]
    assert listed(trk("list", "--query", "-label:ui", "--format", "json")) == [
        "OPS-1", "TRK-2", "TRK-3",
    ]  # fmt: skip
    assert listed(trk("list", "--query", '"export crashed"', "--format", "json")) == ["TRK-2"]
    text = trk("list", "--query", "type:bug status:done")
    assert text.code == 0
    assert text.out.splitlines()[1].split()[:3] == ["TRK-3", "Done", "medium"]


def test_a_query_combines_with_the_other_options(trk: Cli) -> None:
    both = trk("list", "--project", "TRK", "--query", "assignee:alice OR type:bug",
               "--format", "json")  # fmt: skip
    assert listed(both) == ["TRK-1", "TRK-3"]
    assert listed(trk("list", "--query", "crash", "--status", "Done", "--format", "json")) == [
        "TRK-3"
    ]
    # An explicit --sort wins over the query's sort: term and over relevance.
    sorted_ = trk("list", "--query", "crash sort:-key", "--sort", "key", "--format", "json")
    assert listed(sorted_) == ["TRK-1", "TRK-2", "TRK-3"]
    assert listed(trk("list", "--query", "crash", "--sort", "-key", "--limit", "1",
                      "--format", "json")) == ["TRK-3"]  # fmt: skip


def test_a_bad_query_is_one_line_with_its_column(trk: Cli) -> None:
    line = assert_one_line_error(trk("list", "--query", "(status:done crash"))
    assert line == 'tracker-gui: error: --query col 19: expected ")"'
    line = assert_one_line_error(trk("list", "--query", "colour:red"))
    assert "col 1: unknown field 'colour' (known fields: assignee, blocks," in line


def test_hostile_queries_change_nothing(trk: Cli) -> None:
    before = listed(trk("list", "--include-archived", "--format", "json"))
    for query in ("'; DROP TABLE issue; --", 'label:"x\' OR 1=1 --"', "%", "_", "\\"):
        assert trk("list", "--query", query).code == 0
    assert listed(trk("list", "--include-archived", "--format", "json")) == before
    assert trk("check").code == 0


def test_a_leading_dash_is_a_query_not_an_option(db: Path, trk: Cli, tmp_path: Path) -> None:
    result = run_process("--db", str(db), "list", "--query", "-crash", "--format", "json",
                         cwd=tmp_path)  # fmt: skip
    assert listed(result) == ["OPS-1"]
    exported = tmp_path / "out.csv"
    export = trk("export", "csv", str(exported), "--query", "project:TRK crash is:open")
    assert export.code == 0, export
    assert [line.split(",")[0] for line in exported.read_text().splitlines()] == [
        "Key", "TRK-1", "TRK-2",
    ]  # fmt: skip
