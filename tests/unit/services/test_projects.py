"""ProjectService on both backends: projects, workflow, labels, users and saved filters."""

from __future__ import annotations

import getpass
from collections.abc import Callable

import pytest

from tests.unit.conftest import Board
from tests.unit.helpers import EventLog, column_keys, row_counts, stored_changes
from tracker_gui.domain import history
from tracker_gui.domain.enums import StatusCategory
from tracker_gui.errors import NotFoundError, UserError, ValidationError
from tracker_gui.services import Services, open_services
from tracker_gui.services.projects import DEFAULT_COLOURS


# -- projects ------------------------------------------------------------------------------
def test_ensure_project_creates_the_default_board_once(services: Services) -> None:
    log = EventLog(services)
    project, created = services.projects.ensure_project(" trk ", "Tracker")
    assert created
    assert (project.key, project.name) == ("TRK", "Tracker")
    statuses = services.projects.statuses(project.id)
    assert [(s.name, s.category, s.position, s.colour) for s in statuses] == [
        ("To Do", StatusCategory.TODO, 0, DEFAULT_COLOURS[StatusCategory.TODO]),
        ("In Progress", StatusCategory.IN_PROGRESS, 1, DEFAULT_COLOURS[StatusCategory.IN_PROGRESS]),
        ("In Review", StatusCategory.IN_PROGRESS, 2, DEFAULT_COLOURS[StatusCategory.IN_PROGRESS]),
        ("Done", StatusCategory.DONE, 3, DEFAULT_COLOURS[StatusCategory.DONE]),
    ]
    assert services.projects.transitions(project.id) == []
    assert services.projects.me().username == "alice"
    changes = stored_changes(services)
    assert [(c.field, c.new, c.issue_id) for c in changes] == [("project", "TRK", None)]
    assert log.events == changes

    counts = row_counts(services)
    again, created_again = services.projects.ensure_project("TRK", "Other name")
    assert (again, created_again) == (project, False)
    assert row_counts(services) == counts
    assert services.projects.project("trk") == project
    assert [p.key for p in services.projects.projects()] == ["TRK"]


@pytest.mark.parametrize("key", ["1AB", "T", "TR-K", "TOOLONGKEY1", "", "T\x00K"])
def test_a_bad_project_key_stores_nothing(services: Services, key: str) -> None:
    counts = row_counts(services)
    with pytest.raises(ValidationError) as info:
        services.projects.ensure_project(key)
    assert info.value.field == "key"
    assert row_counts(services) == counts


def test_a_bad_project_name_stores_nothing(services: Services) -> None:
    counts = row_counts(services)
    with pytest.raises(ValidationError) as info:
        services.projects.ensure_project("TRK", "n" * 201)
    assert info.value.field == "name"
    assert row_counts(services) == counts


def test_unknown_project_is_not_found(services: Services) -> None:
    with pytest.raises(NotFoundError, match="'NOPE'"):
        services.projects.project("nope")


def test_update_project(board: Board) -> None:
    s = board.services
    before = s.feed.last_id()
    updated = s.projects.update_project("trk", "Tracker app", "All the *work*")
    assert (updated.name, updated.description) == ("Tracker app", "All the *work*")
    assert s.projects.project("TRK") == updated
    assert [(c.field, c.old, c.new) for c in stored_changes(s, before)] == [
        ("project.name", "Tracker", "Tracker app")
    ]
    counts = row_counts(s)
    with pytest.raises(ValidationError):
        s.projects.update_project("TRK", "ok", "bad \x00")
    assert row_counts(s) == counts


# -- statuses ------------------------------------------------------------------------------
def test_add_status_goes_last_with_its_settings(board: Board) -> None:
    s = board.services
    before = s.feed.last_id()
    blocked = s.projects.add_status(
        board.project.id, " Blocked ", StatusCategory.IN_PROGRESS, wip_limit=3, colour="#aa0000"
    )
    assert (blocked.name, blocked.position, blocked.wip_limit, blocked.colour) == (
        "Blocked",
        4,
        3,
        "#aa0000",
    )
    assert s.projects.statuses(board.project.id)[-1] == blocked
    default = s.projects.add_status(board.project.id, "Shipped", StatusCategory.DONE)
    assert default.colour == DEFAULT_COLOURS[StatusCategory.DONE]
    assert [(c.field, c.new) for c in stored_changes(s, before)] == [
        ("status.added", "Blocked"),
        ("status.added", "Shipped"),
    ]


