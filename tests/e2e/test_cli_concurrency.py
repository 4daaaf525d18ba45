"""Two writers on one SQLite file, and `list` agreeing with the services about what is stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.helpers import Cli, assert_one_line_error, run_process
from tracker_gui.domain.models import IssueFilter
from tracker_gui.errors import ConflictError
from tracker_gui.services import open_services


def test_stale_moves_the_first_wins_and_the_second_conflicts(cli: Cli, db: Path) -> None:
    assert cli("--db", str(db), "init").code == 0
    assert cli("--db", str(db), "add", "--project", "TRK", "--title", "Race").code == 0
    # Two "processes": each its own services and connection, both reading before either writes.
    alice = open_services(str(db), actor="alice")
    bob = open_services(str(db), actor="bob")
    try:
        seen_by_alice = alice.issues.by_key("TRK-1")
        seen_by_bob = bob.issues.by_key("TRK-1")
        assert seen_by_alice.version == seen_by_bob.version == 1

        moved = alice.issues.transition(seen_by_alice.id, seen_by_alice.version, "In Progress")
        with pytest.raises(ConflictError) as conflict:
            bob.issues.transition(seen_by_bob.id, seen_by_bob.version, "Done")

        assert conflict.value.current is not None
        assert conflict.value.current.status_id == moved.status_id
        assert conflict.value.current.version == 2
        status_changes = [c for c in bob.feed.history(moved.id) if c.field == "status"]
        assert [(c.actor, c.old, c.new) for c in status_changes] == [
            ("alice", str(seen_by_alice.status_id), str(moved.status_id))
        ]
    finally:
        alice.close()
        bob.close()

    shown = json.loads(cli("--db", str(db), "show", "TRK-1", "--format", "json").out)
    assert shown["status"] == "In Progress"
    assert [h["text"] for h in shown["history"] if h["field"] == "status"] == [
        "status: To Do -> In Progress"
    ]


def test_a_conflict_reaches_the_user_as_one_line(
    cli: Cli, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("--db", str(db), "init")
    cli("--db", str(db), "add", "--project", "TRK", "--title", "Race")
    other = open_services(str(db), actor="carol")
    real_by_key = type(other.issues).by_key

    def read_then_lose_the_race(self: object, key: str) -> object:
        seen = real_by_key(self, key)  # type: ignore[arg-type]
        latest = other.issues.get(seen.id)
        other.issues.transition(latest.id, latest.version, "In Review")
        return seen

    monkeypatch.setattr(type(other.issues), "by_key", read_then_lose_the_race)
    try:
        line = assert_one_line_error(cli("--db", str(db), "move", "TRK-1", "Done"))
    finally:
        monkeypatch.undo()
        other.close()

    assert "TRK-1 was changed by someone else" in line
    shown = json.loads(cli("--db", str(db), "show", "TRK-1", "--format", "json").out)
    assert shown["status"] == "In Review"


def test_list_by_status_matches_the_stored_count(cli: Cli, db: Path) -> None:
    assert cli("--db", str(db), "demo", "--issues", "300").code == 0

    result = cli("--db", str(db), "list", "--status", "In Progress", "--format", "json")

    listed = json.loads(result.out)
    services = open_services(str(db))
    try:
        project = services.projects.project("DEMO")
        status = services.projects.workflow(project.id).find("In Progress")
        assert status is not None
        stored = services.issues.count(IssueFilter(status_ids=(status.id,)))
    finally:
        services.close()
    assert stored > 0
    assert len(listed) == stored
    assert {i["status"] for i in listed} == {"In Progress"}
    assert not any(i["archived"] for i in listed)


def test_two_real_processes_share_one_file(tmp_path: Path) -> None:
    db = str(tmp_path / "shared.db")
    assert run_process("--db", db, "init", cwd=tmp_path).code == 0
    assert (
        run_process("--db", db, "add", "--project", "TRK", "--title", "A", cwd=tmp_path).code == 0
    )

    moved = run_process("--db", db, "move", "TRK-1", "Done", cwd=tmp_path)
    listed = run_process("--db", db, "list", "--status", "done", "--format", "json", cwd=tmp_path)

    assert moved.out.strip() == "TRK-1: To Do -> Done"
    assert [i["key"] for i in json.loads(listed.out)] == ["TRK-1"]
