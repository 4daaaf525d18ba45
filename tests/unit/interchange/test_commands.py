"""What `tracker-gui import|export` print and whether they fail, without argparse."""

from __future__ import annotations

import io
import json
from pathlib import Path

from tests.unit.interchange.conftest import BAD, JIRA, TRELLO
from tracker_gui.interchange.commands import run_export, run_import, terminal_progress
from tracker_gui.services import Services


def test_a_dry_run_prints_what_would_be_created(services: Services) -> None:
    out = run_import(services, "jira", JIRA, dry_run=True)
    assert out.error is None
    assert out.text.splitlines() == [
        f"jira import of {JIRA}: would create 7 comments, 7 issues, 9 labels, 3 links, "
        "1 projects, 4 statuses, 1 subtasks, 3 users, 5 watchers",
        "into project SHOP",
        "warning: row 3, column 'Outward issue link (Cloners)': link to SHOP-5 skipped",
        "warning: link SHOP-1 relates SHOP-99: SHOP-99 is not in the file",
    ]
    assert out.data["dry_run"] is True and out.data["created"]["issues"] == 7
    assert services.projects.projects() == []


def test_an_import_prints_the_key_map_and_json_data(services: Services) -> None:
    run_import(services, "trello", TRELLO, project="WEB")
    out = run_import(services, "jira", JIRA, project="WEB", create_statuses=True)
    assert out.error is None
    assert "  SHOP-1 -> WEB-14" in out.text.splitlines()
    assert out.data["key_map"]["SHOP-10"] == "WEB-21"
    json.dumps(out.data)  # printable with --format json


def test_a_refused_file_lists_every_problem_and_fails(services: Services) -> None:
    out = run_import(services, "jira", BAD / "jira_bad_values.csv")
    assert out.error == f"{BAD / 'jira_bad_values.csv'} was not imported: 4 problems"
    assert out.text.splitlines()[0] == (
        f"jira import of {BAD / 'jira_bad_values.csv'}: 4 problems; nothing was written "
        "(it would create 4 issues, 1 projects, 1 statuses)"
    )
    assert len(out.data["problems"]) == 4


def test_wrong_options_are_explained(services: Services) -> None:
    assert run_import(services, "csv", JIRA).error == (
        "a CSV import needs --project KEY (where the issues go)"
    )
    assert run_import(services, "json", JIRA, project="X").error == (
        "a JSON backup restores its own projects: drop --project"
    )
    assert run_import(services, "asana", JIRA).error == (
        "unknown kind 'asana' (use trello, jira, csv, json)"
    )


def test_exports(services: Services, tmp_path: Path) -> None:
    run_import(services, "trello", TRELLO)
    out = run_export(services, "csv", tmp_path / "a.csv", query="project:WR label:bug")
    assert (out.text, out.error) == (f"exported 2 issues to {tmp_path / 'a.csv'}", None)
    out = run_export(services, "json", tmp_path / "a.json")
    assert out.error is None and out.data["issues"] == 13
    assert out.text.startswith("exported 4 users, 1 projects, 13 issues, 3 comments")
    assert run_export(services, "csv", tmp_path / "b.csv", query="colour:red").error is not None
    assert run_export(services, "json", tmp_path / "b.json", query="x").error == (
        "a JSON backup holds the whole database: drop --query"
    )
    assert not (tmp_path / "b.csv").exists() and not (tmp_path / "b.json").exists()


def test_progress_only_on_a_terminal() -> None:
    assert terminal_progress(io.StringIO()) is None
