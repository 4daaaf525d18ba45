"""Change sets: every Change row names the one user action (service transaction) that wrote it."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tests.unit.conftest import Board
from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Change, IssueFilter, MoveTo, NewIssue
from tracker_gui.errors import ConflictError
from tracker_gui.interchange import import_csv
from tracker_gui.services import Services, open_services
from tracker_gui.storage import database as database_module
from tracker_gui.storage.database import open_database


def _since(s: Services, start: int) -> list[Change]:
    return s.feed.changes_since(start, limit=10_000)


def _is_uuid(text: str | None) -> bool:
    try:
        return text is not None and str(uuid.UUID(text)) == text
    except ValueError:
        return False


def test_one_action_is_one_change_set_and_separate_actions_differ(board: Board) -> None:
    s = board.services
    a, b, c = board.new("a"), board.new("b"), board.new("c")
    published: list[Change] = []
    s.bus.subscribe(published.extend)
    start = s.feed.last_id()
    done = board.status("Done").id
    s.issues.bulk_move([(i.id, i.version, done) for i in (a, b, c)])
    edited = s.issues.edit(a.id, board.get(a).version, {"title": "a2", "priority": "high"})
    rows = _since(s, start)
    bulk = [r for r in rows if r.issue_id in (a.id, b.id, c.id) and r.field in ("status", "rank")]
    assert sum(r.field == "status" for r in bulk) == 3
    assert len({r.change_set for r in bulk}) == 1 and _is_uuid(bulk[0].change_set)
    edit_rows = [r for r in rows if r.field in ("title", "priority")]
    assert len(edit_rows) == 2 and len({r.change_set for r in edit_rows}) == 1
    assert edit_rows[0].change_set != bulk[0].change_set
    assert [(e.id, e.change_set) for e in published] == [(r.id, r.change_set) for r in rows]
    assert edited.title == "a2"


def test_a_drop_of_placements_is_one_transaction_in_order(board: Board) -> None:
    s = board.services
    review = board.status("In Review").id
    anchor = board.new("anchor", status="In Review")
    tail = board.new("tail", status="In Review")
    cards = [board.new(f"card {n}") for n in range(5)]
    events: list[Sequence[Change]] = []
    s.bus.subscribe(events.append)
    moves, after = [], anchor.id
    for card in cards:
        edits = (("assignee", "bob"),) if card is cards[0] else ()
        moves.append(MoveTo(card.id, card.version, review, after, tail.id, edits=edits))
        after = card.id
    moved = s.issues.bulk_move(moves)
    assert [m.id for m in moved] == [c.id for c in cards]
    column = [i.id for i in s.issues.column(review, IssueFilter())]
    assert column == [anchor.id, *(c.id for c in cards), tail.id]
    assert board.get(cards[0]).assignee == "bob"
    assert len(events) == 1, "one action publishes once, after it commits"
    assert len({e.change_set for e in events[0]}) == 1
    assert {e.field for e in events[0]} == {"assignee", "status", "rank"}


def test_a_drop_is_all_or_nothing(board: Board) -> None:
    s = board.services
    a, b = board.new("a"), board.new("b")
    stale = b.version
    s.issues.edit(b.id, b.version, {"title": "b changed"})
    start = s.feed.last_id()
    events: list[Change] = []
    s.bus.subscribe(events.extend)
    done = board.status("Done").id
    with pytest.raises(ConflictError):
        s.issues.bulk_move([MoveTo(a.id, a.version, done), MoveTo(b.id, stale, done)])
    assert board.get(a).status_id == board.status("To Do").id
    assert _since(s, start) == [] and events == []


def test_an_import_is_one_change_set(board: Board, tmp_path: Path) -> None:
    s = board.services
    path = tmp_path / "in.csv"
    path.write_text("title,status\nfirst,To Do\nsecond,Done\nthird,In Progress\n")
    start = s.feed.last_id()
    report = import_csv(s, path, project="TRK")
    assert report.committed
    rows = _since(s, start)
    assert {r.field for r in rows} >= {"created", "import"}
    assert len({r.change_set for r in rows}) == 1 and _is_uuid(rows[0].change_set)


# -- PostgreSQL: the triggers write the history of a secured database ------------------------
@pytest.fixture
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster, projects=("TRK",))
    yield db
    drop(db)


@pytest.mark.postgres
def test_trigger_written_rows_carry_the_change_set_of_the_action(secured: Secured) -> None:
    mem = secured.services("mem")
    assert mem.database.server_managed
    issues = [mem.issues.create(NewIssue("TRK", f"card {n}")) for n in range(4)]
    published: list[Change] = []
    mem.bus.subscribe(published.extend)
    start = mem.feed.last_id()
    statuses = mem.projects.statuses(issues[0].project_id)
    moved = mem.issues.bulk_move([MoveTo(i.id, i.version, statuses[2].id) for i in issues])
    mem.issues.comment(moved[0].id, "after the drop")
    rows = _since(mem, start)
    drop_rows = [r for r in rows if r.field in ("status", "rank")]
    assert sum(r.field == "status" for r in drop_rows) == 4
    assert len({r.change_set for r in drop_rows}) == 1 and _is_uuid(drop_rows[0].change_set)
    [comment] = [r for r in rows if r.field == "comment"]
    assert _is_uuid(comment.change_set) and comment.change_set != drop_rows[0].change_set
    assert [(e.id, e.change_set) for e in published] == [(r.id, r.change_set) for r in rows]
    # What the database stored, read by the superuser (not through the app).
    with superuser(secured) as conn:
        stored = conn.execute(
            "SELECT count(DISTINCT change_set), count(*) FROM change"
            " WHERE id > %s AND field IN ('status', 'rank')",
            (start,),
        ).fetchone()
    assert stored == (1, len(drop_rows))


@pytest.mark.postgres
def test_a_raw_update_outside_the_app_gets_no_change_set(secured: Secured) -> None:
    """A member typing SQL with their own login: the triggers still log it, with no set
    (the setting is empty outside an app transaction, and one session's is not another's)."""
    mem = secured.services("mem")
    issue = mem.issues.create(NewIssue("TRK", "typed at"))
    start = mem.feed.last_id()
    with secured.raw("mem") as conn:
        conn.execute("UPDATE issue SET title = 'by hand' WHERE id = %s", (issue.id,))
    [row] = _since(mem, start)
    assert (row.field, row.new, row.change_set) == ("title", "by hand", None)


@pytest.mark.postgres
def test_a_login_cannot_store_a_change_set_that_is_not_a_uuid(secured: Secured) -> None:
    """As the attacker: a member sets the setting by hand and types SQL with their login."""
    import psycopg

    mem = secured.services("mem")
    issue = mem.issues.create(NewIssue("TRK", "typed at"))
    start = mem.feed.last_id()
    with secured.raw("mem") as conn:
        conn.execute("SELECT set_config('tracker.change_set', 'x'' OR 1=1 --', false)")
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("UPDATE issue SET title = 'by hand' WHERE id = %s", (issue.id,))
        with pytest.raises(psycopg.errors.StringDataRightTruncation):
            conn.execute("SELECT set_config('tracker.change_set', repeat('a', 40), false)")
            conn.execute("UPDATE issue SET title = 'by hand' WHERE id = %s", (issue.id,))
    assert _since(mem, start) == []
    assert mem.issues.get(issue.id).title == "typed at"


# -- migration 0006 on a database made before it --------------------------------------------
def test_an_older_database_gains_the_column_with_null_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = tmp_path / "migrations"
    shutil.copytree(
        database_module.MIGRATIONS_DIR,
        older,
        ignore=shutil.ignore_patterns("__py*", "0006_*", "0007_*", "0008_*", "0009_*", "0010_*"),
    )
    db = tmp_path / "old.db"
    monkeypatch.setattr(database_module, "MIGRATIONS_DIR", older)
    open_database(db, create=True).close()
    monkeypatch.undo()
    conn = sqlite3.connect(db)
    try:
        assert "change_set" not in {r[1] for r in conn.execute("PRAGMA table_info(change)")}
        with conn:  # history written by the previous version
            conn.execute(
                "INSERT INTO project (key, name, description, next_number, archived,"
                " created_at) VALUES ('TRK', 'Tracker', '', 1, 0, '2026-01-01')"
            )
            conn.execute(
                "INSERT INTO change (project_id, issue_id, actor, at, field, old, new)"
                " VALUES (1, NULL, 'alice', '2026-01-01', 'project', NULL, 'TRK')"
            )
    finally:
        conn.close()
    new = open_services(str(db), actor="alice")
    try:
        [before] = new.feed.changes_since(0)
        assert (before.field, before.change_set) == ("project", None)
        new.projects.add_status(1, "Made by version 6", StatusCategory.TODO)
        [row] = new.feed.changes_since(before.id)
        assert row.new == "Made by version 6" and _is_uuid(row.change_set)
    finally:
        new.close()
