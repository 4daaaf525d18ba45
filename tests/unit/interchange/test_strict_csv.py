"""A malformed CSV is refused naming the physical line its bad record starts on; nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.helpers import Cli
from tests.unit.interchange.conftest import Check
from tracker_gui.interchange import ImportRejected, import_csv, import_jira
from tracker_gui.interchange.table import open_table
from tracker_gui.services import Services

UNCLOSED = "row 2: a quoted cell is never closed (a stray quote?)"


def _sixty_rows(tmp_path: Path, broken: str) -> Path:
    """The issue's file: row 2 is bad, 58 good rows follow it."""
    lines = ["Title,Description", broken] + [f"Issue {n},fine" for n in range(3, 61)]
    path = tmp_path / "sixty.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


CASES: list[tuple[str, str]] = [
    ('Broken,"starts a quote that never ends', f"line 2: {UNCLOSED}"),
    ("Too,many,cells", "line 2: row 2 has 3 cells but the header names 2 columns"),
    ('Quoted "twice" wrong,"a"b', "line 2: row 2: text after a cell's closing quote"),
]


@pytest.mark.parametrize(("broken", "message"), CASES, ids=["unclosed", "wide", "after-quote"])
def test_a_malformed_csv_is_refused_and_nothing_changes(
    assert_unchanged: Check, tmp_path: Path, broken: str, message: str
) -> None:
    path = _sixty_rows(tmp_path, broken)

    def attempt(services: Services) -> None:
        dry = import_csv(services, path, project="WEB", dry_run=True)
        assert not dry.ok and message in str(dry.errors[0])
        assert dry.created["issues"] == 0
        with pytest.raises(ImportRejected) as caught:
            import_csv(services, path, project="WEB")
        assert message in str(caught.value)

    assert_unchanged(attempt)


def test_the_line_is_the_physical_one_after_multi_line_cells(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text(
        'Title,Description\r\nfirst,"two\r\nlines"\r\nsecond,"three\nmore\nlines"\r\n'
        'third,"never closed\r\nfourth,x\r\n',
        "utf-8",
    )
    _, rows = open_table(path, "utf-8", [])
    with pytest.raises(Exception) as caught:
        list(rows)
    assert str(caught.value) == f"line 7: row 4: {UNCLOSED.removeprefix('row 2: ')}"


def test_a_quote_closed_rows_later_is_still_one_cell(tmp_path: Path) -> None:
    """Multi-line cells stay legal: only a quote left open, or text after one, is refused."""
    path = tmp_path / "ok.csv"
    path.write_text('Title,Description\na,"x\n\n""y"",\nz"\nb,c\n', "utf-8")
    _, rows = open_table(path, "utf-8", [])
    assert [r.cells for r in rows] == [["a", 'x\n\n"y",\nz'], ["b", "c"]]


def test_jira_shares_the_strict_reader(assert_unchanged: Check, tmp_path: Path) -> None:
    path = tmp_path / "jira.csv"
    path.write_text(
        "Summary,Issue key,Issue id,Issue Type,Status,Priority\n"
        "ok,SHOP-1,1,Task,To Do,Medium\n"
        '"never closed,SHOP-2,2,Task,To Do,Medium\n'
        "lost,SHOP-3,3,Task,To Do,Medium\n",
        "utf-8",
    )

    def attempt(services: Services) -> None:
        with pytest.raises(ImportRejected) as caught:
            import_jira(services, path)
        assert "line 3: row 3: a quoted cell is never closed" in str(caught.value)

    assert_unchanged(attempt)


@pytest.mark.parametrize("dry", [True, False], ids=["dry-run", "import"])
def test_cli_shows_the_same_error_with_and_without_dry_run(
    cli: Cli, tmp_path: Path, dry: bool
) -> None:
    db = str(tmp_path / "t.db")
    assert cli("--db", db, "init").code == 0
    path = _sixty_rows(tmp_path, 'Broken,"starts a quote that never ends')
    argv = ["--db", db, "import", "csv", str(path), "--project", "TRK"]
    got = cli(*argv, *(["--dry-run"] if dry else []))
    assert got.code == 1
    assert f"error: line 2: {UNCLOSED}" in got.out.splitlines()
    assert got.err_lines == [f"tracker-gui: error: {path} was not imported: 1 problem"]
    listed = cli("--db", db, "--format", "json", "list")
    assert listed.out.strip() == "[]"
