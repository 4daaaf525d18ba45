"""Fixture files, a seeded database, and the check that a refused import changed nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.helpers import Cli, Result
from tests.unit.helpers import row_counts
from tracker_gui.cli import main
from tracker_gui.interchange import import_trello
from tracker_gui.interchange.json_export import build
from tracker_gui.services import Services

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "interchange"
BAD = FIXTURES / "bad"
TRELLO = FIXTURES / "trello_board.json"
JIRA = FIXTURES / "jira_export.csv"

Check = Callable[[Callable[[Services], object]], None]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def content(services: Services) -> tuple[dict[str, int], str]:
    """Every table's row count plus every row's content (the JSON export holds them all)."""
    return row_counts(services), json.dumps(build(services), sort_keys=True)


@pytest.fixture
def seeded(services: Services) -> Services:
    """A database with a project, issues, comments and history in it (the Trello board)."""
    import_trello(services, TRELLO, project="WEB")
    return services


@pytest.fixture
def assert_unchanged(
    backend: str, db_target: str, make_services: Callable[..., Services], seeded: Services
) -> Check:
    """Run an action on the seeded database and prove it stored nothing.

    SQLite: the closed file is byte-identical (sha256) and no WAL is left behind.
    PostgreSQL: every row is identical (row counts and the full export).
    """

    def check(action: Callable[[Services], object]) -> None:
        if backend == "sqlite":
            seeded.close()
            path = Path(db_target)
            digest = sha256(path)
            again = make_services("alice")
            action(again)
            again.close()
            assert not Path(f"{db_target}-wal").exists()
            assert sha256(path) == digest
        else:
            rows = content(seeded)
            action(seeded)
            assert content(seeded) == rows

    return check


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """`cli("import", ...)` runs the command line's main() in this process."""

    def run(*argv: str) -> Result:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
