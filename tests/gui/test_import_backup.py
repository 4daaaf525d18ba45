"""File > Import > Tracker backup: into a fresh window, and beside real data under new keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import NewIssue
from tracker_gui.interchange import export_json
from tracker_gui.services import Services, open_services
from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.dialogs.import_review import ImportReviewDialog
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    """A backup of another database whose project TRK holds two issues."""
    source = open_services(str(tmp_path / "elsewhere.db"), create=True, actor="alice")
    try:
        source.projects.ensure_project("TRK", "Tracker")
        for title in ("restored one", "restored two"):
            source.issues.create(NewIssue("TRK", title))
        export_json(source, tmp_path / "backup.json")
    finally:
        source.close()
    return tmp_path / "backup.json"


@pytest.fixture
def window(qtbot: QtBot, gui_services: Services, gui_settings: Settings) -> Iterator[MainWindow]:
    """A window over a database as the first start leaves it: the empty project TRK."""
    store = Store(gui_services)
    win = MainWindow(store, gui_settings)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    store.close()


def _review(qtbot: QtBot, window: MainWindow, path: Path) -> ImportReviewDialog:
    flow = window.start_import("json", str(path))
    assert flow is not None and flow.review_dialog is not None
    dialog = flow.review_dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _board_titles(window: MainWindow, key: str) -> list[str]:
    pane = window.docks[f"board:{key}"].pane()
    assert isinstance(pane, BoardPane)
    titles = []
    for _, _, model, _ in pane.cells():
        titles += [str(model.index(r, 0).data()) for r in range(model.rowCount())]
    return titles


def test_a_backup_restores_into_the_first_start_window(
    qtbot: QtBot, window: MainWindow, gui_services: Services, backup: Path
) -> None:
    dialog = _review(qtbot, window, backup)
    assert dialog.problem_rows() == [] and dialog.import_button.isEnabled()
    assert not dialog.rename_check.isVisible()
    assert dialog.keys_note.text() == (
        "The empty project TRK, made with this database, makes way for the backup."
    )
    qtbot.wait(50)  # the counts lay out on the next turn of the event loop
    dialog.grab().save("/tmp/import-backup-fresh.png")
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert dialog.completed
    assert [p.key for p in gui_services.projects.projects()] == ["TRK"]
    qtbot.waitUntil(lambda: len(_board_titles(window, "TRK")) == 2)
    assert any("restored one" in t for t in _board_titles(window, "TRK"))


def test_a_clash_offers_import_under_new_keys(
    qtbot: QtBot, window: MainWindow, gui_services: Services, backup: Path
) -> None:
    gui_services.issues.create(NewIssue("TRK", "mine, made here"))
    dialog = _review(qtbot, window, backup)
    assert not dialog.import_button.isEnabled()
    assert ("error", "projects[0].key\nproject TRK already exists here: import under new keys "
            "to add it as TRK2") in dialog.problem_rows()  # fmt: skip
    box = dialog.rename_check
    assert box.isVisible() and box.text() == "Import under new keys" and not box.isChecked()
    taken = "Some of the backup's project keys are taken here (TRK → TRK2)."
    assert dialog.keys_note.text() == taken
    qtbot.wait(50)
    dialog.grab().save("/tmp/import-backup-clash.png")
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))  # rechecks with new keys
    assert box.isChecked()
    assert dialog.problem_rows() == [] and dialog.import_button.isEnabled()
    assert dialog.keys_note.text() == "The backup's projects get new keys here: TRK → TRK2."
    qtbot.wait(50)
    dialog.grab().save("/tmp/import-backup-renamed.png")
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert dialog.completed
    assert dialog.keys_note.text() == "Imported under new keys: TRK → TRK2."
    keys = sorted(p.key for p in gui_services.projects.projects())
    assert keys == ["TRK", "TRK2"]
    assert gui_services.issues.by_key("TRK2-2").title == "restored two"
    assert gui_services.issues.by_key("TRK-1").title == "mine, made here"


def test_boards_follow_the_restored_projects(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    """The removed project's id is given again (SQLite reuses it): no board may show the
    wrong project's cards under its old title."""
    source = open_services(str(tmp_path / "two.db"), create=True, actor="alice")
    try:
        for key in ("ABC", "TRK"):
            source.projects.ensure_project(key, key.title())
            source.issues.create(NewIssue(key, f"card of {key}"))
        export_json(source, tmp_path / "two.json")
    finally:
        source.close()
    dialog = _review(qtbot, window, tmp_path / "two.json")
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert dialog.completed
    ids = {p.key: p.id for p in gui_services.projects.projects()}
    for name, dock in window.docks.items():
        if name.startswith("board:"):
            pane = dock.pane()
            assert isinstance(pane, BoardPane)
            assert pane.project_id() == ids[name.removeprefix("board:")], name
    qtbot.waitUntil(lambda: len(_board_titles(window, "TRK")) == 1)
    assert "card of TRK" in _board_titles(window, "TRK")[0]
