"""Help > Keyboard Shortcuts: a searchable sheet built from the window's own actions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QListView, QMenu
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import Issue
from tracker_gui.ui.dialogs.shortcuts import ShortcutsDialog
from tracker_gui.ui.main_window import MainWindow

Make = Callable[..., MainWindow]
NATIVE = QKeySequence.SequenceFormat.NativeText


def _open_sheets(window: MainWindow) -> list[ShortcutsDialog]:
    return [d for d in window.findChildren(ShortcutsDialog) if d.isVisible()]


def test_question_mark_on_the_board_opens_the_sheet(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue]
) -> None:
    window = make_window()
    board = window.main_board()
    assert board is not None
    view = next(v for v in board.findChildren(QListView) if v.isVisible())
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, "?")
    qtbot.waitUntil(lambda: bool(_open_sheets(window)))
    sheet = _open_sheets(window)[0]
    rows = dict(sheet.shown())
    assert rows["New Issue"] == QKeySequence(QKeySequence.StandardKey.New).toString(NATIVE)
    assert rows["Undo"].split(", ")[0] == "Ctrl+Z"
    assert rows["Go to Issue"] == "Ctrl+K"
    assert rows["Keyboard Shortcuts"] == "?"
    sheet.close()


def test_the_sheet_lists_every_action_shortcut_even_new_ones(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window()
    extra = QAction("Archive Issue", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+J"))
    window.addAction(extra)
    window.actions_.shortcuts.trigger()
    qtbot.waitUntil(lambda: bool(_open_sheets(window)))
    sheet = _open_sheets(window)[0]
    shown = set(sheet.shown())
    assert ("Archive Issue", QKeySequence("Ctrl+Alt+J").toString(NATIVE)) in shown
    listed = {k for _, keys in shown for k in keys.split(", ")}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            keys = sequence.toString(NATIVE)
            first = sequence[0]  # type: ignore[index]  # the stubs lack __getitem__
            if first.key().value < Qt.Key.Key_Back.value:  # not a media or office key
                assert keys in listed, (action.text(), keys)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert isinstance(help_menu, QMenu)
    assert window.actions_.shortcuts in help_menu.actions()
    sheet.close()


def test_the_search_filters_by_action_or_key(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    sheet = window.show_shortcuts()
    total = len(sheet.shown())
    assert total >= 8
    qtbot.keyClicks(sheet.search, "go to")
    assert [what for what, _ in sheet.shown()] == ["Go to Issue"]
    sheet.search.setText("ctrl+k")
    assert [what for what, _ in sheet.shown()] == ["Go to Issue"]
    sheet.search.setText("no such thing")
    assert sheet.shown() == [] and sheet.nothing.isVisible()
    sheet.search.clear()
    assert len(sheet.shown()) == total
    sheet.close()


def test_typing_a_question_mark_in_a_text_box_types_it(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    box = window.filter_pane.text_edit
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "why?")
    assert box.text() == "why?"
    QApplication.processEvents()
    assert not _open_sheets(window)


def test_the_sheet_lists_the_boards_own_keys_and_finds_them(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue]
) -> None:
    window = make_window()
    sheet = window.show_shortcuts()
    rows = dict(sheet.shown())
    assert rows["Board: move the selected cards to the next column"] == (
        "Ctrl+Shift+Left, Ctrl+Shift+Right"
    )
    assert rows["Board: open the selected card"] == "Enter"
    assert rows["New Issue"]  # the window's actions are still there
    sheet.search.setText("next column")
    assert [what for what, _ in sheet.shown()] == [
        "Board: move the selected cards to the next column",
        "Board: select the card in the next column",
    ]
    sheet.close()
