"""The app's styled message dialogs: About, New board pane, and a refused database that offers
another file instead of quitting."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import when_modal
from tracker_gui import __version__, app
from tracker_gui.services import Services, open_services
from tracker_gui.ui import theme
from tracker_gui.ui.dialogs import message
from tracker_gui.ui.dialogs.message import MessageDialog
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.widgets import style

Make = Callable[..., MainWindow]


def test_about_is_a_styled_dialog_wide_enough_to_read(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    seen: dict[str, Any] = {}

    def act(dialog: Any) -> None:
        assert isinstance(dialog, MessageDialog)
        seen.update(
            title=dialog.windowTitle(),
            text=dialog.text(),
            detail=dialog.detail(),
            size=(dialog.width(), dialog.height()),
            icon=not dialog.icon_label.pixmap().isNull(),
            styled="QPushButton#Primary" in dialog.styleSheet(),
        )
        qtbot.mouseClick(dialog.push_buttons["ok"], Qt.MouseButton.LeftButton)

    when_modal(act)
    window.actions_.about.trigger()

    assert seen["title"] == "About Tracker"
    assert seen["text"] == f"Tracker {__version__}"
    assert window.store.database_label in seen["detail"]
    width, height = seen["size"]
    assert width >= message.MIN_WIDTH and height > 94  # not Qt's stock 200x94 box
    assert seen["icon"] and seen["styled"]


def test_the_message_follows_the_dark_theme(qtbot: QtBot, qapp: Any) -> None:
    dialog = MessageDialog(None, "Saved", "The filter was saved.", detail="Find it on the left.")
    qtbot.addWidget(dialog)
    light = style.colours()["muted_text"]
    assert light in dialog.styleSheet()
    theme.apply_theme(qapp, "dark")
    try:
        dark = style.colours()["muted_text"]
        assert dark != light and dark in dialog.styleSheet()
        label = dialog.findChild(QLabel, "MessageText")
        assert label is not None and label.text() == "The filter was saved."
    finally:
        theme.apply_theme(qapp, "light")


def test_new_board_pane_asks_with_a_list_of_projects(
    qtbot: QtBot, make_window: Make, gui_services: Services
) -> None:
    gui_services.projects.ensure_project("WEB", "Website")
    window = make_window()
    offered: list[list[str]] = []

    def act(dialog: Any) -> None:
        assert dialog.choice is not None and dialog.width() >= message.MIN_WIDTH
        offered.append([dialog.choice.itemText(i) for i in range(dialog.choice.count())])
        dialog.choice.setCurrentIndex(1)
        qtbot.mouseClick(dialog.push_buttons["ok"], Qt.MouseButton.LeftButton)

    when_modal(act)
    window.actions_.new_board.trigger()

    assert offered == [["TRK · Tracker", "WEB · Website"]]
    qtbot.waitUntil(lambda: "board:WEB" in window.docks)


def test_escape_cancels_an_input(qtbot: QtBot) -> None:
    answers: list[str | None] = []

    def act(dialog: Any) -> None:
        qtbot.keyClicks(dialog.field, "typed")
        qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)

    when_modal(act)
    answers.append(message.ask_text(None, "Save filter", "Name of the filter"))
    assert answers == [None]


@pytest.fixture
def foreign_file(tmp_path: Path) -> Path:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    return path


def test_a_foreign_file_offers_another_file_instead_of_quitting(
    qtbot: QtBot, qapp: object, foreign_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "mine.db"
    made = open_services(str(good), create=True)
    made.projects.ensure_project("MINE", "Mine")
    made.close()
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *args, **kw: (str(good), "Tracker databases")
    )
    told: list[tuple[str, str, list[str]]] = []

    def act(dialog: Any) -> None:
        assert isinstance(dialog, MessageDialog) and dialog.width() >= message.MIN_WIDTH
        buttons = [b.text() for b in dialog.push_buttons.values()]
        told.append((dialog.windowTitle(), dialog.text(), buttons))
        qtbot.mouseClick(dialog.push_buttons["open"], Qt.MouseButton.LeftButton)

    when_modal(act)
    services = app.open_target(str(foreign_file))

    assert told == [
        (
            "Not a Tracker database",
            f"{foreign_file} is not a Tracker database (it belongs to another program)",
            ["Quit", "Open Another File…"],
        )
    ]
    assert services is not None
    try:
        assert [p.key for p in services.projects.projects()] == ["MINE"]
    finally:
        services.close()


def test_quit_on_a_foreign_file_opens_nothing(
    qtbot: QtBot, qapp: object, foreign_file: Path
) -> None:
    when_modal(
        lambda dialog: qtbot.mouseClick(dialog.push_buttons["quit"], Qt.MouseButton.LeftButton)
    )
    assert app.open_target(str(foreign_file)) is None


def test_from_the_window_a_foreign_file_offers_cancel_not_quit(
    qtbot: QtBot, make_window: Make, foreign_file: Path
) -> None:
    window = make_window()
    offered: list[list[str]] = []

    def act(dialog: Any) -> None:
        offered.append([b.text() for b in dialog.push_buttons.values()])
        qtbot.mouseClick(dialog.push_buttons["cancel"], Qt.MouseButton.LeftButton)

    when_modal(act)
    assert app.open_target(str(foreign_file), window) is None
    assert offered == [["Cancel", "Open Another File…"]]
    assert window.isVisible()  # the database already open stays open
