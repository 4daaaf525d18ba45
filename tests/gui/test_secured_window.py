"""The real window on a secured shared database: roles come from the server; refusals handled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured
from tracker_gui.domain.enums import Role
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.ui.dialogs.project_settings import ProjectSettingsDialog
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

MOVE = Qt.DropAction.MoveAction


@pytest.fixture
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster, prefix="gui_")
    adm = db.services("adm")
    adm.issues.create(NewIssue("TRK", "Plan the launch"))
    adm.issues.create(NewIssue("TRK", "Write the notes"))
    db.close()
    yield db
    drop(db)


def open_window(qtbot: QtBot, secured: Secured, who: str, tmp_path: Path) -> MainWindow:
    store = Store(secured.services(who))
    window = MainWindow(store, Settings(tmp_path / f"{who}.ini"))
    qtbot.addWidget(window)
    window.resize(1300, 850)
    window.show()
    qtbot.waitExposed(window)
    return window


def cells(window: MainWindow) -> dict[str, Any]:
    board = window.main_board()
    assert board is not None
    return {status.name: (model, view) for status, _lane, model, view in board.cells()}


def todo_project(secured: Secured) -> int:
    return secured.services("adm").projects.project("TRK").id


def statuses_in_db(secured: Secured) -> set[str]:
    """The status names TRK's issues have, read back as the admin."""
    adm = secured.services("adm")
    names = {s.id: s.name for s in adm.projects.statuses(todo_project(secured))}
    return {names[i.status_id] for i in adm.issues.search(IssueFilter())}


def test_a_viewer_login_gets_a_read_only_board(
    qtbot: QtBot, secured: Secured, tmp_path: Path
) -> None:
    window = open_window(qtbot, secured, "vie", tmp_path)
    board = cells(window)
    todo, _ = board["To Do"]
    qtbot.waitUntil(lambda: todo.rowCount() == 2)
    assert all(not view.dragEnabled() and not view.acceptDrops() for _m, view in board.values())
    progress, _ = board["In Progress"]
    assert not progress.dropMimeData(todo.mimeData([todo.index(0, 0)]), MOVE, 0, 0, QModelIndex())
    assert window.store.can_write(todo_project(secured)) is False
    assert statuses_in_db(secured) == {"To Do"}
    window.store.close()


def test_a_member_demoted_by_an_admin_mid_session(
    qtbot: QtBot, secured: Secured, tmp_path: Path
) -> None:
    window = open_window(qtbot, secured, "mem", tmp_path)
    board = cells(window)
    todo, todo_view = board["To Do"]
    progress, _ = board["In Progress"]
    qtbot.waitUntil(lambda: todo.rowCount() == 2)
    assert todo_view.dragEnabled()

    adm = secured.services("adm")
    trk = adm.projects.project("TRK")
    adm.projects.set_member_role(trk.id, secured.logins["mem"], Role.VIEWER)

    progress.dropMimeData(todo.mimeData([todo.index(0, 0)]), MOVE, 0, 0, QModelIndex())
    assert window.notice.isVisible()
    assert "not allowed" in window.notice.message.text()
    assert "(viewer in TRK; needs member)" in window.notice.message.text()
    board = cells(window)  # re-read: the card is where the database has it, dragging is off
    qtbot.waitUntil(lambda: board["To Do"][0].rowCount() == 2)
    assert board["In Progress"][0].rowCount() == 0
    assert all(not view.dragEnabled() for _m, view in board.values())
    assert statuses_in_db(secured) == {"To Do"}
    window.store.close()


def test_a_project_admin_adds_a_member_from_project_settings(
    qtbot: QtBot, secured: Secured, tmp_path: Path
) -> None:
    outsider = secured.services("out")
    assert outsider.projects.my_role(secured.services("adm").projects.project("TRK").id) is None

    window = open_window(qtbot, secured, "adm", tmp_path)
    trk = window.store.services.projects.project("TRK")
    dialog = ProjectSettingsDialog(window.store, trk.id, window)
    qtbot.addWidget(dialog)
    tab = dialog.members_tab
    assert tab is not None
    names = [name for name, _role in tab.members()]
    assert names == sorted(secured.logins[w] for w in ("adm", "mem", "vie"))

    tab.name_edit.setText(secured.logins["out"])
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert (secured.logins["out"], "Member") in tab.members()
    assert secured.services("out").projects.my_role(trk.id) == Role.MEMBER
    titles = {i.title for i in secured.services("out").issues.search(IssueFilter())}
    assert {"Plan the launch", "Write the notes"} <= titles
    window.store.close()
