"""The quick switcher: Ctrl+K, type, see marked hits, arrows move, Enter opens, Esc closes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import Issue, SearchHit
from tracker_gui.services import Services
from tracker_gui.ui.dialogs.quick_switcher import HitModel, QuickSwitcher
from tracker_gui.ui.store import Store


def _switcher(window: object) -> QuickSwitcher:
    found: list[QuickSwitcher] = window.findChildren(QuickSwitcher)  # type: ignore[attr-defined]
    assert len(found) == 1
    return found[0]


def test_ctrl_k_type_words_and_enter_opens_the_issue(
    qtbot: QtBot, make_window: Callable[..., object], make_issue: Callable[..., Issue]
) -> None:
    make_issue("Write the importer")
    crash = make_issue("Crash when saving", description="Happens on a full disk.")
    make_issue("Other crash", description="Only at night.")
    window = make_window()
    action = window.actions_.quick_switch  # type: ignore[attr-defined]
    assert action.shortcut() == QKeySequence("Ctrl+K")
    window.activateWindow()  # type: ignore[attr-defined]
    qtbot.waitUntil(window.isActiveWindow)  # type: ignore[attr-defined]
    qtbot.keySequence(window, QKeySequence("Ctrl+K"))
    switcher = _switcher(window)
    assert switcher.isVisible() and switcher.hint.isVisible()
    qtbot.keyClicks(switcher.edit, "saving")
    qtbot.waitUntil(lambda: [h.key for h in switcher.hits()] == ["TRK-2"])
    hit = switcher.hits()[0]
    assert hit.title == (("Crash when ", False), ("saving", True))
    assert switcher.view.isVisible() and not switcher.hint.isVisible()
    assert switcher.count.text() == "1 issue"
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Return)
    assert window.detail_pane.issue_id() == crash.id  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not switcher.isVisible())
    # Opened again: empty, and the same one (not a new dialog per Ctrl+K).
    action.trigger()
    assert _switcher(window) is switcher
    assert switcher.edit.text() == "" and switcher.hits() == [] and switcher.isVisible()


def test_arrows_move_and_enter_opens_the_selected_hit(
    qtbot: QtBot, make_window: Callable[..., object], make_issue: Callable[..., Issue]
) -> None:
    for n in range(3):
        make_issue(f"Crash number {n}")
    window = make_window()
    switcher = window._on_quick_switch_triggered()  # type: ignore[attr-defined]
    # Typed fast and Enter at once: the pending search runs first, never a stale list.
    qtbot.keyClicks(switcher.edit, "crash")
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Down)
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Down)
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Up)
    second = switcher.hits()[1]
    assert switcher.view.currentIndex().row() == 1
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Enter)
    assert window.detail_pane.issue_id() == second.issue_id  # type: ignore[attr-defined]


def test_key_number_and_no_match(
    qtbot: QtBot, store: Store, make_issue: Callable[..., Issue]
) -> None:
    issues = [make_issue(f"Issue {n}") for n in range(12)]
    chosen: list[int] = []
    switcher = QuickSwitcher(store.find, "TRK")
    qtbot.addWidget(switcher)
    switcher.issueChosen.connect(chosen.append)
    switcher.show()
    qtbot.keyClicks(switcher.edit, "12")
    qtbot.waitUntil(lambda: bool(switcher.hits()))
    assert switcher.hits()[0].key == "TRK-12" and switcher.hits()[0].by_key
    switcher.edit.clear()
    qtbot.keyClicks(switcher.edit, "zebra")
    qtbot.waitUntil(lambda: switcher.hint.text() == "No issue matches “zebra”")
    assert switcher.hint.isVisible() and not switcher.view.isVisible()
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Return)
    assert chosen == []
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Escape)
    assert not switcher.isVisible()
    assert issues[11].key == "TRK-12"


def test_click_opens(qtbot: QtBot, store: Store, make_issue: Callable[..., Issue]) -> None:
    make_issue("Alpha crash")
    target = make_issue("Beta crash")
    switcher = QuickSwitcher(store.find, "TRK")
    qtbot.addWidget(switcher)
    switcher.resize(600, 400)
    switcher.show()
    switcher.edit.setText("beta")
    switcher.search_now()
    chosen: list[int] = []
    switcher.issueChosen.connect(chosen.append)
    rect = switcher.view.visualRect(switcher.model.index(0, 0))
    qtbot.mouseClick(switcher.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen == [target.id]


def test_model(qtmodeltester: object, gui_services: Services) -> None:
    model = HitModel()
    hit = SearchHit(1, "TRK-1", "To Do", gui_services.projects.statuses(1)[0].category,
                    (("A ", False), ("crash", True)))  # fmt: skip
    model.set_hits([hit, hit])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.index(0, 0).data() == "TRK-1 A crash"


def test_the_pick_is_selected_and_scrolled_into_view_on_the_board(
    qtbot: QtBot, make_window: Callable[..., object], make_issue: Callable[..., Issue]
) -> None:
    issues = [make_issue(f"Task {n}", status="Done") for n in range(75)]
    target = issues[-1]  # last in the last column: past the first page, off to the right
    window = make_window()
    window.resize(1024, 640)  # type: ignore[attr-defined]
    board = window.main_board()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: board.current_issue() is None)
    switcher = window._on_quick_switch_triggered()  # type: ignore[attr-defined]
    switcher.edit.setText(target.key)
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Return)
    assert board.current_issue() == target.id
    cell = next(c for c in board.cells() if c[0].name == "Done")
    model, view = cell[2], cell[3]
    index = view.currentIndex()
    assert index.isValid() and model.data(index, Qt.ItemDataRole.DisplayRole).startswith(target.key)
    assert view.selectionModel().isSelected(index)
    qtbot.waitUntil(lambda: view.viewport().rect().contains(view.visualRect(index)))
    viewport = board.body.viewport()

    def column_in_view() -> bool:
        left: int = view.mapTo(viewport, view.rect().topLeft()).x()
        right: int = left + view.width()
        return left >= 0 and right <= viewport.width()

    qtbot.waitUntil(column_in_view)  # the board scrolled sideways to the column


def test_the_popup_is_an_opaque_frame_with_no_black_corners(qtbot: QtBot, store: Store) -> None:
    from tracker_gui.ui import theme

    switcher = QuickSwitcher(store.find, "TRK")
    qtbot.addWidget(switcher)
    switcher.resize(600, 400)
    switcher.show()
    qtbot.waitExposed(switcher)
    assert not switcher.testAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
    image = switcher.grab().toImage()
    border = theme.colour("card_hover_border").name()
    for x, y in ((0, 0), (599, 0), (0, 399), (599, 399)):
        corner = image.pixelColor(x, y)
        assert corner.alpha() == 255 and corner.name() == border
