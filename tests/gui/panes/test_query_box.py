"""The filter pane's query box: a typed query filters the board, errors show inline, completion."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import (
    OFFSCREEN_NOISE,
    World,
    keys,
)
from tracker_gui.domain.models import IssueFilter
from tracker_gui.ui.board.column_model import ColumnModel, IssueRole
from tracker_gui.ui.panes.filter_codec import decode, encode
from tracker_gui.ui.panes.filter_pane import FilterPane
from tracker_gui.ui.panes.query_completer import candidates

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def pane(filter_pane: FilterPane) -> FilterPane:
    return filter_pane


@pytest.fixture
def todo_column(world: World) -> Iterator[ColumnModel]:
    """The board's To Do column of TRK, following the store's filter like the board does."""
    status = world.store.statuses(world.project.id)[0]
    model = ColumnModel(world.store, status)
    yield model
    model.detach()


def cards(model: ColumnModel) -> set[str]:
    return {model.index(row, 0).data(IssueRole).key for row in range(model.rowCount())}


def type_query(qtbot: QtBot, pane: FilterPane, text: str) -> None:
    pane.text_edit.selectAll()
    qtbot.keyClicks(pane.text_edit, text)
    qtbot.keyClick(pane.text_edit, Qt.Key.Key_Return)


def test_a_typed_query_filters_the_store_and_the_board(
    world: World, pane: FilterPane, todo_column: ColumnModel, qtbot: QtBot
) -> None:
    assert cards(todo_column) == {"TRK-1", "TRK-2", "TRK-3", "TRK-4"}
    seen: list[IssueFilter] = []
    world.store.filterChanged.connect(seen.append)
    qtbot.keyClicks(pane.text_edit, "assignee:me OR priority>=highest")
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=2000)
    assert world.store.filter.query == "assignee:me OR priority>=highest"
    assert keys(world.store.search(world.store.filter)) == {"TRK-1", "TRK-4"}
    assert cards(todo_column) == {"TRK-1", "TRK-4"}
    assert not pane.query_error.isVisibleTo(pane)

    type_query(qtbot, pane, "certificate")  # words search titles, stemmed
    assert cards(todo_column) == {"TRK-3"}
    type_query(qtbot, pane, "-label:docs is:open sort:-key")
    assert keys(world.store.search(world.store.filter)) == {"TRK-1", "TRK-3", "TRK-4", "WEB-1"}
    assert cards(todo_column) == {"TRK-1", "TRK-3", "TRK-4"}


def test_a_syntax_error_shows_inline_and_keeps_the_board(
    world: World, pane: FilterPane, todo_column: ColumnModel, qtbot: QtBot
) -> None:
    type_query(qtbot, pane, "type:story")
    assert cards(todo_column) == {"TRK-4"}
    before = world.store.filter

    type_query(qtbot, pane, "type:story (safari OR")
    assert pane.query_error.isVisibleTo(pane)
    assert pane.query_error.text() == "Col 22: expected a term after OR"
    assert world.store.filter == before and cards(todo_column) == {"TRK-4"}

    type_query(qtbot, pane, "colour:red")
    assert "unknown field 'colour' (known fields: assignee," in pane.query_error.text()
    assert world.store.filter == before

    pane.text_edit.clear()
    qtbot.keyClick(pane.text_edit, Qt.Key.Key_Return)
    assert not pane.query_error.isVisibleTo(pane)
    assert world.store.filter == IssueFilter()


def test_the_error_text_is_red_and_under_the_box(pane: FilterPane, qtbot: QtBot) -> None:
    type_query(qtbot, pane, '"open')
    assert pane.query_error.text() == 'Col 1: missing closing quote (")'
    box, label = pane.text_edit.geometry(), pane.query_error.geometry()
    assert label.top() >= box.bottom() and label.top() - box.bottom() < 24
    image = pane.query_error.grab().toImage()
    pixels = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    assert any(c.red() > 150 and c.green() < 110 and c.blue() < 110 for c in pixels)


def test_the_completer_offers_field_names_then_values(
    world: World, pane: FilterPane, qtbot: QtBot
) -> None:
    completer = pane.completer
    pane.text_edit.setFocus()
    qtbot.keyClicks(pane.text_edit, "sta")
    assert completer.suggestions() == ["status:"]
    popup = completer.completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible, timeout=2000)

    completer.accept("status:")
    assert pane.text_edit.text() == "status:"
    assert completer.suggestions()[:4] == ["To Do", "In Progress", "In Review", "Done"]
    assert {"todo", "in_progress", "done"} <= set(completer.suggestions())

    qtbot.keyClicks(pane.text_edit, "in")
    assert completer.suggestions() == ["In Progress", "In Review", "in_progress"]
    completer.accept("In Review")
    assert pane.text_edit.text() == 'status:"In Review"'
    assert pane.text_edit.cursorPosition() == len(pane.text_edit.text())


def test_completion_replaces_only_the_token_under_the_cursor(
    world: World, pane: FilterPane, qtbot: QtBot
) -> None:
    completer = pane.completer
    pane.text_edit.setText("crash label:u is:open")
    pane.text_edit.setCursorPosition(len("crash label:u"))
    completer.update()
    assert completer.suggestions() == ["ui"]
    completer.accept("ui")
    assert pane.text_edit.text() == "crash label:ui is:open"

    pane.text_edit.setText("assignee:b")
    pane.text_edit.setCursorPosition(10)
    completer.update()
    assert completer.suggestions() == ["bob"]
    pane.text_edit.setText("assignee:")
    completer.update()
    assert completer.suggestions()[:3] == ["me", "none", "alice"]


def test_completion_values_follow_the_project(world: World, pane: FilterPane) -> None:
    assert candidates("label", pane._completion_values)[:3] == ["design", "docs", "ui"]
    pane.project_combo.setCurrentIndex(pane.project_combo.findData(world.other_project.id))
    assert candidates("label", pane._completion_values) == ["design"]
    assert candidates("priority", pane._completion_values)[0] == "lowest"
    assert "project:" in candidates(None, pane._completion_values)


def test_saved_filters_store_query_text(world: World, pane: FilterPane, qtbot: QtBot) -> None:
    type_query(qtbot, pane, 'priority>=high -label:ui OR "landing page"')
    qtbot.mouseClick(pane.toggles["assigned_to_me"], Qt.MouseButton.LeftButton)
    text = encode(pane.query())
    assert text == 'assignee:me (priority>=high -label:ui OR "landing page")'
    back = decode(text)
    assert back.assigned_to_me and back.text == '(priority>=high -label:ui OR "landing page")'
    # The saved text is plain query language: the store runs it as it is.
    found = world.store.search(IssueFilter(query=text))
    assert keys(found) == keys(world.store.search(world.store.filter))
