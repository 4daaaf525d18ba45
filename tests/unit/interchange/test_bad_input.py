"""Every bad file gets a clear message naming the row or field, and the database is unchanged."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.unit.helpers import EventLog
from tests.unit.interchange.conftest import BAD, JIRA, TRELLO, Check
from tracker_gui.interchange import (
    ImportCancelled,
    ImportRejected,
    export_json,
    import_csv,
    import_jira,
    import_json,
    import_trello,
)
from tracker_gui.services import Services

Importer = Callable[..., Any]

# (importer, file, options, the message the user reads)
CASES: list[tuple[Importer, str, dict[str, Any], str]] = [
    (import_trello, "trello_malformed.json", {},
     "line 5, column 3: not valid JSON: Expecting value"),
    (import_trello, "trello_wrong_shape.json", {},
     "the file: not a Trello board export (no 'lists' and 'cards')"),
    (import_trello, "trello_unknown_list.json", {},
     "cards[1].idList: no list with id '65f0a000000000000000dead' on the board"),
    (import_trello, "trello_lone_surrogate.json", {},
     "cards[1], title: title contains an invalid character at position 4"),
    (import_trello, "trello_nul_in_comment.json", {},
     "cards[0], comment 1: comment contains a NUL character"),
    (import_jira, "jira_missing_key_column.csv", {},
     "row 1 (the header): missing required column 'Issue key' (found: 'Summary', 'Issue id', "
     "'Issue Type', 'Status', 'Priority')"),
    (import_jira, "jira_duplicate_keys.csv", {},
     "row 4, column 'Issue key': duplicate key SHOP-1 (also on row 2)"),
    (import_jira, "jira_bad_values.csv", {},
     "row 2, column 'Priority': unknown priority 'Urgent-ish'"),
    (import_csv, "csv_invalid_utf8.csv", {"project": "WEB"},
     "byte 66 (line 3): not valid utf-8 text (invalid start byte); choose the file's encoding"),
    (import_csv, "csv_nul.csv", {"project": "WEB"},
     "byte 63 (line 3): the file contains a NUL byte"),
    (import_csv, "csv_unknown_status.csv", {"project": "WEB"},
     "row 3, row 5: status 'Blocked' is not in WEB's workflow (Backlog, Doing, Code Review, "
     "Done, Parked)"),
    (import_json, "backup_newer_version.json", {},
     "version: written by a newer Tracker (version 4; this reads 3)"),
    (import_json, "backup_not_ours.json", {},
     "format: not a tracker-gui export (format is 'jira-cloud-backup')"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("importer", "name", "options", "message"), CASES, ids=[c[1] for c in CASES]
)
def test_a_bad_file_is_refused_and_nothing_changes(
    assert_unchanged: Check, importer: Importer, name: str, options: dict[str, Any], message: str
) -> None:
    def attempt(services: Services) -> None:
        log = EventLog(services)
        dry = importer(services, BAD / name, dry_run=True, **options)
        assert message in str(dry.errors[0])
        with pytest.raises(ImportRejected) as caught:
            importer(services, BAD / name, **options)
        assert message in str(caught.value)
        assert str(caught.value).startswith(str(BAD / name))
        assert log.events == []

    assert_unchanged(attempt)


def test_every_problem_in_a_file_is_listed(services: Services) -> None:
    report = import_jira(services, BAD / "jira_bad_values.csv", dry_run=True)
    assert [str(p) for p in report.errors] == [
        "row 2, column 'Priority': unknown priority 'Urgent-ish' (use one of: highest, high, "
        "medium, low, lowest (or Blocker, Critical, Major, Minor, Trivial))",
        "row 3, column 'Created': 'yesterday' is not a date and time (use 2024-03-15 14:30)",
        "row 4, Comment 1: 'someday' is not a date and time (use 2024-03-15 14:30)",
        "row 5, title: title must not be empty",
    ]


def test_a_file_that_is_not_utf8_imports_with_its_encoding(services: Services) -> None:
    with pytest.raises(ImportRejected, match=r"byte 64 \(line 3\): not valid utf-8"):
        import_csv(services, BAD / "csv_cp1252.csv", project="REL")
    import_csv(services, BAD / "csv_cp1252.csv", project="REL", encoding="cp1252")
    assert services.issues.by_key("REL-2").title == "Café menu"


def test_a_lone_surrogate_in_a_backup_is_refused(assert_unchanged: Check, tmp_path: Path) -> None:
    def attempt(services: Services) -> None:
        out = tmp_path / "backup.json"
        export_json(services, out)
        doc = json.loads(out.read_text("utf-8"))
        doc["projects"][0]["key"] = "COPY"
        doc["projects"][0]["issues"][0]["description"] = "\ud800"
        doc["projects"][0]["issues"][0]["uid"] = "6b4f7c2e-0000-4000-8000-000000000001"
        out.write_text(json.dumps(doc), "utf-8")  # ensure_ascii writes it as \\ud800
        with pytest.raises(ImportRejected) as caught:
            import_json(services, out)
        problems = [str(p) for p in caught.value.report.errors]
        where = "projects[0].issues[0].description"
        assert f"{where}: {where} contains an invalid character at position 0" in problems

    assert_unchanged(attempt)


def copy_of(services: Services, tmp_path: Path) -> Path:
    """A backup of the database that can be loaded next to it: new key, new uids."""
    backup = tmp_path / "backup.json"
    export_json(services, backup)
    doc = json.loads(backup.read_text("utf-8"))
    doc["projects"][0]["key"], doc["history"] = "COPY", []
    text = json.dumps(doc)
    for n, issue in enumerate(doc["projects"][0]["issues"]):
        text = text.replace(issue["uid"], f"6b4f7c2e-0000-4000-8000-{n:012d}")
    backup.write_text(text, "utf-8")
    return backup


@pytest.mark.parametrize("kind", ["trello", "jira", "json"])
def test_cancel_while_writing_rolls_everything_back(
    assert_unchanged: Check, tmp_path: Path, kind: str
) -> None:
    def attempt(services: Services) -> None:
        log = EventLog(services)
        writing: list[int] = []

        def progress(done: int, total: int) -> None:
            writing.append(done)
            if done == total:  # the last tick, inside the transaction
                raise ImportCancelled()

        with pytest.raises(ImportCancelled):
            if kind == "trello":
                import_trello(services, TRELLO, project="NEW", progress=progress)
            elif kind == "jira":
                import_jira(services, JIRA, progress=progress)
            else:
                import_json(services, copy_of(services, tmp_path), progress=progress)
        assert writing and log.events == []

    assert_unchanged(attempt)


def test_the_copy_used_above_does_load(services: Services, tmp_path: Path) -> None:
    import_trello(services, TRELLO, project="WEB")
    report = import_json(services, copy_of(services, tmp_path))
    assert report.committed and report.created["issues"] == 13


def test_a_cancel_flag_stops_the_import(assert_unchanged: Check) -> None:
    def attempt(services: Services) -> None:
        with pytest.raises(ImportCancelled, match="nothing was changed"):
            import_jira(services, JIRA, cancelled=lambda: True)

    assert_unchanged(attempt)


def test_the_unchanged_check_does_notice_a_write(assert_unchanged: Check) -> None:
    with pytest.raises(AssertionError):
        assert_unchanged(lambda services: services.projects.ensure_user("mallory"))
