"""A viewer sees a read-only board and detail pane; a refusal mid-session is handled cleanly.

The role comes from `ProjectService.my_role`, replaced here on the instance (on a secured
PostgreSQL database it comes from the membership the database enforces).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tracker_gui.domain.enums import Role
from tracker_gui.domain.models import Issue, Member
from tracker_gui.errors import PermissionDeniedError
from tracker_gui.services import Services
from tracker_gui.storage.errors import describe
from tracker_gui.ui.dialogs.project_settings import ProjectSettingsDialog
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.permissions import VIEWER_TEXT
from tracker_gui.ui.store import Store

Make = Callable[..., MainWindow]
MOVE = Qt.DropAction.MoveAction


def as_role(monkeypatch: pytest.MonkeyPatch, services: Services, role: Role) -> list[Role]:
    current = [role]
    monkeypatch.setattr(services.projects, "my_role", lambda _pid: current[0])
    return current


def cells_by_status(window: MainWindow) -> dict[str, Any]:
    board = window.main_board()
    assert board is not None
    return {status.name: (model, view) for status, _lane, model, view in board.cells()}


def test_a_viewer_gets_a_read_only_board_and_detail(
    qtbot: QtBot,
    make_window: Make,
    gui_services: Services,
    three_issues: list[Issue],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    as_role(monkeypatch, gui_services, Role.VIEWER)
    window = make_window()
    cells = cells_by_status(window)
    todo_model, _todo_view = cells["To Do"]
    qtbot.waitUntil(lambda: todo_model.rowCount() == 3)
    for _model, view in cells.values():
        assert not view.dragEnabled() and not view.acceptDrops()
    board = window.main_board()
    assert board is not None
    for status_id in [
        s.id for s in gui_services.projects.workflow(three_issues[0].project_id).statuses
    ]:
        header = board.column_header(status_id)
        assert not header.quick_add.isVisible() and not header.add_button.isVisible()

    progress_model, _ = cells["In Progress"]
    mime = todo_model.mimeData([todo_model.index(0, 0)])
    assert progress_model.refusal([]) == "nothing to move"
    assert not progress_model.dropMimeData(mime, MOVE, 0, 0, QModelIndex())
    assert gui_services.issues.get(three_issues[0].id).status_id == three_issues[0].status_id

    window.show_issue(three_issues[0].id, raise_detail=True)
    pane = window.detail_pane
    qtbot.waitUntil(lambda: pane.key_label.text() == three_issues[0].key)
    assert pane.title_edit.isReadOnly()
    assert not pane.fields.isEnabled()
    assert not pane.description.edit_button.isVisible()
    assert not pane.comments.compose.isVisible()
    assert "Ctrl+Enter" not in " ".join(
        label.text() for label in pane.comments.findChildren(QLabel) if label.isVisible()
    )
    assert pane.description.view.isVisible() or pane.description.empty.isVisible()
    qtbot.wait(200)
    window.grab().save("/tmp/viewer-window.png")

    window.actions_.new_issue.trigger()
    assert window.notice.isVisible()
    assert window.notice.message.text() == VIEWER_TEXT

    dialog = ProjectSettingsDialog(window.store, three_issues[0].project_id, window)
    qtbot.addWidget(dialog)
    assert not dialog.statuses_tab.isEnabled() and not dialog.transitions_tab.isEnabled()


def test_a_member_demoted_mid_session_gets_a_plain_message_and_the_board_back(
    qtbot: QtBot,
    make_window: Make,
    store: Store,
    gui_services: Services,
    three_issues: list[Issue],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    role = as_role(monkeypatch, gui_services, Role.MEMBER)
    window = make_window()
    cells = cells_by_status(window)
    todo_model, todo_view = cells["To Do"]
    progress_model, _progress_view = cells["In Progress"]
    qtbot.waitUntil(lambda: todo_model.rowCount() == 3)
    assert todo_view.dragEnabled()

    # What the storage layer raises when PostgreSQL answers SQLSTATE 42501.
    class Refused(Exception):
        sqlstate = "42501"

    Refused.__module__ = "psycopg.errors"
    refusal = describe(Refused("permission denied for table issue"), "carol@db/team")
    assert isinstance(refusal, PermissionDeniedError)

    def refuse(*_args: object, **_kw: object) -> None:
        role[0] = Role.VIEWER  # an admin demoted us meanwhile
        raise refusal

    monkeypatch.setattr(gui_services.issues, "move", refuse)
    mime = todo_model.mimeData([todo_model.index(0, 0)])
    progress_model.dropMimeData(mime, MOVE, 0, 0, QModelIndex())

    assert window.notice.isVisible()
    assert window.notice.message.text().startswith("your login may not do this on carol@db/team")
    assert "ask a project admin" in window.notice.message.text()
    cells = cells_by_status(window)  # the board was re-read: the card is where the database has it
    qtbot.waitUntil(lambda: cells["To Do"][0].rowCount() == 3)
    assert cells["In Progress"][0].rowCount() == 0
    assert all(not view.dragEnabled() for _m, view in cells.values())


class FakeMembership:
    """Stands in for ProjectService.members / set_member_role on a local file (the real ones
    need a secured server: tests/gui/test_secured_window.py drives them); keeps a real list."""

    def __init__(self) -> None:
        self.roles: dict[str, Role] = {"alice": Role.ADMIN, "bob": Role.VIEWER}

    def members(self, project_id: int) -> list[Member]:
        return [Member(project_id, name, role) for name, role in sorted(self.roles.items())]

    def set_member_role(self, project_id: int, username: str, role: Role | None) -> None:
        if username == "mallory":
            raise PermissionDeniedError("the database refused: no such login", "")
        if role is None:
            self.roles.pop(username, None)
        else:
            self.roles[username] = role


def test_members_tab_lists_changes_and_removes(
    qtbot: QtBot,
    store: Store,
    gui_services: Services,
    trk: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeMembership()
    monkeypatch.setattr(gui_services.database, "server_managed", True)  # as on a secured server
    as_role(monkeypatch, gui_services, Role.ADMIN)
    monkeypatch.setattr(gui_services.projects, "members", fake.members, raising=False)
    monkeypatch.setattr(
        gui_services.projects, "set_member_role", fake.set_member_role, raising=False
    )
    project_id = gui_services.projects.project("TRK").id
    dialog = ProjectSettingsDialog(store, project_id)
    qtbot.addWidget(dialog)
    tab = dialog.members_tab
    assert tab is not None
    dialog.tabs.setCurrentWidget(tab)
    dialog.show()
    assert tab.members() == [("alice", "Admin"), ("bob", "Viewer")]

    tab.name_edit.setText("carol")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert fake.roles["carol"] == Role.MEMBER
    assert tab.members() == [("alice", "Admin"), ("bob", "Viewer"), ("carol", "Member")]
    assert tab.name_edit.text() == ""

    assert tab.set_role("bob", None)
    assert "bob" not in fake.roles
    tab.name_edit.setText("mallory")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert "refused" in tab.error_label.text()
    assert tab.name_edit.text() == "mallory"
    qtbot.wait(50)
    dialog.grab().save("/tmp/members-tab.png")


def test_a_viewer_opening_a_collapsed_column_still_gets_no_add_controls(
    qtbot: QtBot,
    make_window: Make,
    gui_services: Services,
    three_issues: list[Issue],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    as_role(monkeypatch, gui_services, Role.VIEWER)
    window = make_window()
    board = window.main_board()
    assert board is not None
    todo = gui_services.projects.workflow(three_issues[0].project_id).statuses[0]
    header = board.column_header(todo.id)
    board.set_collapsed(todo.id, True)
    assert not header.name.isVisible()
    qtbot.mouseClick(header.collapse_button, Qt.MouseButton.LeftButton)  # open it again
    assert not board.is_collapsed(todo.id)
    assert header.name.isVisible() and header.count.isVisible()
    assert not header.quick_add.isVisible() and not header.add_button.isVisible()
