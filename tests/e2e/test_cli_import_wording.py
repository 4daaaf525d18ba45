"""The CLI's words for an import that needs statuses the project lacks: the user's words and
the option that fixes it, never the importer's internal option name."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.helpers import assert_one_line_error, run_process

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interchange" / "bad"


def test_missing_statuses_are_named_with_the_option_that_creates_them(tmp_path: Path) -> None:
    db = str(tmp_path / "tracker.db")
    assert run_process("--db", db, "init", cwd=tmp_path).code == 0
    source = str(FIXTURES / "csv_unknown_status.csv")

    refused = run_process("--db", db, "import", "csv", source, "--project", "TRK", cwd=tmp_path)

    line = assert_one_line_error(refused)
    assert line.endswith(
        "was not imported: 2 problems (--create-statuses creates the missing statuses: "
        "Backlog, Blocked)"
    )
    assert "create_statuses" not in refused.out + refused.err
    assert "or let the import create the missing statuses" in refused.out
    created = run_process("--db", db, "import", "csv", source, "--project", "TRK",
                          "--create-statuses", cwd=tmp_path)  # fmt: skip
    assert created.code == 0, created
    names = run_process("--db", db, "statuses", "--project", "TRK", cwd=tmp_path).out
    assert "Backlog" in names and "Blocked" in names
