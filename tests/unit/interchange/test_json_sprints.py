"""The JSON backup (version 3) carries sprints and each issue's sprint; older files still read."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.unit.conftest import Board
from tracker_gui.domain.models import IssueFilter
from tracker_gui.interchange import export_json, import_json
from tracker_gui.interchange.json_export import VERSION, build
from tracker_gui.services import Services, open_services


@pytest.fixture
def fresh(new_target: Callable[..., str]) -> Iterator[Services]:
    """Another empty database of the same backend, to restore into."""
    services = open_services(new_target(), create=True, actor="zed")
    yield services
    services.close()


def _planned(board: Board) -> Services:
    """Sprint 1 closed (2 done of 3, one carried to Sprint 2), Sprint 2 active, a backlog."""
    services, sprints = board.services, board.services.sprints
    sprints.add("TRK", "Sprint 1", "2026-01-05", "2026-01-16", goal="First cut")
    sprints.add("TRK", "Sprint 2", "2026-01-19", "2026-01-30")
    issues = [board.new(f"Issue {n}") for n in range(1, 5)]
    sprints.set_sprint([i.id for i in issues[:3]], "Sprint 1")
    sprints.start("TRK", "Sprint 1")
    for issue in issues[:2]:
        services.issues.move(issue.id, board.get(issue).version, board.status("Done").id)
    sprints.close("TRK", "Sprint 1", carry_to="Sprint 2")
    sprints.start("TRK", "Sprint 2")
    return services


def _sprint_rows(services: Services) -> list[tuple[Any, ...]]:
    return [
        (s.name, s.state.value, s.start, s.end, s.goal, s.scope_start, s.scope_close,
         s.done_close, s.started_at is not None, s.closed_at is not None)
        for s in services.sprints.sprints("TRK")
    ]  # fmt: skip


def _history(services: Services) -> list[tuple[Any, ...]]:
    """(issue key, old sprint name, new sprint name) of every `sprint` row, oldest first."""
    names = {str(s.id): s.name for s in services.sprints.sprints("TRK")}
    keys = services.issues.keys_for(
        {c.issue_id for c in services.feed.changes_since(0, limit=10_000) if c.issue_id}
    )
    return [
        (keys.get(c.issue_id or 0), names.get(c.old or ""), names.get(c.new or ""))
        for c in services.feed.changes_since(0, limit=10_000)
        if c.field == "sprint"
    ]


def test_round_trip_keeps_sprints_and_history(
    board: Board, fresh: Services, tmp_path: Path
) -> None:
    source = _planned(board)
    doc = build(source)
    assert doc["version"] == VERSION == 3
    assert [(s["project"], s["name"], s["state"]) for s in doc["sprints"]] == [
        ("TRK", "Sprint 1", "closed"),
        ("TRK", "Sprint 2", "active"),
    ]
    issues = doc["projects"][0]["issues"]
    assert [i["sprint"] for i in issues] == ["Sprint 1", "Sprint 1", "Sprint 2", None]
    rows = [h for h in doc["history"] if h["field"] == "sprint"]
    assert rows[-1]["old"] == {"sprint": "Sprint 1"} and rows[-1]["new"] == {"sprint": "Sprint 2"}
    path = tmp_path / "backup.json"
    export_json(source, path)
    target = fresh
    report = import_json(target, path)
    assert report.committed and report.ok, report.lines()
    assert _sprint_rows(target) == _sprint_rows(source)
    assert target.sprints.names_of([i.id for i in target.issues.search(_all())]) == {
        i.id: name
        for i, name in zip(
            target.issues.search(_all(), sort="key"),
            ["Sprint 1", "Sprint 1", "Sprint 2", None],
            strict=True,
        )
    }
    assert _history(target) == _history(source)
    # What a report shows after a restore is what it showed before.
    assert target.sprints.current()[target.projects.project("TRK").id].name == "Sprint 2"


def _all() -> IssueFilter:
    return IssueFilter()


@pytest.mark.parametrize("version", [1, 2])
def test_older_versions_without_sprints_still_import(
    board: Board, fresh: Services, tmp_path: Path, version: int
) -> None:
    board.new("Old issue")
    doc = build(board.services)
    doc["version"] = version
    del doc["sprints"]
    for issue in doc["projects"][0]["issues"]:
        del issue["sprint"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    target = fresh
    report = import_json(target, path)
    assert report.committed and report.ok, report.lines()
    assert target.sprints.sprints("TRK") == []
    assert [i.title for i in target.issues.search(_all())] == ["Old issue"]


def test_a_file_naming_a_missing_sprint_is_refused(
    board: Board, fresh: Services, tmp_path: Path
) -> None:
    _planned(board)
    doc = build(board.services)
    doc["projects"][0]["issues"][0]["sprint"] = "Sprint 9"
    doc["sprints"].append(dict(doc["sprints"][0], name="sprint 1"))
    doc["sprints"].append(dict(doc["sprints"][0], name="Backwards", start="2026-02-02",
                               end="2026-02-01"))  # fmt: skip
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    target = fresh
    report = import_json(target, path, dry_run=True)
    text = "\n".join(report.lines())
    assert not report.ok
    assert "no sprint 'Sprint 9' in the project" in text
    assert "sprint 'sprint 1' is listed twice in TRK" in text
    assert "before it starts" in text


def test_a_default_project_with_a_sprint_is_someones_work(
    board: Board, fresh: Services, tmp_path: Path
) -> None:
    """A restore removes the untouched project a new database starts with, never planned work."""
    board.new("In the backup")
    export_json(board.services, tmp_path / "backup.json")
    fresh.projects.ensure_project("TRK", "Tracker")
    fresh.sprints.add("TRK", "Planned here", "2026-03-02", "2026-03-13")
    report = import_json(fresh, tmp_path / "backup.json", dry_run=True)
    assert report.replaced is None
    assert any("project TRK already exists here" in line for line in report.lines())
    assert [s.name for s in fresh.sprints.sprints("TRK")] == ["Planned here"]
