"""The main window: docks, View menu, layout persistence, boards, status bar, wiring, smoke run."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from tracker_gui import app
from tracker_gui.domain.models import Issue, IssueFilter
from tracker_gui.services import Services
from tracker_gui.ui import conflict_flow, icons, theme
from tracker_gui.ui.dialogs.message import MessageDialog
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

Make = Callable[..., MainWindow]
ROOT = Path(__file__).resolve().parents[2]


def layout_of(window: MainWindow) -> dict[str, tuple[object, bool, bool]]:
    """Per dock: (area, floating, closed) — what a person sees of the arrangement."""
    return {
        name: (window.dockWidgetArea(dock), dock.isFloating(), dock.isHidden())
        for name, dock in window.docks.items()
    }


def test_every_pane_is_a_named_dock(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue]
) -> None:
    window = make_window()
    names = {d.objectName() for d in window.docks.values()}
    assert names == {"board:TRK", "issue-list", "filter", "detail", "activity", "backlog"}
    for dock in window.docks.values():
        assert dock.windowTitle()
        # Detail: empty, hidden until an issue is opened; Backlog: closed by default.
        if dock.objectName() in ("detail", "backlog"):
            assert dock.isHidden()
            continue
        assert dock.isVisible() or window.tabifiedDockWidgets(dock), dock.objectName()
    board = window.main_board()
    assert board is not None and board.project_id() == three_issues[0].project_id
    qtbot.waitUntil(lambda: window.docks["filter"].width() < window.width() // 4)
    # The default sizes land one event-loop turn after the first show.
    qtbot.waitUntil(lambda: window.docks["board:TRK"].width() > window.width() // 2)


def test_view_menu_closes_and_reopens_a_pane(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    activity = window.docks["activity"]
    toggle = next(
        a for a in window.actions_.view_menu.actions() if a is activity.toggleViewAction()
    )
    assert toggle.isChecked()
    toggle.trigger()
    assert activity.isHidden()
    toggle.trigger()
    qtbot.waitUntil(activity.isVisible)


OFFSCREEN_RAISE = "This plugin does not support raise()"  # floating docks on offscreen


@pytest.mark.qt_log_ignore(OFFSCREEN_RAISE)
def test_layout_survives_a_restart(
    qtbot: QtBot,
    make_window: Make,
    store: Store,
    gui_settings: Settings,
    make_issue: Callable[..., Issue],
) -> None:
    issue = make_issue("Shown in the detail pane")
    first = make_window()
    first.show_issue(issue.id, raise_detail=True)  # the detail pane shows only with an issue
    activity, detail, filter_ = (first.docks[n] for n in ("activity", "detail", "filter"))
    activity.setFloating(True)
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, detail)
    first.tabifyDockWidget(filter_, detail)
    first.docks["issue-list"].close()
    expected = layout_of(first)
    assert expected["activity"][1] is True
    assert expected["detail"][0] == Qt.DockWidgetArea.LeftDockWidgetArea
    first.close()

    assert gui_settings.get("window/state")

    second = make_window()
    second.show_issue(issue.id)
    assert layout_of(second) == expected
    assert "detail" in {d.objectName() for d in second.tabifiedDockWidgets(second.docks["filter"])}
    assert second.size() == first.size()


def test_two_boards_for_two_projects_come_back(
    make_window: Make, store: Store, gui_services: Services, gui_settings: Settings
) -> None:
    web, _ = gui_services.projects.ensure_project("WEB", "Website")
    first = make_window()
    dock = first.open_board(web.id)
    assert dock is not None and dock.objectName() == "board:WEB"
    assert [b.project_id() for b in first.board_panes()] == [
        gui_services.projects.project("TRK").id,
        web.id,
    ]
    assert first.open_board(web.id) is dock  # opening it again raises the same pane
    first.close()
    assert gui_settings.get("ui/open_boards") == ["TRK", "WEB"]

    second = make_window()
    assert {"board:TRK", "board:WEB"} <= set(second.docks)
    assert len(second.board_panes()) == 2


@pytest.mark.qt_log_ignore(OFFSCREEN_RAISE)
def test_reset_layout_brings_everything_back(
    make_window: Make, make_issue: Callable[..., Issue]
) -> None:
    window = make_window()
    window.show_issue(make_issue("Open in the detail pane").id, raise_detail=True)
    window.docks["detail"].setFloating(True)
    window.docks["activity"].close()
    window.actions_.reset_layout.trigger()
    detail, board, filter_ = (window.docks[n] for n in ("detail", "board:TRK", "filter"))
    assert not detail.isFloating()
    assert window.docks["activity"].isVisible()
    # Filter on the left, the board in the middle, the detail on the right (one dock area).
    assert filter_.geometry().right() < board.geometry().left()
    assert board.geometry().right() < detail.geometry().left()
    assert {window.dockWidgetArea(d) for d in (detail, board, filter_)} == {
        Qt.DockWidgetArea.LeftDockWidgetArea
    }


def test_status_bar_shows_the_database_and_the_count(
    qtbot: QtBot,
    make_window: Make,
    store: Store,
    three_issues: list[Issue],
    make_issue: Callable[..., Issue],
) -> None:
    window = make_window()
    assert window.status.database_label.text() == store.database_label
    assert store.database_label.endswith("gui.db")
    assert window.status.count_label.text() == "3 issues"
    make_issue("One more")
    qtbot.waitUntil(lambda: window.status.count_label.text() == "4 issues")
    store.set_filter(IssueFilter(text="crash"))
    qtbot.waitUntil(lambda: window.status.count_label.text() == "1 issue")


def test_busy_indicator_follows_the_store(make_window: Make, store: Store) -> None:
    window = make_window()
    assert window.status.busy.isHidden()
    store.busyChanged.emit(True)
    assert window.status.busy.isVisible()
    store.busyChanged.emit(False)
    assert window.status.busy.isHidden()


def test_an_error_shows_inline_and_in_the_status_bar(make_window: Make, store: Store) -> None:
    window = make_window()
    store.errorOccurred.emit("the database is locked by another program")
    assert window.notice.isVisible()
    assert "locked" in window.notice.message.text()
    assert "locked" in window.status.currentMessage()


def test_edit_undo_action_undoes_a_move(
    make_window: Make, store: Store, three_issues: list[Issue], gui_services: Services
) -> None:
    window = make_window()
    todo, doing = store.statuses(three_issues[0].project_id)[:2]
    assert not window.actions_.undo.isEnabled()
    store.move_issue(three_issues[0], doing.id)
    assert window.actions_.undo.isEnabled()
    assert window.actions_.undo.text() == "&Undo Move TRK-1 to In Progress"
    window.actions_.undo.trigger()
    assert gui_services.issues.get(three_issues[0].id).status_id == todo.id


def test_the_list_behind_the_board_loads_only_when_its_tab_is_raised(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue], store: Store
) -> None:
    window = make_window()
    model = window.list_pane.model
    qtbot.waitUntil(lambda: window.main_board() is not None)
    assert model.rowCount() == 0  # tabbed behind the board: nothing queried yet
    store.set_filter(IssueFilter(text="nothing matches this"))
    store.set_filter(IssueFilter())
    assert model.rowCount() == 0
    window.docks["issue-list"].raise_()
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    assert sorted(model.index(r, 0).data() for r in range(3)) == sorted(i.key for i in three_issues)


def test_selecting_shows_the_issue_in_the_detail_pane(
    qtbot: QtBot,
    make_window: Make,
    three_issues: list[Issue],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    shown: list[int | None] = []
    monkeypatch.setattr(window.detail_pane, "show_issue", shown.append)
    window.docks["issue-list"].raise_()  # the list tab is behind the board at first
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 3)
    window.list_pane.select_issue(three_issues[1].id)
    assert shown[-1] == three_issues[1].id
    window.docks["activity"].raise_()
    board = window.main_board()
    assert board is not None
    board.currentIssueChanged.emit(three_issues[0].id)
    assert shown[-1] == three_issues[0].id
    window.docks["issue-list"].raise_()
    board.issueActivated.emit(three_issues[2].id)
    assert shown[-1] == three_issues[2].id
    qtbot.waitUntil(window.docks["detail"].isVisible)


def test_project_picked_in_the_filter_switches_the_main_board(
    make_window: Make, gui_services: Services
) -> None:
    web, _ = gui_services.projects.ensure_project("WEB", "Website")
    window = make_window()
    window.filter_pane.projectPicked.emit(web.id)
    board = window.main_board()
    assert board is not None and board.project_id() == web.id
    assert "board:WEB" in window.docks and "board:TRK" not in window.docks
    assert window.docks["board:WEB"].windowTitle() == "Website board"


def test_board_and_list_toggles_raise_their_panes(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    window.actions_.show_list.trigger()
    board, issues = window.docks["board:TRK"], window.docks["issue-list"]
    qtbot.waitUntil(lambda: not issues.visibleRegion().isEmpty())
    assert board.visibleRegion().isEmpty()  # tabbed behind the list
    window.actions_.show_board.trigger()
    qtbot.waitUntil(lambda: not board.visibleRegion().isEmpty())
    assert issues.visibleRegion().isEmpty()


def test_a_conflict_asks_and_overwrite_reapplies(
    qtbot: QtBot,
    make_window: Make,
    store: Store,
    three_issues: list[Issue],
    other_services: Services,
    gui_services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[dict[str, object]] = []

    class Answer(QDialog):
        def __init__(
            self, error: object, mine: dict[str, object], parent: QWidget, **_named: object
        ) -> None:
            super().__init__(parent)
            asked.append(mine)
            self.choice = "overwrite"

        def exec(self) -> int:
            return 1

    monkeypatch.setattr(conflict_flow, "ConflictDialog", Answer)
    make_window()
    stale = three_issues[0]
    theirs = other_services.issues.get(stale.id)
    other_services.issues.edit(theirs.id, theirs.version, {"title": "Theirs"})
    store.edit_issue(stale, {"title": "Mine"})
    qtbot.waitUntil(lambda: gui_services.issues.get(stale.id).title == "Mine")
    assert asked == [{"title": "Mine"}]


def test_window_title_and_icon(make_window: Make, store: Store) -> None:
    window = make_window()
    assert window.windowTitle() == f"Tracker — {store.database_label}"
    assert not window.windowIcon().isNull()


def test_smoke_run_writes_a_report_and_a_screenshot(tmp_path: Path) -> None:
    out = tmp_path / "smoke"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TRACKER_HOME": str(tmp_path / "home")}
    env.pop("TRACKER_DB", None)
    code = (
        "import sys; from tracker_gui.app import run_window;"
        f"sys.exit(run_window('', smoke_test={str(out)!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "smoke.json").read_text())
    assert report["ok"] is True
    assert report["cards_visible"] > 0
    assert report["database"].endswith("tracker.db")
    png = (out / "main-window.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert not (tmp_path / "home" / "data" / "tracker.db").exists()  # the real default is untouched


@pytest.fixture
def quiet_log() -> Iterator[None]:
    """run_window attaches a log file handler: take it off again after the test."""
    root = logging.getLogger()
    before = list(root.handlers)
    yield
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


class Boxes:
    """Stands in for MessageDialog.exec: records what the user was told, presses `reply`
    (a button key: "yes", "no", "ok", "quit")."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.shown: list[tuple[str, str, str]] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> Boxes:
        def exec_(box: MessageDialog) -> int:
            self.shown.append((box.windowTitle(), box.text(), box.detail()))
            box.clicked = self.reply
            return 1

        monkeypatch.setattr(MessageDialog, "exec", exec_)
        return self


