"""The issue list's Logged and Remaining columns: shown, sorted, read once per page, live."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import Issue
from tracker_gui.services import Services, open_services
from tracker_gui.services.worklogs import WorklogService
from tracker_gui.ui.models.issue_table_model import COLUMNS, KEY, LOGGED, REMAINING
from tracker_gui.ui.panes.issue_list_pane import IssueListPane
from tracker_gui.ui.store import Store


def column(pane: IssueListPane, section: int) -> list[tuple[str, str]]:
    """(key, text in `section`) of every row, top to bottom, as the view shows them."""
    model = pane.view.model()
    return [
        (model.index(r, KEY).data(), model.index(r, section).data() or "")
        for r in range(model.rowCount())
    ]


def click_header(qtbot: QtBot, pane: IssueListPane, section: int) -> None:
    header = pane.view.horizontalHeader()
    pane.view.scrollTo(pane.view.model().index(0, section))
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_logged_and_remaining_columns_show_sort_and_follow_other_windows(
    qtbot: QtBot,
    store: Store,
    gui_services: Services,
    make_issue: Callable[..., Issue],
    tmp_path: Path,
) -> None:
    a = make_issue("Estimated, some logged", estimate=16.0)  # 2d on the default calendar
    b = make_issue("Logged a lot")
    c = make_issue("Nothing at all")
    logs = WorklogService.of(gui_services)
    logs.log(a.id, "2h")
    logs.log(b.id, "1d2h")
    pane = IssueListPane(store)
    qtbot.addWidget(pane)
    pane.resize(1500, 500)
    pane.show()
    qtbot.waitExposed(pane)
    pane.model.set_active(True)  # the window does this when the list dock is shown
    assert (COLUMNS[LOGGED], COLUMNS[REMAINING]) == ("Logged", "Remaining")
    reads = pane.model.times.reads
    assert reads == 1  # the first page's time: one read for every row

    click_header(qtbot, pane, LOGGED)
    assert pane.model.sort_key in ("logged", "-logged")
    if pane.model.sort_key == "logged":
        click_header(qtbot, pane, LOGGED)
    assert pane.model.sort_key == "-logged"
    assert column(pane, LOGGED) == [(b.key, "1d2h"), (a.key, "2h"), (c.key, "")]
    assert column(pane, REMAINING) == [(b.key, ""), (a.key, "1d6h"), (c.key, "")]

    click_header(qtbot, pane, REMAINING)
    if pane.model.sort_key != "remaining":
        click_header(qtbot, pane, REMAINING)
    assert pane.model.sort_key == "remaining"
    # Unknown remaining time (no estimate, none set) sorts last, by id among itself.
    assert column(pane, REMAINING) == [(a.key, "1d6h"), (b.key, ""), (c.key, "")]

    # Time logged in another window re-reads that row and moves it where the sort says.
    click_header(qtbot, pane, LOGGED)
    if pane.model.sort_key != "-logged":
        click_header(qtbot, pane, LOGGED)
    bob = open_services(str(tmp_path / "gui.db"), actor="bob")
    try:
        WorklogService.of(bob).log(c.id, "2d")
    finally:
        bob.close()
    store.poll()
    qtbot.waitUntil(lambda: column(pane, LOGGED)[0] == (c.key, "2d"))
    assert column(pane, LOGGED) == [(c.key, "2d"), (b.key, "1d2h"), (a.key, "2h")]
