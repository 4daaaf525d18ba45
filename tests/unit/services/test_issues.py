"""IssueService on both backends: what is stored, what the Change log says, what is published."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable
from typing import Any

import pytest

from tests.unit.conftest import Board
from tests.unit.helpers import EventLog, column_keys, row_counts, stored_changes
from tracker_gui.domain import history, rank, validation
from tracker_gui.domain.enums import IssueType, LinkKind, Priority, StatusCategory
from tracker_gui.domain.models import Issue, IssueFilter, NewIssue
from tracker_gui.errors import (
    ConflictError,
    NotFoundError,
    TransitionError,
    UserError,
    ValidationError,
)
from tracker_gui.services import Services


def last_change_id(services: Services) -> int:
    return services.feed.last_id()


def assert_published_and_stored(services: Services, log: EventLog, after: int) -> list[Any]:
    """Every event published is exactly a Change row now in the database, and vice versa."""
    stored = stored_changes(services, after)
    assert log.events == stored
    return stored


def assert_replay_matches(services: Services, issue: Issue) -> None:
    row = history.state_of(services.issues.get(issue.id))
    assert history.replay(services.feed.history(issue.id), row) == history.state_of(issue)


# -- create --------------------------------------------------------------------------------
def test_create_stores_every_field_and_logs_one_created_change(board: Board) -> None:
    s = board.services
    log = EventLog(s)
    before = last_change_id(s)
    issue = board.new(
        "  Login fails on Safari ",
        type=IssueType.BUG,
        priority=Priority.HIGH,
        assignee="bob",
        description="Steps:\n1. open\n2. *click*",
        labels=("ui", "Backend", "ui"),
        due=dt.date(2024, 7, 1),
        estimate=2.5,
        watchers=("carol",),
    )
    stored = s.issues.get(issue.id)
    assert stored == issue
    assert stored.key == "TRK-1"
    assert stored.title == "Login fails on Safari"
    assert stored.type is IssueType.BUG
    assert stored.priority is Priority.HIGH
    assert stored.assignee == "bob"
    assert stored.reporter == "alice"
    assert stored.description == "Steps:\n1. open\n2. *click*"
    assert stored.labels == ("Backend", "ui")
    assert stored.due == dt.date(2024, 7, 1)
    assert stored.estimate == 2.5
    assert stored.status_id == board.status("To Do").id
    assert stored.resolved_at is None
    assert stored.version == 1
    assert not stored.archived
    assert rank.is_valid(stored.rank)
    assert s.issues.detail(issue.id).watchers == ("carol",)

    changes = assert_published_and_stored(s, log, before)
    assert len(changes) == 1
    (created,) = changes
    assert (created.field, created.issue_id, created.actor, created.old) == (
        history.CREATED,
        issue.id,
        "alice",
        None,
    )
    # The snapshot holds no copy of the text the row has (title, description), nor the
    # fields still empty (no parent, not archived): both backends.
    snapshot = json.loads(created.new)
    text = ("title", "description")
    assert not set(text) & set(snapshot) and "key" not in snapshot
    assert snapshot == {
        f: v
        for f, v in history.state_of(stored).items()
        if f not in text and f not in ("parent", "archived")
    }
    assert_replay_matches(s, stored)


def test_an_issue_created_with_every_default_replays_to_what_is_stored(board: Board) -> None:
    s = board.services
    issue = board.new("Plain")
    (created,) = s.feed.history(issue.id)
    # Only what an issue never starts without: its status, type, priority and rank.
    assert created.new is not None
    assert set(json.loads(created.new)) == {"priority", "rank", "status", "type"}
    assert_replay_matches(s, issue)
    # And after it moved, was labelled, assigned and archived: the log still replays.
    moved = s.issues.move(issue.id, issue.version, board.status("Done").id)
    edited = s.issues.edit(moved.id, moved.version, {"labels": ("ui",), "assignee": "bob"})
    archived = s.issues.archive(edited.id, edited.version)
    assert_replay_matches(s, archived)


def test_issue_numbers_count_up_per_project(board: Board) -> None:
    s = board.services
    s.projects.ensure_project("OPS")
    a = board.new("one")
    b = s.issues.create(NewIssue("ops", "other project"))
    c = board.new("two")
    assert [a.key, b.key, c.key] == ["TRK-1", "OPS-1", "TRK-2"]
    assert s.issues.by_key("trk-2") == c


def test_create_in_a_done_status_is_resolved_at_once(board: Board) -> None:
    issue = board.new("Already fixed", status="done")
    assert issue.status_id == board.status("Done").id
    assert issue.resolved_at is not None


def test_new_issues_go_to_the_bottom_of_their_column(board: Board) -> None:
    a, b, c = board.new("a"), board.new("b"), board.new("c")
    assert a.rank < b.rank < c.rank
    assert column_keys(board.services, board.status("To Do").id) == [a.key, b.key, c.key]


BAD_NEW_ISSUES: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("empty-title", {"title": "   "}, ValidationError, "title"),
    ("long-title", {"title": "x" * 501}, ValidationError, "title"),
    ("newline-title", {"title": "two\nlines"}, ValidationError, "title"),
    ("nul-title", {"title": "a\x00b"}, ValidationError, "title"),
    ("surrogate-title", {"title": "bad \ud800"}, ValidationError, "title"),
    ("huge-description", {"description": "d" * 1_000_001}, ValidationError, "description"),
    ("nul-description", {"description": "a\x00b"}, ValidationError, "description"),
    ("surrogate-description", {"description": "\udfff"}, ValidationError, "description"),
    ("negative-estimate", {"estimate": -1.0}, ValidationError, "estimate"),
    ("nan-estimate", {"estimate": float("nan")}, ValidationError, "estimate"),
    ("unknown-status", {"status": "Blocked"}, ValidationError, "status"),
    ("long-label", {"labels": ("fine", "x" * 51)}, ValidationError, "label"),
    ("bad-assignee-name", {"assignee": "no spaces allowed"}, ValidationError, "username"),
    ("bad-watcher-name", {"watchers": ("carol", "-bad")}, ValidationError, "username"),
    ("self-parent-missing", {"parent_key": "TRK-99"}, NotFoundError, ""),
    ("bad-parent-key", {"parent_key": "TRK99"}, ValidationError, "key"),
]


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [pytest.param(f, e, n, id=i) for i, f, e, n in BAD_NEW_ISSUES],
)
def test_invalid_new_issues_store_nothing(
    board: Board, fields: dict[str, Any], error: type[Exception], field: str
) -> None:
    s = board.services
    board.new("existing", labels=("old",))
    counts = row_counts(s)
    log = EventLog(s)
    values = {"title": "A fine title", **fields}
    with pytest.raises(error) as info:
        board.new(values.pop("title"), **values)
    if field:
        assert isinstance(info.value, ValidationError)
        assert info.value.field == field
    assert row_counts(s) == counts
    assert log.events == []


def test_unknown_project_is_not_found(board: Board) -> None:
    counts = row_counts(board.services)
    with pytest.raises(NotFoundError, match="NOPE"):
        board.services.issues.create(NewIssue("NOPE", "title"))
    assert row_counts(board.services) == counts


def test_unknown_assignee_on_postgres_is_refused_and_local_users_are_created_on_sqlite(
    board: Board, backend: str
) -> None:
    s = board.services
    counts = row_counts(s)
    if backend == "postgres":
        # On a shared database a user is a login role: typing a new name must not invent one.
        with pytest.raises(NotFoundError, match="zoe"):
            board.new("for zoe", assignee="zoe")
        assert row_counts(s) == counts
    else:
        issue = board.new("for zoe", assignee="zoe")
        assert issue.assignee == "zoe"
        assert [u.username for u in s.projects.users()].count("zoe") == 1


# -- edit ----------------------------------------------------------------------------------
EDITS: list[tuple[str, Any, str | None, str | None]] = [
    ("title", "Login fails on Firefox", "Login fails", "Login fails on Firefox"),
    ("description", "New *text*", "", "New *text*"),
    ("type", IssueType.STORY, "task", "story"),
    ("priority", Priority.HIGHEST, "medium", "highest"),
    ("priority", "lowest", "medium", "lowest"),
    ("assignee", "carol", None, "carol"),
    ("due", dt.date(2025, 1, 31), None, "2025-01-31"),
    ("estimate", 4, None, "4.0"),
    ("labels", ["ui", "api"], "", "api,ui"),
]


@pytest.mark.parametrize(("field", "value", "old", "new"), EDITS, ids=[e[0] for e in EDITS])
def test_editing_one_field_logs_exactly_one_change(
    board: Board, field: str, value: Any, old: str | None, new: str | None
) -> None:
    s = board.services
    issue = board.new("Login fails")
    log = EventLog(s)
    before = last_change_id(s)
    edited = s.issues.edit(issue.id, issue.version, {field: value})
    assert edited == s.issues.get(issue.id)
    assert edited.version == issue.version + 1
    assert history.state_of(edited)[field] == new
    changes = assert_published_and_stored(s, log, before)
    assert [(c.field, c.old, c.new, c.actor, c.issue_id) for c in changes] == [
        (field, old, new, "alice", issue.id)
    ]
    assert_replay_matches(s, edited)


def test_editing_several_fields_logs_one_change_each(board: Board) -> None:
    s = board.services
    issue = board.new("Old", assignee="bob", labels=("ui",))
    before = last_change_id(s)
    edited = s.issues.edit(
        issue.id,
        issue.version,
        {"title": "New", "assignee": None, "labels": ["ui", "db"], "priority": Priority.MEDIUM},
    )
    assert (edited.title, edited.assignee, edited.labels) == ("New", None, ("db", "ui"))
    changes = stored_changes(s, before)
    assert sorted((c.field, c.old, c.new) for c in changes) == [
        ("assignee", "bob", None),
        ("labels", "ui", "db,ui"),
        ("title", "Old", "New"),
    ]
    assert edited.version == issue.version + 1
    assert_replay_matches(s, edited)


def test_an_edit_that_changes_nothing_writes_nothing(board: Board) -> None:
    s = board.services
    issue = board.new("Same", assignee="bob", labels=("ui",), priority=Priority.HIGH)
    counts = row_counts(s)
    log = EventLog(s)
    same = s.issues.edit(
        issue.id,
        issue.version,
        {
            "title": " Same ",
            "assignee": "bob",
            "labels": ["UI"],
            "priority": "high",
            "description": "",
            "due": None,
            "estimate": None,
            "type": "task",
        },
    )
    assert same == issue
    assert s.issues.get(issue.id) == issue
    assert row_counts(s) == counts
    assert log.events == []


BAD_EDITS: list[tuple[str, dict[str, Any], str]] = [
    ("unknown-field", {"status": 3}, "status"),
    ("empty-title", {"title": ""}, "title"),
    ("newline-title", {"title": "a\nb"}, "title"),
    ("huge-description", {"description": "é" * 500_001}, "description"),
    ("nul-description", {"description": "\x00"}, "description"),
    ("negative-estimate", {"estimate": -3}, "estimate"),
    ("text-estimate", {"estimate": "three"}, "estimate"),
    ("unknown-priority", {"priority": "urgent"}, "priority"),
    ("out-of-range-priority", {"priority": 9}, "priority"),
    ("unknown-type", {"type": "chore"}, "type"),
    ("due-as-text", {"due": "2024-01-01"}, "due"),
    ("bad-assignee", {"assignee": "two words"}, "username"),
    # The title is fine; the second label is not: the whole edit must roll back.
    ("late-failure", {"title": "Renamed", "labels": ["new-label", "y" * 51]}, "label"),
]


@pytest.mark.parametrize(("changes", "field"), [pytest.param(c, f, id=i) for i, c, f in BAD_EDITS])
def test_invalid_edits_store_nothing_and_publish_nothing(
    board: Board, changes: dict[str, Any], field: str
) -> None:
    s = board.services
    issue = board.new("Original")
    counts = row_counts(s)
    log = EventLog(s)
    with pytest.raises(ValidationError) as info:
        s.issues.edit(issue.id, issue.version, changes)
    assert info.value.field == field
    assert s.issues.get(issue.id) == issue
    assert row_counts(s) == counts
    assert s.projects.labels(board.project.id) == []
    assert log.events == []


def test_parent_rules(board: Board) -> None:
    s = board.services
    epic = board.new("Epic", type=IssueType.EPIC)
    story = board.new("Story", parent_key=epic.key)
    task = board.new("Task", parent_key=story.key)
    assert story.parent_id == epic.id
    assert [c.key for c in s.issues.detail(epic.id).children] == [story.key]
    assert s.issues.detail(task.id).parent_key == story.key
    s.projects.ensure_project("OPS")
    other = s.issues.create(NewIssue("OPS", "elsewhere"))
    counts = row_counts(s)
    with pytest.raises(ValidationError, match="own parent"):
        s.issues.edit(epic.id, epic.version, {"parent": epic.id})
    with pytest.raises(ValidationError, match="cycle"):
        s.issues.edit(epic.id, epic.version, {"parent": task.key})
    with pytest.raises(ValidationError, match="same project"):
        s.issues.edit(task.id, task.version, {"parent": other.key})
    assert row_counts(s) == counts
    moved = s.issues.edit(task.id, task.version, {"parent": epic.key})
    assert moved.parent_id == epic.id
    assert_replay_matches(s, moved)
    cleared = s.issues.edit(moved.id, moved.version, {"parent": None})
    assert cleared.parent_id is None
    assert_replay_matches(s, cleared)


# -- move ----------------------------------------------------------------------------------
def test_move_to_another_status_logs_status_and_rank(board: Board) -> None:
    s = board.services
    there = board.new("Already there", status="In Progress")
    issue = board.new("Move me")
    log = EventLog(s)
    before = last_change_id(s)
    doing = board.status("In Progress")
    moved = s.issues.move(issue.id, issue.version, doing.id)
    assert moved == s.issues.get(issue.id)
    assert moved.status_id == doing.id
    assert moved.version == issue.version + 1
    changes = assert_published_and_stored(s, log, before)
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("status", str(board.status("To Do").id), str(doing.id)),
        ("rank", issue.rank, moved.rank),
    ]
    assert moved.rank > there.rank
    assert column_keys(s, doing.id) == [there.key, moved.key]
    assert column_keys(s, board.status("To Do").id) == []
    assert_replay_matches(s, moved)


def test_resolved_at_is_set_entering_done_and_cleared_leaving_it(board: Board) -> None:
    s = board.services
    wont = s.projects.add_status(board.project.id, "Won't Do", StatusCategory.DONE)
    issue = board.new("Fix it")
    assert issue.resolved_at is None
    in_review = s.issues.move(issue.id, issue.version, board.status("In Review").id)
    assert in_review.resolved_at is None
    done = s.issues.transition(in_review.id, in_review.version, "Done")
    assert done.resolved_at is not None
    assert abs(done.resolved_at - done.updated_at) < dt.timedelta(seconds=5)
    # From one done status to another: still resolved, at the original time.
    wont_do = s.issues.move(done.id, done.version, wont.id)
    assert wont_do.resolved_at == done.resolved_at
    reopened = s.issues.move(wont_do.id, wont_do.version, board.status("To Do").id)
    assert reopened.resolved_at is None
    assert s.issues.get(issue.id).resolved_at is None


def test_a_move_that_changes_nothing_writes_nothing(board: Board) -> None:
    s = board.services
    issue = board.new("Stay")
    counts = row_counts(s)
    log = EventLog(s)
    assert s.issues.move(issue.id, issue.version, issue.status_id) == issue
    assert s.issues.move(issue.id, issue.version) == issue
    assert row_counts(s) == counts
    assert log.events == []


def test_drop_positions_in_a_column(board: Board) -> None:
    s = board.services
    todo = board.status("To Do").id
    a, b, c = board.new("a"), board.new("b"), board.new("c")
    d = board.new("d", status="In Progress")

    d = s.issues.move(d.id, d.version, todo, after_id=c.id)  # below the last card
    assert column_keys(s, todo) == [a.key, b.key, c.key, d.key]
    d = s.issues.move(d.id, d.version, todo, before_id=a.id)  # at the top
    assert column_keys(s, todo) == [d.key, a.key, b.key, c.key]
    d = s.issues.move(d.id, d.version, todo, after_id=a.id)  # between two cards
    assert column_keys(s, todo) == [a.key, d.key, b.key, c.key]
    d = s.issues.move(d.id, d.version, todo, before_id=c.id)
    assert column_keys(s, todo) == [a.key, b.key, d.key, c.key]
    d = s.issues.move(d.id, d.version, todo, after_id=a.id, before_id=b.id)
    assert column_keys(s, todo) == [a.key, d.key, b.key, c.key]
    c = s.issues.move(c.id, board.get(c).version, todo, before_id=a.id)  # reorder only
    assert column_keys(s, todo) == [c.key, a.key, d.key, b.key]
    assert len({board.get(i).rank for i in (a, b, c, d)}) == 4
    for issue in (a, b, c, d):
        assert_replay_matches(s, board.get(issue))


def test_undo_puts_a_card_back_at_its_exact_rank(board: Board) -> None:
    s = board.services
    todo = board.status("To Do").id
    a, b, c = board.new("a"), board.new("b"), board.new("c")
    away = s.issues.move(b.id, b.version, board.status("Done").id)
    back = s.issues.move(away.id, away.version, todo, exact_rank=b.rank)
    assert back.rank == b.rank
    assert column_keys(s, todo) == [a.key, b.key, c.key]
    assert_replay_matches(s, back)


def test_undo_never_takes_a_rank_an_archived_card_holds(board: Board) -> None:
    """Undo restores an old rank only if it is free; an archived card still holds its rank."""
    s = board.services
    todo = board.status("To Do").id
    a, b = board.new("a"), board.new("b")
    away = s.issues.move(b.id, b.version, board.status("Done").id)
    c = board.new("c")
    s.issues.archive(c.id, c.version)
    back = s.issues.move(away.id, away.version, todo, exact_rank=b.rank)
    ranks = [board.get(i).rank for i in (a, back, c)]
    assert len(set(ranks)) == 3, f"ranks collide: {ranks}"
    assert column_keys(s, todo)[0] == a.key


def test_reorder_logs_only_the_rank(board: Board) -> None:
    s = board.services
    a, b = board.new("a"), board.new("b")
    before = last_change_id(s)
    moved = s.issues.move(b.id, b.version, before_id=a.id)
    assert [(c.field, c.old, c.new) for c in stored_changes(s, before)] == [
        ("rank", b.rank, moved.rank)
    ]
    assert column_keys(s, a.status_id) == [b.key, a.key]


def test_many_moves_keep_the_column_order_a_plain_list_predicts(board: Board) -> None:
    s = board.services
    rng = random.Random(2024)
    columns: dict[int, list[int]] = {board.status(n).id: [] for n in ("To Do", "In Progress")}
    todo, doing = columns
    for n in range(8):
        issue = board.new(f"card {n}")
        columns[todo].append(issue.id)
    for _ in range(60):
        issue_id = rng.choice(columns[todo] + columns[doing])
        source = todo if issue_id in columns[todo] else doing
        target = rng.choice([todo, doing])
        others = [i for i in columns[target] if i != issue_id]
        columns[source].remove(issue_id)
        version = board.get(issue_id).version
        if not others:
            s.issues.move(issue_id, version, target)
            columns[target].append(issue_id)
            continue
        where = rng.choice(["after", "before", "between"])
        pos = rng.randrange(len(others))
        if where == "after":
            s.issues.move(issue_id, version, target, after_id=others[pos])
            columns[target] = [*others[: pos + 1], issue_id, *others[pos + 1 :]]
        elif where == "before":
            s.issues.move(issue_id, version, target, before_id=others[pos])
            columns[target] = [*others[:pos], issue_id, *others[pos:]]
        else:
            pos = min(pos, len(others) - 2) if len(others) > 1 else 0
            after = others[pos]
            before = others[pos + 1] if pos + 1 < len(others) else None
            s.issues.move(issue_id, version, target, after_id=after, before_id=before)
            columns[target] = [*others[: pos + 1], issue_id, *others[pos + 1 :]]
        for status_id, expected in columns.items():
            got = [i.id for i in s.issues.column(status_id, IssueFilter(), limit=100)]
            assert got == expected
    ranks = [board.get(i).rank for ids in columns.values() for i in ids]
    assert all(rank.is_valid(r) for r in ranks)


def test_move_to_a_status_of_another_project_is_refused(board: Board) -> None:
    s = board.services
    ops, _ = s.projects.ensure_project("OPS")
    foreign = s.projects.statuses(ops.id)[1]
    issue = board.new("stay home")
    counts = row_counts(s)
    with pytest.raises(ValidationError, match="does not belong"):
        s.issues.move(issue.id, issue.version, foreign.id)
    with pytest.raises(ValidationError, match="no status"):
        s.issues.transition(issue.id, issue.version, "Blocked")
    assert row_counts(s) == counts


# -- transitions ---------------------------------------------------------------------------
def test_a_restricted_workflow_refuses_forbidden_moves_and_stores_nothing(board: Board) -> None:
    s = board.services
    todo, doing, done = (board.status(n).id for n in ("To Do", "In Progress", "Done"))
    s.projects.set_transitions(board.project.id, [(todo, doing), (doing, done)])
    issue = board.new("Follow the rules")
    counts = row_counts(s)
    log = EventLog(s)
    with pytest.raises(TransitionError, match="'To Do' to 'Done' is not allowed"):
        s.issues.move(issue.id, issue.version, done)
    with pytest.raises(TransitionError):
        s.issues.transition(issue.id, issue.version, "done")
    with pytest.raises(TransitionError):
        s.issues.bulk_move([(issue.id, issue.version, done)])
    assert row_counts(s) == counts
    assert log.events == []
    assert s.issues.get(issue.id) == issue

    doing_issue = s.issues.move(issue.id, issue.version, doing)
    assert doing_issue.status_id == doing
    done_issue = s.issues.move(doing_issue.id, doing_issue.version, done)
    assert done_issue.status_id == done
    assert done_issue.resolved_at is not None
    with pytest.raises(TransitionError):
        s.issues.move(done_issue.id, done_issue.version, todo)
    assert column_keys(s, done) == [done_issue.key]
    # Reordering inside a column is always allowed, whatever the transitions say.
    first, second = board.new("first"), board.new("second")
    s.issues.move(second.id, second.version, todo, before_id=first.id)
    assert column_keys(s, todo) == [second.key, first.key]


# -- bulk move -----------------------------------------------------------------------------
def test_bulk_move_appends_each_issue_with_its_own_rank_and_resolves_them(board: Board) -> None:
    s = board.services
    done = board.status("Done").id
    old = board.new("already done", status="Done")
    a, b, c = board.new("a"), board.new("b"), board.new("c")
    moved = s.issues.bulk_move([(i.id, i.version, done) for i in (a, b, c)])
    assert [m.status_id for m in moved] == [done, done, done]
    ranks = [board.get(i).rank for i in (old, a, b, c)]
    assert len(set(ranks)) == 4, f"ranks collide: {ranks}"
    assert column_keys(s, done) == [old.key, a.key, b.key, c.key]
    assert all(board.get(i).resolved_at is not None for i in (a, b, c))
    for issue in (a, b, c):
        assert_replay_matches(s, board.get(issue))


def test_bulk_move_is_all_or_nothing(board: Board) -> None:
    s = board.services
    a, b = board.new("a"), board.new("b")
    stale = b.version
    s.issues.edit(b.id, b.version, {"title": "b changed"})
    counts = row_counts(s)
    log = EventLog(s)
    with pytest.raises(ConflictError):
        s.issues.bulk_move(
            [(a.id, a.version, board.status("Done").id), (b.id, stale, board.status("Done").id)]
        )
    assert row_counts(s) == counts
    assert board.get(a).status_id == board.status("To Do").id
    assert log.events == []


# -- comments, links, watchers, attachments -----------------------------------------------
def test_comment_and_edit_comment(board: Board, make_services: Callable[..., Services]) -> None:
    s = board.services
    issue = board.new("Discuss")
    log = EventLog(s)
    before = last_change_id(s)
    comment = s.issues.comment(issue.id, "  First thought  ")
    assert (comment.body, comment.author, comment.edited_at) == ("First thought", "alice", None)
    edited = s.issues.edit_comment(comment.id, "Second thought")
    assert edited.body == "Second thought"
    assert edited.edited_at is not None
    assert s.issues.detail(issue.id).comments == (edited,)
    changes = assert_published_and_stored(s, log, before)
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("comment", None, "First thought"),
        ("comment.edited", "First thought", "Second thought"),
    ]
    long = s.issues.comment(issue.id, "x" * 500)
    assert s.issues.detail(issue.id).comments[-1].body == "x" * 500
    assert stored_changes(s, changes[-1].id)[0].new == "x" * 200
    assert long.body == "x" * 500

    bob = make_services("bob")
    counts = row_counts(s)
    with pytest.raises(UserError, match="only the author"):
        bob.issues.edit_comment(comment.id, "hijacked")
    with pytest.raises(ValidationError):
        s.issues.comment(issue.id, "   ")
    with pytest.raises(ValidationError):
        s.issues.edit_comment(comment.id, "nul \x00")
    with pytest.raises(NotFoundError):
        s.issues.edit_comment(987654, "nobody")
    assert row_counts(s) == counts
    assert s.issues.detail(issue.id).comments[0] == edited


def test_link_and_unlink(board: Board) -> None:
    s = board.services
    a, b = board.new("Blocker"), board.new("Blocked")
    log = EventLog(s)
    before = last_change_id(s)
    s.issues.link(a.id, LinkKind.BLOCKS, b.key)
    s.issues.link(a.id, LinkKind.BLOCKS, b.key.lower())  # already there: nothing new
    (out,) = s.issues.detail(a.id).links
    (inward,) = s.issues.detail(b.id).links
    assert (out.kind, out.other_key, out.other_title, out.phrase) == (
        LinkKind.BLOCKS,
        b.key,
        "Blocked",
        "blocks",
    )
    assert (inward.other_key, inward.phrase) == (a.key, "is blocked by")
    s.issues.unlink(a.id, LinkKind.BLOCKS, b.key)
    assert s.issues.detail(a.id).links == ()
    assert s.issues.detail(b.id).links == ()
    changes = assert_published_and_stored(s, log, before)
    assert [(c.issue_id, c.field, c.old, c.new) for c in changes] == [
        # Both ends, each naming the other by id (its key is read when shown).
        (a.id, "link", None, f"blocks #{b.id}"),
        (b.id, "link", None, f"blocked by #{a.id}"),
        (a.id, "unlink", f"blocks #{b.id}", None),
        (b.id, "unlink", f"blocked by #{a.id}", None),
    ]
    counts = row_counts(s)
    with pytest.raises(ValidationError, match="itself"):
        s.issues.link(a.id, LinkKind.RELATES, a.key)
    with pytest.raises(NotFoundError):
        s.issues.unlink(a.id, LinkKind.BLOCKS, b.key)
    with pytest.raises(NotFoundError):
        s.issues.link(a.id, LinkKind.RELATES, "TRK-404")
    assert row_counts(s) == counts


def test_watch_and_unwatch(board: Board) -> None:
    s = board.services
    issue = board.new("Watch me")
    log = EventLog(s)
    before = last_change_id(s)
    s.issues.watch(issue.id)
    s.issues.watch(issue.id, "carol")
    s.issues.watch(issue.id)  # already watching: nothing new
    assert s.issues.detail(issue.id).watchers == ("alice", "carol")
    s.issues.watch(issue.id, on=False)
    s.issues.watch(issue.id, on=False)  # not watching: nothing new
    assert s.issues.detail(issue.id).watchers == ("carol",)
    changes = assert_published_and_stored(s, log, before)
    assert [(c.field, c.new) for c in changes] == [
        ("watch", "alice"),
        ("watch", "carol"),
        ("unwatch", "alice"),
    ]


def test_attach_stores_the_bytes_and_refuses_oversized_files(board: Board) -> None:
    s = board.services
    issue = board.new("Screenshot")
    data = bytes(range(256)) * 40
    before = last_change_id(s)
    s.issues.attach(issue.id, "shot.png", data)
    (att,) = s.issues.detail(issue.id).attachments
    assert (att.name, att.size, att.sha256, att.uploader) == (
        "shot.png",
        len(data),
        hashlib.sha256(data).hexdigest(),
        "alice",
    )
    assert s.issues.repo.attachment_data(att.id) == data
    assert [(c.field, c.new) for c in stored_changes(s, before)] == [("attachment", "shot.png")]
    counts = row_counts(s)
    with pytest.raises(ValidationError) as info:
        s.issues.attach(issue.id, "big.bin", b"\0" * (validation.ATTACHMENT_MAX_BYTES + 1))
    assert info.value.field == "attachment"
    assert row_counts(s) == counts


# -- archive / delete ----------------------------------------------------------------------
def test_archive_and_restore(board: Board) -> None:
    s = board.services
    issue = board.new("Old news")
    log = EventLog(s)
    before = last_change_id(s)
    archived = s.issues.archive(issue.id, issue.version)
    assert archived.archived
    assert archived.version == issue.version + 1
    assert s.issues.search(IssueFilter()) == []
    assert [i.key for i in s.issues.search(IssueFilter(include_archived=True))] == [issue.key]
    assert column_keys(s, issue.status_id) == []
    again = s.issues.archive(archived.id, archived.version)  # already archived: no change
    assert again == archived
    restored = s.issues.archive(archived.id, archived.version, archived=False)
    assert not restored.archived
    assert column_keys(s, issue.status_id) == [issue.key]
    changes = assert_published_and_stored(s, log, before)
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("archived", "false", "true"),
        ("archived", "true", "false"),
    ]
    assert_replay_matches(s, restored)


def test_restored_issues_keep_a_unique_place_in_their_column(board: Board) -> None:
    """Cards created or dropped while another is archived must not collide with its rank."""
    s = board.services
    todo = board.status("To Do").id
    a, b = board.new("a"), board.new("b")
    b = s.issues.archive(b.id, b.version)
    c = board.new("c")  # appended while b is archived
    restored = s.issues.archive(b.id, b.version, archived=False)
    ranks = [board.get(i).rank for i in (a, restored, c)]
    assert len(set(ranks)) == 3, f"ranks collide: {ranks}"
    order = column_keys(s, todo)
    assert sorted(order) == sorted([a.key, b.key, c.key])
    # Every card can still be dropped directly below every other one.
    for mover in (a, restored, c):
        for target in (a, restored, c):
            if mover.id == target.id:
                continue
            current = board.get(mover)
            s.issues.move(current.id, current.version, todo, after_id=target.id)
            keys = column_keys(s, todo)
            assert keys.index(current.key) == keys.index(board.get(target).key) + 1


def test_delete_removes_the_issue_but_keeps_its_history(board: Board) -> None:
    s = board.services
    issue = board.new("Doomed", labels=("x",))
    s.issues.comment(issue.id, "bye")
    s.issues.watch(issue.id)
    log = EventLog(s)
    before = last_change_id(s)
    counts = row_counts(s)
    s.issues.delete(issue.id, issue.version)
    with pytest.raises(NotFoundError):
        s.issues.get(issue.id)
    after = row_counts(s)
    assert after["issue"] == counts["issue"] - 1
    assert after["comment"] == counts["comment"] - 1
    assert after["watcher"] == counts["watcher"] - 1
    assert after["issue_label"] == counts["issue_label"] - 1
    changes = assert_published_and_stored(s, log, before)
    assert [(c.field, c.old, c.new) for c in changes] == [(history.DELETED, issue.key, None)]
    assert history.replay(s.feed.history(issue.id)) is None
    assert len(s.feed.history(issue.id)) == 4


def test_deleting_a_parent_is_recorded_in_the_childrens_history(board: Board) -> None:
    s = board.services
    parent = board.new("Epic", type=IssueType.EPIC)
    child = board.new("Story", parent_key=parent.key)
    s.issues.delete(parent.id, parent.version)
    orphan = board.get(child)
    assert orphan.parent_id is None
    assert orphan.version > child.version, "a changed row must get a new version"
    assert_replay_matches(s, orphan)


# -- events and transactions ---------------------------------------------------------------
def test_events_are_published_after_the_commit(
    board: Board, make_services: Callable[..., Services]
) -> None:
    """A subscriber reading through another connection already sees the rows it is told about."""
    s = board.services
    observer = make_services("bob")
    issue = board.new("Observed")
    seen: list[list[int]] = []

    def on_events(events: Any) -> None:
        visible = {c.id for c in observer.feed.changes_since(min(e.id for e in events) - 1)}
        assert {e.id for e in events} <= visible
        seen.append([e.id for e in events])

    s.bus.subscribe(on_events)
    edited = s.issues.edit(issue.id, issue.version, {"title": "Observed twice", "priority": 5})
    s.issues.move(edited.id, edited.version, board.status("Done").id)
    s.issues.comment(issue.id, "seen?")
    assert len(seen) == 3
    assert [len(batch) for batch in seen] == [2, 1, 1]


def test_nothing_is_published_when_the_transaction_fails(
    board: Board, make_services: Callable[..., Services]
) -> None:
    s = board.services
    issue = board.new("Contested")
    bob = make_services("bob")
    bob.issues.edit(issue.id, issue.version, {"title": "Bob was here"})
    log = EventLog(s)
    counts = row_counts(s)
    with pytest.raises(ConflictError):
        s.issues.edit(issue.id, issue.version, {"title": "Alice was here"})
    with pytest.raises(ConflictError):
        s.issues.move(issue.id, issue.version, board.status("Done").id)
    with pytest.raises(ConflictError):
        s.issues.archive(issue.id, issue.version)
    with pytest.raises(ConflictError):
        s.issues.delete(issue.id, issue.version)
    assert log.events == []
    assert row_counts(s) == counts
    assert s.bus.last_published < bob.feed.last_id()


# -- conflicts between two sessions --------------------------------------------------------
def test_concurrent_edits_first_wins_second_gets_the_winning_state(
    board: Board, make_services: Callable[..., Services]
) -> None:
    alice = board.services
    bob = make_services("bob")
    issue = board.new("Shared")
    seen_by_alice = alice.issues.get(issue.id)
    seen_by_bob = bob.issues.get(issue.id)
    before = last_change_id(alice)

    winner = alice.issues.edit(seen_by_alice.id, seen_by_alice.version, {"title": "Alice's"})
    with pytest.raises(ConflictError) as info:
        bob.issues.edit(seen_by_bob.id, seen_by_bob.version, {"title": "Bob's", "priority": 1})
    assert info.value.current == winner
    assert "reload" in str(info.value)
    assert bob.issues.get(issue.id) == winner
    changes = stored_changes(bob, before)
    assert [(c.actor, c.field, c.new) for c in changes] == [("alice", "title", "Alice's")]


def test_concurrent_moves_first_wins(board: Board, make_services: Callable[..., Services]) -> None:
    alice = board.services
    bob = make_services("bob")
    issue = board.new("Where to?")
    stale = bob.issues.get(issue.id)
    before = last_change_id(alice)
    winner = alice.issues.move(issue.id, issue.version, board.status("In Progress").id)
    with pytest.raises(ConflictError) as info:
        bob.issues.move(stale.id, stale.version, board.status("Done").id)
    assert info.value.current == winner
    assert bob.issues.get(issue.id).status_id == board.status("In Progress").id
    changes = stored_changes(alice, before)
    assert {c.actor for c in changes} == {"alice"}
    assert [(c.field, c.new) for c in changes if c.field == "status"] == [
        ("status", str(board.status("In Progress").id))
    ]


def test_edit_after_a_concurrent_move_conflicts(
    board: Board, make_services: Callable[..., Services]
) -> None:
    alice = board.services
    bob = make_services("bob")
    issue = board.new("Moving target")
    stale = bob.issues.get(issue.id)
    winner = alice.issues.move(issue.id, issue.version, board.status("Done").id)
    counts = row_counts(alice)
    with pytest.raises(ConflictError) as info:
        bob.issues.edit(stale.id, stale.version, {"assignee": "bob"})
    assert info.value.current == winner
    assert row_counts(alice) == counts


@pytest.mark.parametrize("action", ["edit", "move", "archive", "delete"])
def test_acting_on_an_issue_someone_deleted_is_a_conflict_with_nothing_current(
    board: Board, make_services: Callable[..., Services], action: str
) -> None:
    alice = board.services
    bob = make_services("bob")
    issue = board.new("Gone soon")
    stale = bob.issues.get(issue.id)
    alice.issues.delete(issue.id, issue.version)
    counts = row_counts(alice)
    log = EventLog(bob)
    calls: dict[str, Callable[[], object]] = {
        "edit": lambda: bob.issues.edit(stale.id, stale.version, {"title": "too late"}),
        "move": lambda: bob.issues.move(stale.id, stale.version, board.status("Done").id),
        "archive": lambda: bob.issues.archive(stale.id, stale.version),
        "delete": lambda: bob.issues.delete(stale.id, stale.version),
    }
    with pytest.raises(ConflictError, match="deleted") as info:
        calls[action]()
    assert info.value.current is None
    assert row_counts(alice) == counts
    assert log.events == []


# -- history replay ------------------------------------------------------------------------
def test_history_replays_to_the_current_state_after_many_kinds_of_change(board: Board) -> None:
    s = board.services
    issue = board.new("Start", labels=("a",), assignee="bob", estimate=1)
    issue = s.issues.edit(issue.id, issue.version, {"title": "Middle", "labels": ["a", "b"]})
    issue = s.issues.move(issue.id, issue.version, board.status("In Review").id)
    issue = s.issues.edit(issue.id, issue.version, {"assignee": None, "due": dt.date(2030, 1, 1)})
    issue = s.issues.archive(issue.id, issue.version)
    issue = s.issues.archive(issue.id, issue.version, archived=False)
    s.issues.comment(issue.id, "not part of the state")
    issue = s.issues.edit(issue.id, issue.version, {"estimate": None, "type": "bug"})
    assert_replay_matches(s, board.get(issue))


def test_a_stale_save_that_would_change_nothing_is_still_a_conflict(board: Board) -> None:
    """Two read-modify-writes from the same version: the second must not pass as a no-op
    just because the first already stored the value it wanted (its increment would be lost)."""
    issue = board.new("counted", estimate=1.0)
    first = board.services.issues.edit(issue.id, issue.version, {"estimate": 2.0})
    with pytest.raises(ConflictError):
        board.services.issues.edit(issue.id, issue.version, {"estimate": 2.0})
    with pytest.raises(ConflictError):
        board.services.issues.move(issue.id, issue.version, issue.status_id)
    with pytest.raises(ConflictError):
        board.services.issues.archive(issue.id, issue.version, False)
    assert board.get(issue).version == first.version == 2
