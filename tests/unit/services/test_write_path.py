"""The hot writes: what a status change and a create send, and the catalog kept between calls.

A status change is its optimistic UPDATE and its Change rows inside the transaction; the
workflow, users and labels it needs are kept between calls and dropped when the change log
(or another connection) says they changed, never trusted after a rollback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from tests.unit.helpers import stored_changes
from tracker_gui.domain.enums import Priority, StatusCategory
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.errors import ConflictError, TransitionError
from tracker_gui.services import Services


@contextmanager
def statements(services: Services) -> Iterator[list[str]]:
    """Every SQL statement the app sends on its SQLite connection inside the block."""
    sent: list[str] = []
    conn = services.database.peewee.connection()
    conn.set_trace_callback(lambda sql: sent.append(sql) if not sql.startswith("--") else None)
    try:
        yield sent
    finally:
        conn.set_trace_callback(None)


def _once(sent: list[str]) -> list[str]:
    """SQLite traces a statement again when it fires a trigger: a repeat in a row is one."""
    return [s for n, s in enumerate(sent) if n == 0 or s != sent[n - 1]]


def _verbs(sent: list[str]) -> list[str]:
    return [s.split(None, 1)[0].upper() for s in _once(sent)]


def _project(services: Services) -> dict[str, int]:
    project, _ = services.projects.ensure_project("TRK", "Tracker")
    return {s.name: s.id for s in services.projects.statuses(project.id)}


# SQLite only: the statement census reads SQLite's trace callback.
@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_status_change_writes_one_update_and_its_change_rows(
    backend: str, services: Services
) -> None:
    status = _project(services)
    issue = services.issues.create(NewIssue("TRK", "Crash on save", labels=("ui",)))
    warm = services.issues.create(NewIssue("TRK", "Warm the catalog"))
    services.issues.move(warm.id, warm.version, status["Done"])
    before = services.feed.last_id()
    with statements(services) as sent:
        moved = services.issues.move(issue.id, issue.version, status["In Progress"])
    verbs = _verbs(sent)
    inside = verbs[verbs.index("BEGIN") + 1 : verbs.index("COMMIT")]
    assert inside == ["UPDATE", "INSERT"]  # status and rank rows in one INSERT
    update = _once(sent)[verbs.index("UPDATE")]
    assert '"version" = ' in update.split("WHERE", 1)[1]  # the optimistic check
    # Outside it: the issue and the new column's last rank (one statement); the workflow is
    # not re-read.
    assert verbs.count("SELECT") == 1
    assert not any('"status"' in s or '"transition"' in s for s in sent if s.startswith("SELECT"))
    # What move() returns is what is stored, and the Change rows say what changed.
    assert moved == services.issues.get(issue.id)
    assert moved.version == issue.version + 1 and moved.labels == ("ui",)
    expected = [("status", str(issue.status_id), str(status["In Progress"]))]
    if moved.rank != issue.rank:
        expected.append(("rank", issue.rank, moved.rank))
    assert [(c.field, c.old, c.new) for c in stored_changes(services, before)] == expected


# SQLite only: the statement census reads SQLite's trace callback.
@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_create_is_a_handful_of_statements(backend: str, services: Services) -> None:
    _project(services)
    # The first create makes the user and the labels (a catalog write: nothing kept), the
    # second one reads and keeps them.
    for _ in range(2):
        services.issues.create(NewIssue("TRK", "Warm", assignee="carol", labels=("ui", "db")))
    with statements(services) as sent:
        made = services.issues.create(
            NewIssue("TRK", "Crash", priority=Priority.HIGH, assignee="carol", labels=("db", "ui"))
        )
    verbs = [v for v in _verbs(sent) if v != "PRAGMA"]
    # number, last rank, the issue, its labels, its `created` row: nothing read back
    assert verbs == ["BEGIN", "UPDATE", "SELECT", "INSERT", "INSERT", "INSERT", "COMMIT"]
    assert made == services.issues.get(made.id), sent
    assert made.number == 3 and made.labels == ("db", "ui") and made.assignee == "carol"


def test_a_workflow_changed_elsewhere_is_seen_by_the_next_move(
    services: Services, make_services: Callable[..., Services]
) -> None:
    status = _project(services)
    issue = services.issues.create(NewIssue("TRK", "Crash on save"))
    issue = services.issues.move(issue.id, issue.version, status["In Progress"])  # cached now
    other = make_services("bob")
    project = other.projects.project("TRK")
    other.projects.set_transitions(project.id, [(status["To Do"], status["In Progress"])])
    with pytest.raises(TransitionError):
        services.issues.move(issue.id, issue.version, status["Done"])
    # A status renamed elsewhere is found by its new name at once.
    other.projects.update_status(status["Done"], name="Shipped")
    other.projects.set_transitions(project.id, [])
    moved = services.issues.transition(issue.id, issue.version, "Shipped")
    assert moved.status_id == status["Done"] and moved.resolved_at is not None


def test_a_workflow_changed_by_the_same_services_is_seen_at_once(services: Services) -> None:
    status = _project(services)
    issue = services.issues.create(NewIssue("TRK", "Crash on save"))
    issue = services.issues.move(issue.id, issue.version, status["In Progress"])
    project = services.projects.project("TRK")
    added = services.projects.add_status(project.id, "Blocked", StatusCategory.IN_PROGRESS)
    moved = services.issues.move(issue.id, issue.version, added.id)
    assert moved.status_id == added.id
    made = services.issues.create(NewIssue("TRK", "Blocked from the start", status="Blocked"))
    assert made.status_id == added.id


def test_a_label_made_in_a_rolled_back_action_is_not_remembered(services: Services) -> None:
    _project(services)
    with pytest.raises(RuntimeError), services.database.transaction():
        services.issues.create(NewIssue("TRK", "Rolled back", labels=("fresh",)))
        services.issues.create(NewIssue("TRK", "Also rolled back", labels=("fresh",)))
        raise RuntimeError("the action fails after the label was made")
    made = services.issues.create(NewIssue("TRK", "Kept", labels=("fresh",)))
    assert made.labels == ("fresh",)
    assert [label.name for label in services.projects.labels(made.project_id)] == ["fresh"]
    assert services.issues.get(made.id).labels == ("fresh",)


def test_a_user_or_label_made_elsewhere_is_used_not_duplicated(
    services: Services, make_services: Callable[..., Services]
) -> None:
    _project(services)
    services.projects.ensure_user("carol")
    services.issues.create(NewIssue("TRK", "Warm", assignee="carol", labels=("ui",)))
    services.issues.create(NewIssue("TRK", "Warm", assignee="carol", labels=("ui",)))
    other = make_services("bob")
    other.projects.ensure_user("dave")  # a server only knows users made on purpose
    other.issues.create(NewIssue("TRK", "Elsewhere", assignee="dave", labels=("db",)))
    made = services.issues.create(NewIssue("TRK", "Here", assignee="dave", labels=("DB", "ui")))
    assert made.assignee == "dave" and made.labels == ("db", "ui")
    assert sorted(label.name for label in services.projects.labels(made.project_id)) == [
        "db",
        "ui",
    ]


def test_a_stale_version_is_still_a_conflict_and_writes_nothing(services: Services) -> None:
    status = _project(services)
    issue = services.issues.create(NewIssue("TRK", "Crash on save"))
    services.issues.edit(issue.id, issue.version, {"title": "Crash on every save"})
    before = services.feed.last_id()
    with pytest.raises(ConflictError):
        services.issues.move(issue.id, issue.version, status["Done"])
    assert stored_changes(services, before) == []
    assert services.issues.get(issue.id).status_id == issue.status_id


def test_a_board_column_is_one_query_of_light_cards(backend: str, services: Services) -> None:
    status = _project(services)
    services.projects.ensure_user("carol")
    made = [
        services.issues.create(
            NewIssue("TRK", f"Card {n}", assignee="carol" if n % 2 else None, labels=labels)
        )
        for n, labels in enumerate([("ui", "a, b"), (), ("Ärger",), ("x" * 50, "db", "ui")])
    ]
    cards = services.issues.column(status["To Do"], IssueFilter(), 0, 10)
    assert [c.id for c in cards] == [i.id for i in made]
    shown: tuple[str, ...] = ("id", "key", "title", "type", "priority", "status_id", "rank")
    shown += ("assignee", "due", "version", "archived", "labels", "project_id")
    for card in cards:
        issue = services.issues.get(card.id)
        assert {f: getattr(card, f) for f in shown} == {f: getattr(issue, f) for f in shown}
    assert services.issues.column(status["To Do"], IssueFilter(), 1, 2) == cards[1:3]
    if backend == "sqlite":
        with statements(services) as sent:
            services.issues.column(status["To Do"], IssueFilter(labels=("ui",)), 0, 60)
        assert _verbs(sent) == ["SELECT"]


def test_a_boards_first_pages_are_one_query(backend: str, services: Services) -> None:
    status = _project(services)
    for n in range(7):
        made = services.issues.create(NewIssue("TRK", f"Card {n}", labels=("ui",) * (n % 2)))
        if n % 3:
            services.issues.move(made.id, made.version, status["In Progress"])
    ids = list(status.values())
    flt = IssueFilter(project_ids=(services.projects.project("TRK").id,))
    expected = {sid: services.issues.column(sid, flt, 0, 3) for sid in ids}
    assert services.issues.first_pages(flt, ids, 3) == expected
    assert [len(p) for p in expected.values()] == [3, 3, 0, 0]
    if backend == "sqlite":
        with statements(services) as sent:
            services.issues.first_pages(IssueFilter(labels=("ui",)), ids, 60)
        assert _verbs(sent) == ["SELECT"]