def test_a_missing_database_is_created_only_when_the_user_agrees(
    qapp: object, quiet_log: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "new" / "tracker.db"
    boxes = Boxes("no").install(monkeypatch)
    assert app.run_window(str(target)) == 1
    assert not target.exists()
    assert "Create a new database there?" in boxes.shown[0][1]

    boxes.reply = "yes"
    services = app.open_target(str(target))
    assert services is not None
    try:
        assert [p.key for p in services.projects.projects()] == ["TRK"]
    finally:
        services.close()


def test_the_first_start_creates_the_default_database_without_asking(
    qapp: object, quiet_log: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker_gui import paths

    default = paths.data_dir() / "tracker.db"
    assert not default.exists()
    boxes = Boxes("no").install(monkeypatch)
    services = app.open_target(str(default))
    assert services is not None
    try:
        assert boxes.shown == []
        assert default.stat().st_size > 0
        assert [p.key for p in services.projects.projects()] == ["TRK"]
    finally:
        services.close()


def test_an_empty_file_at_the_default_location_is_still_asked_about(
    qapp: object, quiet_log: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker_gui import paths

    default = paths.data_dir() / "tracker.db"
    default.parent.mkdir(parents=True, exist_ok=True)
    default.write_bytes(b"")
    boxes = Boxes("no").install(monkeypatch)
    assert app.open_target(str(default)) is None
    assert default.read_bytes() == b""
    assert "Create a new database there?" in boxes.shown[0][1]


def test_a_file_that_is_not_a_database_is_refused_untouched(
    qapp: object, quiet_log: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "notes.db"
    target.write_bytes(b"these are my notes, not a database\n" * 10)
    before = target.read_bytes()
    boxes = Boxes("quit").install(monkeypatch)
    assert app.run_window(str(target)) == 1
    assert target.read_bytes() == before
    title, text, hint = boxes.shown[0]
    assert title == "Not a Tracker database"
    assert "not a SQLite file" in text
    assert hint == "Pick another file."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_an_empty_file_counts_as_no_database_yet(
    qapp: object, quiet_log: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "empty.db"
    target.touch()
    boxes = Boxes("no").install(monkeypatch)
    assert app.run_window(str(target)) == 1
    assert target.stat().st_size == 0
    assert boxes.shown[0][0] == "Create a database?"


def test_an_unexpected_error_is_logged_and_shown_with_the_log_path(
    qapp: object, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    boxes = Boxes("ok").install(monkeypatch)
    hook = app._Crash("/home/me/.local/state/tracker-gui/log/tracker.log", smoke=False)
    try:
        raise ValueError("boom")
    except ValueError as exc:
        hook(ValueError, exc, exc.__traceback__)
    assert hook.failed
    title, text, details = boxes.shown[0]
    assert title == "Tracker hit an unexpected error"
    assert text == "ValueError: boom"
    assert "/home/me/.local/state/tracker-gui/log/tracker.log" in details
    assert "unexpected error" in caplog.text


@pytest.fixture
def restore_look(qapp: QApplication) -> Iterator[None]:
    palette, sheet, style = qapp.palette(), qapp.styleSheet(), qapp.style().name()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setStyle(style)
    theme._state.dark = False
    theme._state.styled = False


def test_light_and_dark_themes_apply_cleanly(
    qtbot: QtBot, make_window: Make, qapp: QApplication, restore_look: None
) -> None:
    window = make_window()
    theme.apply_theme(qapp, "dark")
    assert theme.is_dark()
    dark_base = qapp.palette().color(QPalette.ColorRole.Base)
    assert dark_base.lightness() < 60
    assert theme.palette_colours()["card_bg"].lightness() < 80
    window.grab()  # paints every pane with the dark colours (and no stylesheet warnings)
    theme.apply_theme(qapp, "light")
    assert qapp.palette().color(QPalette.ColorRole.Base).lightness() > 200
    assert theme.palette_colours()["text"].lightness() < 80
    window.grab()
    theme.apply_theme(qapp, "system")
    assert theme.current_mode() == "system"


def test_every_contract_icon_exists_and_unknown_names_raise(qapp: object) -> None:
    required = [
        "type-task", "type-bug", "type-story", "type-epic", "type-subtask",
        "priority-lowest", "priority-low", "priority-medium", "priority-high", "priority-highest",
        "add", "filter", "search", "undo", "redo", "settings", "board", "list", "activity",
        "detail", "due", "comment", "link", "watch",
    ]  # fmt: skip
    for name in required:
        pixmap = icons.icon(name).pixmap(QSize(24, 24))
        assert not pixmap.isNull(), name
        assert not pixmap.toImage().allGray() or name.startswith(("add", "search")), name
    with pytest.raises(FileNotFoundError):
        icons.icon("no-such-icon")
    assert not icons.app_icon().isNull()
    assert {16, 32, 256, 512} <= {s.width() for s in icons.app_icon().availableSizes()}


def test_find_puts_the_cursor_in_the_filter_text(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    window.activateWindow()
    window.docks["filter"].close()
    window.actions_.find.trigger()
    assert window.docks["filter"].isVisible()
    qtbot.waitUntil(window.filter_pane.text_edit.hasFocus)


def test_damage_is_found_in_the_background_after_the_window_opens(
    qtbot: QtBot, qapp: object, quiet_log: None, tmp_path: Path
) -> None:
    from tracker_gui.domain.models import NewIssue
    from tracker_gui.services import open_services
    from tracker_gui.ui.store import Store

    target = tmp_path / "team.db"
    services = open_services(str(target), create=True, actor="alice")
    services.projects.ensure_project("TRK", "Tracker")
    for n in range(400):
        services.issues.create(NewIssue("TRK", f"Issue number {n} " + "x" * 200))
    services.close()
    # Scribble over a leaf page of the issue table (not the schema, which opening reads: a
    # page picked by its place in the file was the schema's once the schema grew).
    with contextlib.closing(sqlite3.connect(target)) as conn:
        pages = [row[0] for row in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'issue' AND pagetype = 'leaf' ORDER BY pageno"
        )]  # fmt: skip
    data = bytearray(target.read_bytes())
    at = (pages[len(pages) // 2] - 1) * 4096
    data[at + 8 : at + 600] = b"\xff" * 592
    target.write_bytes(bytes(data))

    opened = app.open_target(str(target))
    assert opened is not None  # the window opens at once; the scan comes after
    store = Store(opened)
    try:
        with qtbot.waitSignal(store.errorOccurred, timeout=10_000) as blocker:
            store.start_integrity_check()
        assert "damaged" in blocker.args[0]
        assert "restore a backup" in blocker.args[0]
    finally:
        store.close()
        opened.close()
    assert target.read_bytes() == bytes(data)