@pytest.mark.parametrize(
    ("name", "options", "field"),
    [
        ("in progress", {}, "status"),
        ("", {}, "status"),
        ("x" * 61, {}, "status"),
        ("Blocked", {"colour": "red"}, "colour"),
        ("Blocked", {"colour": "#12345"}, "colour"),
        ("Blocked", {"wip_limit": 0}, "wip_limit"),
        ("Blocked", {"wip_limit": 10_001}, "wip_limit"),
    ],
    ids=["duplicate", "empty", "long", "colour-word", "colour-short", "wip-0", "wip-huge"],
)
def test_invalid_statuses_store_nothing(
    board: Board, name: str, options: dict[str, object], field: str
) -> None:
    s = board.services
    counts = row_counts(s)
    with pytest.raises(ValidationError) as info:
        s.projects.add_status(board.project.id, name, StatusCategory.TODO, **options)  # type: ignore[arg-type]
    assert info.value.field == field
    assert row_counts(s) == counts


def test_update_status_logs_old_and_new_values(board: Board) -> None:
    s = board.services
    review = board.status("In Review")
    before = s.feed.last_id()
    updated = s.projects.update_status(
        review.id, name="QA", category=StatusCategory.DONE, wip_limit=5, colour="#00aa00"
    )
    assert (updated.name, updated.category, updated.wip_limit, updated.colour) == (
        "QA",
        StatusCategory.DONE,
        5,
        "#00aa00",
    )
    assert s.projects.statuses(board.project.id)[2] == updated
    assert sorted((c.field, c.old, c.new) for c in stored_changes(s, before)) == [
        ("status.category", "in_progress", "done"),
        ("status.colour", review.colour, "#00aa00"),
        ("status.name", "In Review", "QA"),
        ("status.wip_limit", None, "5"),
    ]


def test_update_status_with_the_current_values_writes_nothing(board: Board) -> None:
    s = board.services
    review = board.status("In Review")
    counts = row_counts(s)
    log = EventLog(s)
    same = s.projects.update_status(
        review.id,
        name="In Review",
        category=review.category,
        wip_limit=review.wip_limit,
        colour=review.colour,
    )
    assert same == review
    assert row_counts(s) == counts
    assert log.events == []


def test_update_status_validation(board: Board) -> None:
    s = board.services
    review = board.status("In Review")
    counts = row_counts(s)
    with pytest.raises(ValidationError, match="already exists"):
        s.projects.update_status(review.id, name="DONE")
    with pytest.raises(ValidationError):
        s.projects.update_status(review.id, colour="blue")
    with pytest.raises(ValidationError):
        s.projects.update_status(review.id, wip_limit=-2)
    with pytest.raises(NotFoundError):
        s.projects.update_status(987654, name="Ghost")
    assert row_counts(s) == counts
    assert s.projects.statuses(board.project.id)[2] == review


def test_reorder_statuses(board: Board) -> None:
    s = board.services
    ids = [st.id for st in s.projects.statuses(board.project.id)]
    reordered = s.projects.reorder_statuses(board.project.id, [ids[3], ids[0], ids[2], ids[1]])
    assert [st.name for st in reordered] == ["Done", "To Do", "In Review", "In Progress"]
    assert s.projects.workflow(board.project.id).initial.name == "Done"
    counts = row_counts(s)
    with pytest.raises(UserError, match="every status"):
        s.projects.reorder_statuses(board.project.id, ids[:3])
    with pytest.raises(UserError, match="every status"):
        s.projects.reorder_statuses(board.project.id, [ids[0], ids[0], ids[1], ids[2]])
    assert row_counts(s) == counts


