"""The filter pane builds one IssueFilter per user action; saved filters round-trip."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import (
    OFFSCREEN_NOISE,
    World,
    click_menu_item,
    keys,
    today,
    when_modal,
)
from tracker_gui.domain.enums import IssueType, Priority, StatusCategory
from tracker_gui.domain.models import IssueFilter
from tracker_gui.ui.dialogs.message import MessageDialog
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.panes.filter_codec import FilterQuery, decode, encode, next_monday
from tracker_gui.ui.panes.filter_pane import FilterPane

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def pane(filter_pane: FilterPane) -> FilterPane:
    return filter_pane


def emissions(world: World) -> list[IssueFilter]:
    seen: list[IssueFilter] = []
    world.store.filterChanged.connect(seen.append)
    return seen


def shown(world: World) -> set[str]:
    return keys(world.store.search(world.store.filter))


def test_quick_toggles_build_the_filter_once_per_click(
    world: World, pane: FilterPane, qtbot: QtBot
) -> None:
    seen = emissions(world)
    qtbot.mouseClick(pane.toggles["assigned_to_me"], Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    assert world.store.filter.assignees == ("alice",)
    assert shown(world) == {"TRK-1"}

    qtbot.mouseClick(pane.toggles["assigned_to_me"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.toggles["overdue"], Qt.MouseButton.LeftButton)
    assert len(seen) == 3
    assert world.store.filter.overdue_on == today()
    assert shown(world) == {"TRK-3"}

    qtbot.mouseClick(pane.toggles["overdue"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.toggles["due_this_week"], Qt.MouseButton.LeftButton)
    assert world.store.filter.due_before == next_monday(today())
    assert next_monday(today()).weekday() == 0 and next_monday(today()) > today()
    tomorrow_counts = today() + dt.timedelta(days=1) < next_monday(today())
    assert shown(world) == ({"TRK-1", "TRK-3"} if tomorrow_counts else {"TRK-3"})

    qtbot.mouseClick(pane.toggles["due_this_week"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.toggles["watching"], Qt.MouseButton.LeftButton)
    assert world.store.filter.watched_by == "alice"
    assert shown(world) == {"TRK-4"}

    qtbot.mouseClick(pane.toggles["watching"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.toggles["reported_by_me"], Qt.MouseButton.LeftButton)
    assert world.store.filter.reporters == ("alice",)
    assert shown(world) == {"TRK-1", "TRK-2", "TRK-3", "WEB-1"}
    assert len(seen) == 9  # one per click


def test_pickers_select_several_values(world: World, pane: FilterPane, qtbot: QtBot) -> None:
    seen = emissions(world)
    click_menu_item(qtbot, pane.priority_picker.menu_, "High", at=pane.priority_picker)
    click_menu_item(qtbot, pane.priority_picker.menu_, "Highest")
    assert pane.priority_picker.menu_.isVisible(), "a multi-select menu stays open"
    pane.priority_picker.menu_.close()
    assert len(seen) == 2
    assert set(world.store.filter.priorities) == {Priority.HIGH, Priority.HIGHEST}
    assert pane.priority_picker.text() == "Priority: 2"
    assert shown(world) == {"TRK-1", "TRK-4"}

    click_menu_item(qtbot, pane.type_picker.menu_, "Story", at=pane.type_picker)
    pane.type_picker.menu_.close()
    assert world.store.filter.types == (IssueType.STORY,)
    assert shown(world) == {"TRK-4"}

    click_menu_item(qtbot, pane.type_picker.menu_, "Story", at=pane.type_picker)
    pane.type_picker.menu_.close()
    click_menu_item(qtbot, pane.priority_picker.menu_, "High", at=pane.priority_picker)
    click_menu_item(qtbot, pane.priority_picker.menu_, "Highest")
    pane.priority_picker.menu_.close()
    assert world.store.filter == IssueFilter()

    click_menu_item(qtbot, pane.assignee_picker.menu_, "Unassigned", at=pane.assignee_picker)
    click_menu_item(qtbot, pane.assignee_picker.menu_, "Bob Chen (bob)")
    pane.assignee_picker.menu_.close()
    assert world.store.filter.unassigned and world.store.filter.assignees == ("bob",)
    assert shown(world) == {"TRK-2", "TRK-4", "WEB-1"}

    click_menu_item(qtbot, pane.category_picker.menu_, "Done", at=pane.category_picker)
    pane.category_picker.menu_.close()
    assert world.store.filter.categories == (StatusCategory.DONE,)
    assert shown(world) == set()


def test_project_picker_narrows_projects_and_labels(
    world: World, pane: FilterPane, qtbot: QtBot
) -> None:
    picked: list[int] = []
    pane.projectPicked.connect(picked.append)
    seen = emissions(world)
    pane.label_picker.refresh()
    assert {a.text() for a in pane.label_picker.menu_.actions()} == {"design", "docs", "ui"}

    pane.project_combo.setFocus()
    qtbot.keyClick(pane.project_combo, Qt.Key.Key_Down)  # All projects -> TRK
    assert picked == [world.project.id]
    assert world.store.filter.project_ids == (world.project.id,)
    assert len(seen) == 1
    assert "WEB-1" not in shown(world)
    click_menu_item(qtbot, pane.label_picker.menu_, "ui", at=pane.label_picker)
    pane.label_picker.menu_.close()
    assert {a.text() for a in pane.label_picker.menu_.actions()} == {"docs", "ui"}
    assert world.store.filter.labels == ("ui",)
    assert shown(world) == {"TRK-1"}


def test_text_is_debounced(world: World, pane: FilterPane, qtbot: QtBot) -> None:
    seen = emissions(world)
    qtbot.keyClicks(pane.text_edit, "safari")
    assert seen == [], "no query per keystroke"
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=2000)
    assert world.store.filter.query == "safari"
    assert shown(world) == {"TRK-1"}
    qtbot.wait(300)
    assert len(seen) == 1

    pane.text_edit.selectAll()
    qtbot.keyClicks(pane.text_edit, "certificate")
    qtbot.keyClick(pane.text_edit, Qt.Key.Key_Return)  # Enter applies at once
    assert len(seen) == 2 and shown(world) == {"TRK-3"}
    qtbot.wait(300)
    assert len(seen) == 2


def test_clear_resets_everything_in_one_change(
    world: World, pane: FilterPane, qtbot: QtBot
) -> None:
    qtbot.mouseClick(pane.toggles["overdue"], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(pane.text_edit, "renew")
    qtbot.keyClick(pane.text_edit, Qt.Key.Key_Return)
    seen = emissions(world)
    assert pane.clear_button.isEnabled()
    qtbot.mouseClick(pane.clear_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    assert world.store.filter == IssueFilter()
    assert not pane.toggles["overdue"].isChecked() and pane.text_edit.text() == ""
    assert not pane.clear_button.isEnabled()
    qtbot.wait(300)
    assert len(seen) == 1


def test_focus_text_puts_the_cursor_in_the_search_box(pane: FilterPane, qtbot: QtBot) -> None:
    pane.activateWindow()
    pane.focus_text()
    qtbot.waitUntil(pane.text_edit.hasFocus)


def _answer_name(name: str) -> None:
    def act(dialog: MessageDialog) -> None:
        assert dialog.field is not None and dialog.minimumWidth() >= 440
        dialog.field.setText(name)
        dialog.push_buttons["ok"].click()

    when_modal(act)


def test_saved_filters_save_pick_rename_delete(
    world: World, pane: FilterPane, qtbot: QtBot
) -> None:
    qtbot.mouseClick(pane.toggles["assigned_to_me"], Qt.MouseButton.LeftButton)
    click_menu_item(qtbot, pane.type_picker.menu_, "Bug", at=pane.type_picker)
    pane.type_picker.menu_.close()
    qtbot.keyClicks(pane.text_edit, "login")
    qtbot.keyClick(pane.text_edit, Qt.Key.Key_Return)
    wanted = world.store.filter

    _answer_name("My bugs")
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    stored = world.services.projects.saved_filters()
    assert [(f.name, f.query) for f in stored] == [("My bugs", "assignee:me type:bug login")]
    assert pane.saved_list.count() == 1 and not pane.saved_hint.isVisibleTo(pane)

    qtbot.mouseClick(pane.clear_button, Qt.MouseButton.LeftButton)
    assert world.store.filter == IssueFilter()
    seen = emissions(world)
    item = pane.saved_list.item(0)
    rect = pane.saved_list.visualItemRect(item)
    qtbot.mouseClick(pane.saved_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(seen) == 1
    assert world.store.filter == wanted
    assert pane.toggles["assigned_to_me"].isChecked() and pane.text_edit.text() == "login"

    _answer_name("Login bugs")
    qtbot.mouseClick(pane.rename_button, Qt.MouseButton.LeftButton)
    assert [f.name for f in world.services.projects.saved_filters()] == ["Login bugs"]
    assert pane.saved_list.item(0).text() == "Login bugs"

    when_modal(lambda box: box.push_buttons["yes"].click())
    qtbot.mouseClick(pane.delete_button, Qt.MouseButton.LeftButton)
    assert world.services.projects.saved_filters() == []
    assert pane.saved_list.count() == 0 and pane.saved_hint.isVisibleTo(pane)


def test_saved_filter_context_menu_and_errors(world: World, pane: FilterPane, qtbot: QtBot) -> None:
    world.services.projects.save_filter("Broken", "colour:red")
    world.services.projects.save_filter("Web", "project:WEB")
    pane.reload_saved()
    rect = pane.saved_list.visualItemRect(pane.saved_list.item(0))
    qtbot.mouseClick(pane.saved_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "unknown field 'colour'" in pane.error_label.text()
    assert pane.error_label.isVisibleTo(pane)

    picked: list[int] = []
    pane.projectPicked.connect(picked.append)
    rect = pane.saved_list.visualItemRect(pane.saved_list.item(1))
    pane.saved_list.customContextMenuRequested.emit(rect.center())
    qtbot.waitUntil(lambda: pane.saved_menu is not None and pane.saved_menu.isVisible())
    assert pane.saved_menu is not None
    click_menu_item(qtbot, pane.saved_menu, "Apply")
    assert world.store.filter.project_ids == (world.other_project.id,)
    assert picked == [world.other_project.id]
    assert not pane.error_label.isVisibleTo(pane)

    _answer_name("Web")  # a duplicate name: the service refuses, the pane says why
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    assert "already exists" in pane.error_label.text()
    assert len(world.services.projects.saved_filters()) == 2


# -- the codec (pure Python) ------------------------------------------------------------------
def test_codec_round_trips_every_part() -> None:
    query = FilterQuery(
        project="TRK",
        assigned_to_me=True,
        reported_by_me=True,
        watching=True,
        due_this_week=True,
        overdue=True,
        types=(IssueType.BUG, IssueType.TASK),
        priorities=(Priority.HIGHEST, Priority.HIGH),
        labels=("ui", "needs review", 'odd,"name'),
        assignees=("bob",),
        unassigned=True,
        categories=(StatusCategory.DONE, StatusCategory.TODO),
        text='fix -label:wontfix ("sign in" OR login)',
    )
    text = encode(query)
    assert text.startswith(
        "project:TRK assignee:me,bob,none reporter:me watching:me due:week due:overdue"
    )
    assert text.endswith(' fix -label:wontfix ("sign in" OR login)')
    assert "priority:high,highest" in text and 'label:ui,"needs review"' in text
    back = decode(text)
    assert encode(back) == text
    canonical = dataclasses.replace(
        query,
        types=(IssueType.TASK, IssueType.BUG),
        priorities=(Priority.HIGH, Priority.HIGHEST),
        categories=(StatusCategory.TODO, StatusCategory.DONE),
    )
    assert back == canonical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour:red", "unknown field 'colour'"),
        ("due:someday", "due:week or due:overdue"),
        ("reporter:", "needs a value"),
        ("type:feature", "unknown type"),
        ('label:"open', "closing quote"),
    ],
)
def test_codec_refuses_what_it_cannot_read(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode(text)


def _geometry_in(pane: FilterPane, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(pane, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("width", [212, 240, 320])
def test_picked_fields_wrap_and_every_chip_keeps_its_size(
    world: World, pane: FilterPane, qtbot: QtBot, width: int
) -> None:
    pane.resize(width, 640)
    for picker, text in (
        (pane.type_picker, "Bug"),
        (pane.category_picker, "In progress"),
        (pane.assignee_picker, "Unassigned"),
    ):
        click_menu_item(qtbot, picker.menu_, text, at=picker)
        picker.menu_.close()
    qtbot.wait(50)  # let the flows' layout requests run
    assert pane.category_picker.text() == "Status: In progress"
    chips = [*pane.toggles.values(), *pane._pickers()]
    titles = [w for w in pane.findChildren(QLabel) if w.text() in ("Quick filters", "Fields")]
    assert len(titles) == 2
    for chip in chips:
        where = _geometry_in(pane, chip)
        # At its size hint (never a sliver), inside the pane, clear of the section titles.
        assert chip.size() == chip.sizeHint(), chip.text()
        assert pane.rect().contains(where), (chip.text(), where)
        box = chip.parentWidget()
        assert box is not None and box.rect().contains(chip.geometry()), chip.text()
        for title in titles:
            assert not where.intersects(_geometry_in(pane, title)), (chip.text(), title.text())
    boxes = {chip.parentWidget() for chip in chips}
    assert len(boxes) == 2
    below = _geometry_in(pane, pane.clear_button)
    for box in boxes:
        assert box is not None
        assert _geometry_in(pane, box).bottom() < below.top()
    for a in chips:
        for b in chips:
            if a is not b:
                assert not _geometry_in(pane, a).intersects(_geometry_in(pane, b))


def test_a_saved_filter_is_highlighted_only_while_in_force(
    world: World, pane: FilterPane, qtbot: QtBot
) -> None:
    qtbot.mouseClick(pane.toggles["assigned_to_me"], Qt.MouseButton.LeftButton)
    pane.save_current("Mine")
    item = pane.saved_list.item(0)
    assert pane.saved_list.currentItem() is item and item.isSelected()

    qtbot.mouseClick(pane.clear_button, Qt.MouseButton.LeftButton)
    assert world.store.filter == IssueFilter()
    assert pane.saved_list.currentItem() is None
    assert not pane.saved_list.selectedItems()
    assert not pane.rename_button.isEnabled() and not pane.delete_button.isEnabled()

    rect = pane.saved_list.visualItemRect(item)
    qtbot.mouseClick(pane.saved_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pane.saved_list.currentItem() is item and item.isSelected()
    qtbot.mouseClick(pane.toggles["overdue"], Qt.MouseButton.LeftButton)  # no longer "Mine"
    assert not pane.saved_list.selectedItems()


def test_in_a_small_window_the_chips_wrap_clear_of_each_other(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    window.resize(1024, 640)
    pane = window.filter_pane
    for picker, text in ((pane.type_picker, "Bug"), (pane.category_picker, "In progress")):
        click_menu_item(qtbot, picker.menu_, text, at=picker)
        picker.menu_.close()
    qtbot.wait(50)
    chips = [*pane.toggles.values(), *pane._pickers()]
    titles = [w for w in pane.findChildren(QLabel) if w.text() in ("Quick filters", "Fields")]
    for chip in chips:
        where = _geometry_in(pane, chip)
        assert chip.size() == chip.sizeHint(), chip.text()
        assert pane.rect().contains(where), (chip.text(), where, pane.rect())
        for title in titles:
            assert not where.intersects(_geometry_in(pane, title)), (chip.text(), title.text())
