"""ui/ops: every operation ends as a value or a message, and the window hears about failures.

Driven through real services on a real SQLite file: a rule the service enforces (UserError),
a failing disk (StorageError), a stale version (ConflictError), and the offline window.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.support.faults import FaultPlan, disk_full, dump
from tracker_gui.domain.models import Issue, IssueFilter, NewIssue
from tracker_gui.errors import PermissionDeniedError
from tracker_gui.services import Services
from tracker_gui.ui.ops import OFFLINE_WRITE, comments, core, filters, members
from tracker_gui.ui.ops import issues as issue_ops
from tracker_gui.ui.store import Store


def errors_of(store: Store) -> list[str]:
    shown: list[str] = []
    store.errorOccurred.connect(shown.append)
    return shown


def test_a_success_comes_back_as_the_value_with_the_changes_it_logged(
    store: Store, gui_services: Services
) -> None:
    shown = errors_of(store)
    result = issue_ops.create(store, NewIssue("TRK", "Write the importer"))
    assert result.ok and result.message == "" and result.conflict is None
    assert isinstance(result.value, Issue) and result.value.key == "TRK-1"
    assert gui_services.issues.get(result.value.id).title == "Write the importer"
    assert result.changes and {c.issue_id for c in result.changes} == {result.value.id}
    assert shown == []


def test_a_user_error_comes_back_as_its_message_and_nothing_is_stored(
    store: Store, gui_services: Services
) -> None:
    assert filters.save(store, "Mine", "assignee:me").ok
    shown = errors_of(store)
    result = filters.save(store, "mine", "status:Done")
    assert not result.ok and result.value is None
    assert result.message == "a saved filter named 'mine' already exists"
    assert shown == [result.message]  # the window's status line says it too
    assert [(f.name, f.query) for f in gui_services.projects.saved_filters()] == [
        ("Mine", "assignee:me")
    ]


def test_a_storage_error_comes_back_as_the_environments_message(
    store: Store, gui_services: Services
) -> None:
    before = dump(gui_services.database.target)
    shown = errors_of(store)
    plan = FaultPlan(gui_services.database, disk_full)
    try:
        plan.arm(1)
        result = issue_ops.create(store, NewIssue("TRK", "lost?"))
    finally:
        plan.remove()
    assert not result.ok and result.value is None
    assert "is full" in result.message  # what failed and what to do, in the user's words
    assert "Traceback" not in result.message and "OperationalError" not in result.message
    assert shown == [result.message]
    assert dump(gui_services.database.target) == before


def test_a_conflict_comes_back_as_the_conflict_and_raises_the_dialog_flow(
    store: Store, gui_services: Services, other_services: Services, qtbot: QtBot
) -> None:
    issue = gui_services.issues.create(NewIssue("TRK", "Shared"))
    other_services.issues.edit(issue.id, issue.version, {"title": "Theirs"})
    with qtbot.waitSignal(store.conflictOccurred) as raised:
        result = issue_ops.edit_now(store, issue.id, issue.version, {"title": "Mine"})
    assert not result.ok and result.message == "" and result.value is None
    assert result.conflict is raised.args[0] and result.conflict.current.title == "Theirs"
    assert store.pending_write is not None and store.pending_write.mine == {"title": "Mine"}
    assert gui_services.issues.get(issue.id).title == "Theirs"


def test_offline_nothing_is_tried_and_the_message_says_why(
    store: Store, gui_services: Services
) -> None:
    store.offline = True
    shown = errors_of(store)
    result = issue_ops.create(store, NewIssue("TRK", "Later"))
    assert (result.ok, result.message) == (False, OFFLINE_WRITE)
    assert shown == [OFFLINE_WRITE]
    assert gui_services.issues.count(IssueFilter()) == 0


def test_a_refusal_by_the_database_makes_the_window_reread_its_roles(
    store: Store, qtbot: QtBot
) -> None:
    def refused(_services: Services) -> None:
        raise PermissionDeniedError("you may no longer edit TRK", "ask a project admin")

    with qtbot.waitSignal(store.rolesChanged):
        result = core.run(store, refused)
    assert result.message == "you may no longer edit TRK (ask a project admin)"


def test_a_read_returns_its_value_or_none_when_gone(store: Store, gui_services: Services) -> None:
    issue = gui_services.issues.create(NewIssue("TRK", "Talked about"))
    comment = gui_services.issues.comment(issue.id, "first")
    found = comments.state(store, comment.id)
    assert found.ok and found.value is not None and found.value.comment.body == "first"
    gui_services.issues.delete_comment(comment.id)
    gone = comments.state(store, comment.id)
    assert gone.ok and gone.value is None


def test_membership_is_not_offered_on_a_local_file(store: Store) -> None:
    assert members.supported(store) is False
    assert members.members(store, 1).value == []