def test_deleting_a_status_in_use_is_refused_with_the_count(board: Board) -> None:
    s = board.services
    review = board.status("In Review")
    board.new("one", status="In Review")
    board.new("two", status="In Review")
    counts = row_counts(s)
    log = EventLog(s)
    with pytest.raises(UserError, match=r"^2 issues still use 'In Review'"):
        s.projects.delete_status(review.id)
    assert row_counts(s) == counts
    assert log.events == []
    single = board.new("three", status="Done")
    with pytest.raises(UserError, match=r"^1 issue still uses 'Done'|^1 issue still use 'Done'"):
        s.projects.delete_status(board.status("Done").id)
    assert board.get(single).status_id == board.status("Done").id


def test_deleting_a_status_moves_its_issues_to_the_end_of_the_target(board: Board) -> None:
    s = board.services
    todo, review = board.status("To Do"), board.status("In Review")
    a, b = board.new("a"), board.new("b")
    c = board.new("c", status="In Review")
    d = board.new("d", status="In Review")
    before = s.feed.last_id()
    log = EventLog(s)
    moved = s.projects.delete_status(review.id, move_to=todo.id)
    assert moved == 2
    assert [st.name for st in s.projects.statuses(board.project.id)] == [
        "To Do",
        "In Progress",
        "Done",
    ]
    changes = stored_changes(s, before)
    assert log.events == changes
    status_changes = sorted((ch.issue_id, ch.old, ch.new) for ch in changes if ch.field == "status")
    assert status_changes == [
        (c.id, str(review.id), str(todo.id)),
        (d.id, str(review.id), str(todo.id)),
    ]
    assert [(ch.field, ch.old) for ch in changes if ch.issue_id is None] == [
        ("status.deleted", "In Review")
    ]
    for issue in (c, d):
        current = board.get(issue)
        assert current.status_id == todo.id
        assert current.version > issue.version
        assert history.replay(
            s.feed.history(issue.id), history.state_of(current)
        ) == history.state_of(current)
    # They join the bottom of the column in their old order; every rank stays unique.
    assert column_keys(s, todo.id) == [a.key, b.key, c.key, d.key]
    assert len({board.get(i).rank for i in (a, b, c, d)}) == 4


def test_deleting_a_done_status_into_an_open_one_reopens_its_issues(board: Board) -> None:
    s = board.services
    done = board.new("finished", status="Done")
    assert done.resolved_at is not None
    s.projects.delete_status(board.status("Done").id, move_to=board.status("To Do").id)
    assert board.get(done).resolved_at is None


def test_delete_status_guards(board: Board) -> None:
    s = board.services
    ops, _ = s.projects.ensure_project("OPS")
    foreign = s.projects.statuses(ops.id)[0]
    review = board.status("In Review")
    board.new("busy", status="In Review")
    counts = row_counts(s)
    with pytest.raises(ValidationError):
        s.projects.delete_status(review.id, move_to=foreign.id)
    with pytest.raises(ValidationError):
        s.projects.delete_status(review.id, move_to=review.id)
    assert row_counts(s) == counts
    for st in s.projects.statuses(ops.id)[1:]:
        s.projects.delete_status(st.id)
    with pytest.raises(UserError, match="at least one status"):
        s.projects.delete_status(foreign.id)
    assert s.projects.statuses(ops.id) == [foreign]


def test_an_unused_status_is_deleted_with_its_transitions(board: Board) -> None:
    s = board.services
    todo, doing, review = (board.status(n).id for n in ("To Do", "In Progress", "In Review"))
    s.projects.set_transitions(board.project.id, [(todo, doing), (doing, review), (review, todo)])
    assert s.projects.delete_status(review) == 0
    remaining = s.projects.transitions(board.project.id)
    assert [(t.from_status_id, t.to_status_id) for t in remaining] == [(todo, doing)]


# -- transitions ---------------------------------------------------------------------------
def test_set_transitions_replaces_the_allowed_moves(board: Board) -> None:
    s = board.services
    todo, doing, done = (board.status(n).id for n in ("To Do", "In Progress", "Done"))
    before = s.feed.last_id()
    s.projects.set_transitions(board.project.id, [(todo, doing), (doing, done), (done, done)])
    flow = s.projects.workflow(board.project.id)
    assert flow.restricted
    assert sorted(
        (t.from_status_id, t.to_status_id) for t in s.projects.transitions(board.project.id)
    ) == sorted([(todo, doing), (doing, done)])
    assert [(c.field, c.new) for c in stored_changes(s, before)] == [
        ("transitions", ";".join(f"{a}>{b}" for a, b in sorted([(todo, doing), (doing, done)])))
    ]
    s.projects.set_transitions(board.project.id, [])
    assert not s.projects.workflow(board.project.id).restricted
    assert s.projects.transitions(board.project.id) == []


def test_transitions_must_join_statuses_of_the_project(board: Board) -> None:
    s = board.services
    ops, _ = s.projects.ensure_project("OPS")
    foreign = s.projects.statuses(ops.id)[0].id
    counts = row_counts(s)
    with pytest.raises(ValidationError) as info:
        s.projects.set_transitions(board.project.id, [(board.status("To Do").id, foreign)])
    assert info.value.field == "transition"
    assert row_counts(s) == counts


# -- labels, users, saved filters ----------------------------------------------------------
def test_labels_are_found_case_insensitively(board: Board) -> None:
    s = board.services
    ui = s.projects.ensure_label(board.project.id, "UI", "#123456")
    assert s.projects.ensure_label(board.project.id, " ui ") == ui
    issue = board.new("styled", labels=("ui",))
    assert issue.labels == ("UI",)
    s.projects.update_label(ui, "Frontend", "#654321")
    assert [(lb.name, lb.colour) for lb in s.projects.labels(board.project.id)] == [
        ("Frontend", "#654321")
    ]
    assert board.get(issue).labels == ("Frontend",)
    counts = row_counts(s)
    with pytest.raises(ValidationError):
        s.projects.ensure_label(board.project.id, "x" * 51)
    with pytest.raises(ValidationError):
        s.projects.ensure_label(board.project.id, "ok", "pink")
    assert row_counts(s) == counts


def test_the_default_actor_is_the_session_user(db_target: str, backend: str) -> None:
    """Without an explicit actor: the login role on PostgreSQL, the OS user on a file."""
    services = open_services(db_target, create=True)
    try:
        expected = "postgres" if backend == "postgres" else getpass.getuser()
        assert services.actor == expected
        services.projects.ensure_project("TRK")
        assert [u.username for u in services.projects.users()] == [expected]
        assert services.feed.changes_since(0)[0].actor == expected
    finally:
        services.close()


def test_ensure_user(services: Services) -> None:
    bob = services.projects.ensure_user("bob", "Bob Builder", "bob@example.com")
    assert (bob.username, bob.display_name, bob.email, bob.initials) == (
        "bob",
        "Bob Builder",
        "bob@example.com",
        "BO",  # from the login: a display name can be anyone's
    )
    assert services.projects.ensure_user("bob") == bob
    counts = row_counts(services)
    with pytest.raises(ValidationError):
        services.projects.ensure_user("bad name")
    assert row_counts(services) == counts
    assert [u.username for u in services.projects.users()] == ["bob"]


def test_saved_filters_belong_to_their_owner(
    services: Services, make_services: Callable[..., Services]
) -> None:
    saved = services.projects.save_filter("Mine", "assignee:alice")
    assert services.projects.saved_filters() == [saved]
    with pytest.raises(ValidationError, match="already exists"):
        services.projects.save_filter("mine", "other")
    services.projects.rename_filter(saved.id, "My issues", "assignee:alice status:open")
    (renamed,) = services.projects.saved_filters()
    assert (renamed.name, renamed.query, renamed.owner) == (
        "My issues",
        "assignee:alice status:open",
        "alice",
    )
    bob = make_services("bob")
    assert bob.projects.saved_filters() == []
    with pytest.raises(NotFoundError):
        bob.projects.rename_filter(saved.id, "stolen")
    with pytest.raises(NotFoundError):
        bob.projects.delete_filter(saved.id)
    assert services.projects.saved_filters() == [renamed]
    services.projects.delete_filter(saved.id)
    assert services.projects.saved_filters() == []
    with pytest.raises(NotFoundError):
        services.projects.delete_filter(saved.id)
