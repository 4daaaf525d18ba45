"""The main window: every pane is a dock; layout, menus, status bar and the wiring between panes."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog, QWidget

from tracker_gui import __version__
from tracker_gui.domain.models import Project
from tracker_gui.errors import ConflictError
from tracker_gui.services.sync_types import SyncEngine
from tracker_gui.ui import actions as actions_mod
from tracker_gui.ui import backups as backups_ui
from tracker_gui.ui import conflict_flow, icons, permissions, project_menu, reports_setup, theme
from tracker_gui.ui.backlog_setup import install as install_backlog
from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.board.reveal import select_and_keep_in_view
from tracker_gui.ui.board.view_menu import install_density_action
from tracker_gui.ui.context_keys import CONTEXT_KEYS
from tracker_gui.ui.detail_presence import DetailPresence
from tracker_gui.ui.dialogs import message
from tracker_gui.ui.dialogs.import_export import ExportDialog, ImportFlow
from tracker_gui.ui.dialogs.new_issue import NewIssueDialog
from tracker_gui.ui.dialogs.preferences import PreferencesDialog
from tracker_gui.ui.dialogs.project_settings import ProjectSettingsDialog
from tracker_gui.ui.dialogs.quick_switcher import QuickSwitcher
from tracker_gui.ui.dialogs.shortcuts import ShortcutsDialog, open_sheet
from tracker_gui.ui.docked_window import BOARD_PREFIX, DockedWindow
from tracker_gui.ui.docks import PaneDock
from tracker_gui.ui.empty_state import EmptyState
from tracker_gui.ui.file_menu import FileMenu
from tracker_gui.ui.panes.activity_pane import ActivityPane
from tracker_gui.ui.panes.detail_pane import DetailPane
from tracker_gui.ui.panes.filter_pane import FilterPane
from tracker_gui.ui.panes.issue_list_pane import IssueListPane
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.status_bar import InlineNotice, StatusBar
from tracker_gui.ui.store import Store
from tracker_gui.ui.sync_setup import CONFLICTS_DOCK, SyncUi
from tracker_gui.ui.sync_setup import install as install_sync
from tracker_gui.ui.time_setup import install as install_time

log = logging.getLogger(__name__)

FIXED_DOCKS = ("filter", "issue-list", "detail", "activity")


class MainWindow(DockedWindow):
    """Boards, issue list, filter, detail and activity as docks that float, tab and persist."""

    openDatabaseRequested = Signal(str)

    def __init__(
        self,
        store: Store,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        sync: SyncEngine | None = None,
        reports: reports_setup.ReportSources | None = None,
    ) -> None:
        super().__init__(settings, parent)
        self.store = store
        self.setObjectName("MainWindow")
        self.setWindowTitle(f"Tracker — {store.database_label}")
        self.setWindowIcon(icons.app_icon())
        self.filter_pane = FilterPane(store)
        self.detail_pane = DetailPane(store)
        self._switcher: QuickSwitcher | None = None
        self.list_pane = IssueListPane(store)
        self.activity_pane = ActivityPane(store)
        self.add_dock("filter", "Filter", "filter", self.filter_pane)
        list_dock = self.add_dock("issue-list", "Issues", "list", self.list_pane)
        # The list queries only while someone can see it (not while tabbed behind a board).
        list_dock.visibilityChanged.connect(self.list_pane.model.set_active)
        detail_dock = self.add_dock("detail", "Detail", "detail", self.detail_pane)
        self.add_dock("activity", "Activity", "activity", self.activity_pane)
        self.actions_ = actions_mod.build(self, store)
        self.detail_presence = DetailPresence(self, detail_dock, self.docks["filter"], settings)
        self.status = StatusBar(store, self)
        self.setStatusBar(self.status)
        self.notice = InlineNotice(self)
        self.time = install_time(self, store, settings)
        # A team database's replica: the Conflicts pane, the sync state and Sync now.
        self.sync_ui: SyncUi | None = None
        if sync is not None:
            self.sync_ui = install_sync(self, store, self.status, sync, self.actions_.open_database)
            self.sync_ui.pane.issueActivated.connect(self._on_detail_issue_activated)
        self._connect()
        self.compact_cards = install_density_action(
            self.actions_.view_menu, self.actions_.reset_layout, settings, self.board_panes
        )
        self.project_menu = project_menu.install(self, self)
        self.reports = reports_setup.install(
            self,
            store,
            self.actions_.view_menu,
            self.actions_.new_board,
            reports,
            self.project_menu.project_on_screen,
        )
        self.backlog = install_backlog(
            self, store, self.actions_.view_menu, self.actions_.new_board,
            self.project_menu.project_on_screen, self._on_board_issue_activated,
        )  # fmt: skip
        self.backups = store.backups
        self.backups.keep = int(settings.get("backup/keep"))
        self.restore_action = backups_ui.install(self, self.backups, self.actions_.quit)
        self._pane_actions: list[QAction] = []

        for project in self._initial_projects():
            self.open_board(project.id, raise_dock=False)
        self._sync_swimlane_actions()
        self.resize(1440, 900)
        self.reset_layout()
        self.restore_layout()
        self.detail_presence.collapse()  # nothing is open yet
        self._rebuild_view_menu()
        self._update_title_bars()
        self.empty_state = EmptyState(
            self, store, self.actions_, self.centre_dock, self.project_menu.new_project
        )

    def reset_layout(self) -> None:
        super().reset_layout()
        self.actions_.show_board.setChecked(bool(self._boards))
        if self.detail_pane.issue_id() is None:
            self.detail_presence.collapse()

    def dock(self, name: str) -> PaneDock | None:
        return self.docks.get(name)

    def board_docks(self) -> list[PaneDock]:
        return list(self._boards)

    def board_panes(self) -> list[BoardPane]:
        return [d.pane() for d in self._boards]  # type: ignore[misc]

    def main_board(self) -> BoardPane | None:
        return self._boards[0].pane() if self._boards else None  # type: ignore[return-value]

    def _project(self, project_id: int) -> Project | None:
        return next((p for p in self.store.projects() if p.id == project_id), None)

    def _initial_projects(self) -> list[Project]:
        projects = self.store.projects()
        by_key = {p.key: p for p in projects}
        wanted = [by_key[k] for k in self.settings.get("ui/open_boards") if k in by_key]
        if not wanted:
            last = by_key.get(self.settings.get("ui/last_project"))
            wanted = [last] if last else projects[:1]
        unique: dict[int, Project] = {}
        for project in wanted:
            unique.setdefault(project.id, project)
        return list(unique.values())

    def open_board(self, project_id: int, raise_dock: bool = True) -> PaneDock | None:
        """Show the board of a project in its own dock (raising it if it is already open)."""
        project = self._project(project_id)
        if project is None:
            return None
        name = BOARD_PREFIX + project.key
        existing = self.docks.get(name)
        if existing is not None:
            existing.show()
            existing.raise_()
            return existing
        board = BoardPane(self.store, project.id, self.settings)
        board.set_swimlanes(self.settings.get("ui/swimlanes"))
        dock = self.add_dock(name, self._board_title(project), "board", board)
        board.issueActivated.connect(self._on_board_issue_activated)
        board.currentIssueChanged.connect(self._on_board_current_issue_changed)
        board.new_issue_requested.connect(self._on_board_new_issue_requested)
        board.filterClearRequested.connect(self.filter_pane.clear_button.click)
        self._boards.append(dock)
        if self.isVisible() or raise_dock:
            anchor = self._boards[0] if len(self._boards) > 1 else None
            if anchor is not None and not anchor.isFloating():
                self.tabifyDockWidget(anchor, dock)
            else:
                self.place_centre(dock)
            dock.show()
            dock.raise_()
            self._rebuild_view_menu()
        return dock

    @staticmethod
    def _board_title(project: Project) -> str:
        return f"{project.name} board" if project.name != project.key else f"{project.key} board"

    def set_main_project(self, project_id: int) -> None:
        """Point the main board at another project (or raise that project's open board)."""
        project = self._project(project_id)
        if project is None:
            return
        other = self.docks.get(BOARD_PREFIX + project.key)
        if other is not None:
            other.show()
            other.raise_()
            return
        if not self._boards:
            self.open_board(project_id)
            return
        dock = self._boards[0]
        del self.docks[dock.objectName()]
        dock.setObjectName(BOARD_PREFIX + project.key)
        dock.setWindowTitle(self._board_title(project))
        self.docks[dock.objectName()] = dock
        board: BoardPane = dock.pane()  # type: ignore[assignment]
        board.set_project(project_id)
        dock.show()
        dock.raise_()
        self.settings.set("ui/last_project", project.key)

    # -- view menu -----------------------------------------------------------------------
    def _rebuild_view_menu(self) -> None:
        menu = self.actions_.view_menu
        for action in self._pane_actions:
            menu.removeAction(action)
        fixed = (*FIXED_DOCKS, CONFLICTS_DOCK)
        ordered = [*self._boards, *(self.docks[n] for n in fixed if n in self.docks)]
        self._pane_actions = [d.toggleViewAction() for d in ordered]
        menu.insertActions(self.actions_.panes_anchor, self._pane_actions)
        self.actions_.new_board.setEnabled(bool(self.store.projects()))

    def _sync_swimlane_actions(self) -> None:
        mode = self.settings.get("ui/swimlanes")
        for action in self.actions_.swimlanes.actions():
            action.setChecked(action.data() == mode)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.notice.isVisible():
            self.notice.reposition()

    # -- wiring --------------------------------------------------------------------------
    def _connect(self) -> None:
        a = self.actions_
        a.new_issue.triggered.connect(self._on_new_issue_triggered)
        a.open_database.triggered.connect(self._on_open_database_triggered)
        a.quit.triggered.connect(self.close)
        a.find.triggered.connect(self._on_find_triggered)
        a.quick_switch.triggered.connect(self._on_quick_switch_triggered)
        a.preferences.triggered.connect(self._on_preferences_triggered)
        a.new_board.triggered.connect(self._on_new_board_triggered)
        a.reset_layout.triggered.connect(self.reset_layout)
        a.show_board.triggered.connect(self._on_show_board_triggered)
        a.show_list.triggered.connect(self._on_show_list_triggered)
        a.project_settings.triggered.connect(self._on_project_settings_triggered)
        a.about.triggered.connect(self._on_about_triggered)
        a.shortcuts.triggered.connect(self.show_shortcuts)
        a.swimlanes.triggered.connect(self._on_swimlanes_triggered)
        self.files = FileMenu(
            self,
            self.store,
            a,
            self.status,
            lambda: self._project(self._current_project_id() or 0),
            self.open_board,
        )
        self.filter_pane.projectPicked.connect(self._on_filter_project_picked)
        self.list_pane.currentIssueChanged.connect(self._on_list_current_issue_changed)
        self.list_pane.issueActivated.connect(self._on_list_issue_activated)
        self.activity_pane.issueActivated.connect(self._on_activity_issue_activated)
        self.detail_pane.issueActivated.connect(self._on_detail_issue_activated)
        self.tabifiedDockWidgetActivated.connect(self._on_window_tab_activated)
        self.store.errorOccurred.connect(self._on_store_error_occurred)
        self.store.conflictOccurred.connect(self._on_store_conflict_occurred)
        self.store.projectsChanged.connect(self._on_store_projects_changed)
        self.store.rolesChanged.connect(self._on_store_roles_changed)
        theme.notifier.changed.connect(self._on_theme_changed)

    def show_issue(self, issue_id: int | None, raise_detail: bool = False) -> None:
        self.detail_pane.show_issue(issue_id)
        if issue_id is not None:
            self.detail_presence.issue_opened(raise_detail)

    def _on_board_current_issue_changed(self, issue_id: object) -> None:
        if isinstance(issue_id, int):
            self.show_issue(issue_id)

    def _on_list_current_issue_changed(self, issue_id: object) -> None:
        if isinstance(issue_id, int):
            self.show_issue(issue_id)

    def _on_board_issue_activated(self, issue_id: int) -> None:
        self.show_issue(issue_id, raise_detail=True)

    def _on_list_issue_activated(self, issue_id: int) -> None:
        self.show_issue(issue_id, raise_detail=True)

    def _on_activity_issue_activated(self, issue_id: int) -> None:
        self.show_issue(issue_id, raise_detail=True)
        for board in self.board_panes():
            board.select_issue(issue_id)

    def _on_detail_issue_activated(self, issue_id: int) -> None:
        self.show_issue(issue_id, raise_detail=True)

    def _on_filter_project_picked(self, project_id: int) -> None:
        if project_id:
            self.set_main_project(project_id)

    def _on_window_tab_activated(self, dock: QDockWidget) -> None:
        if dock is self.docks["issue-list"]:
            self.actions_.show_list.setChecked(True)
        elif dock in self._boards:
            self.actions_.show_board.setChecked(True)

    def _on_show_board_triggered(self) -> None:
        if self._boards:
            self._boards[0].show()
            self._boards[0].raise_()

    def _on_show_list_triggered(self) -> None:
        dock = self.docks["issue-list"]
        dock.show()
        dock.raise_()

    def _on_find_triggered(self) -> None:
        dock = self.docks["filter"]
        dock.show()
        dock.raise_()
        self.filter_pane.focus_text()

    def _on_quick_switch_triggered(self) -> QuickSwitcher:
        project = self._project(self._current_project_id() or 0)
        # One switcher per window, reused: it opens empty each time.
        if self._switcher is None:
            self._switcher = QuickSwitcher(self.store.find, None, self)
            self._switcher.issueChosen.connect(self._on_switcher_issue_chosen)
        self._switcher.reset(project.key if project else None)
        self._switcher.popup_over(self)
        return self._switcher

    def _on_switcher_issue_chosen(self, issue_id: int) -> None:
        self.show_issue(issue_id, raise_detail=True)
        for board in self.board_panes():
            select_and_keep_in_view(board, issue_id)  # the detail dock may shrink the board

    def _current_project_id(self) -> int | None:
        return self.project_menu.project_on_screen()

    def _on_new_issue_triggered(self) -> None:
        self._new_issue(None)

    def _on_board_new_issue_requested(self, status_id: int) -> None:
        self._new_issue(status_id)

    def _new_issue(self, status_id: int | None) -> None:
        project_id = self._current_project_id()
        if project_id is None:
            self.project_menu.offer_new_project()
            return
        refused = permissions.refusal(self.store, project_id)
        if refused:
            self._on_store_error_occurred(refused)
            return
        dialog = NewIssueDialog(self.store, project_id, status_id, self)
        if dialog.exec() and dialog.created_issue is not None:
            issue = dialog.created_issue
            for board in self.board_panes():
                if board.project_id() == issue.project_id:
                    board.select_issue(issue.id)
            self.show_issue(issue.id)

    def _on_open_database_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open Database", "", "Tracker databases (*.db *.sqlite *.tracker);;All files (*)"
        )
        if path:
            self.openDatabaseRequested.emit(path)

    def _on_preferences_triggered(self) -> None:
        names = [s.name for p in self.store.projects() for s in self.store.statuses(p.id)]
        dialog = PreferencesDialog(self.settings, self, statuses=names)
        dialog.themeChanged.connect(self._on_preferences_theme_changed)
        dialog.exec()

    def _on_preferences_theme_changed(self, mode: str) -> None:
        self.settings.set("ui/theme", mode)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, mode)

    def _on_project_settings_triggered(self) -> None:
        project_id = self._current_project_id()
        if project_id is None:
            self.project_menu.offer_new_project()
            return
        ProjectSettingsDialog(self.store, project_id, self).exec()

    def _on_about_triggered(self) -> None:
        message.inform(
            self,
            "About Tracker",
            f"Tracker {__version__}",
            "A native, offline-first issue tracker with a kanban board.\n\n"
            f"Database: {self.store.database_label}",
            kind="app",
        )

    def show_shortcuts(self) -> ShortcutsDialog:
        return open_sheet(self, CONTEXT_KEYS)  # Help > Keyboard Shortcuts, or "?"

    def _on_new_board_triggered(self) -> None:
        projects = self.store.projects()
        if not projects:
            return
        names = [f"{p.key} · {p.name}" for p in projects]
        index = message.ask_item(self, "New board pane", "Show the board of:", names, ok="Show")
        if index is not None:
            self.open_board(projects[index].id)

    def _on_swimlanes_triggered(self, action: QAction) -> None:
        mode = str(action.data())
        self.settings.set("ui/swimlanes", mode)
        for board in self.board_panes():
            board.set_swimlanes(mode)

    # -- import and export (ui/file_menu.py) -----------------------------------------------
    def start_import(self, kind: str, path: str | None = None) -> ImportFlow | None:
        return self.files.start_import(kind, path)

    def start_export(self, kind: str) -> ExportDialog:
        return self.files.start_export(kind)

    def _on_store_projects_changed(self) -> None:
        # A restored backup replaces a project: its board follows the key (the old id may
        # even be given to another project).
        ids = {p.key: p.id for p in self.store.projects()}
        gone = [d for d in self._boards if d.objectName().removeprefix(BOARD_PREFIX) not in ids]
        for dock in gone if not self.store.offline else []:
            self.close_board(dock)  # its project was archived (or is gone)
        for project in self.store.projects():
            if (named := self.docks.get(BOARD_PREFIX + project.key)) in self._boards:
                named.setWindowTitle(self._board_title(project))
        for dock in self._boards:
            board, key = dock.pane(), dock.objectName().removeprefix(BOARD_PREFIX)
            if (
                isinstance(board, BoardPane)
                and ids.get(key, board.project_id()) != board.project_id()
            ):
                board.set_project(ids[key])
        self._rebuild_view_menu()
        if not self._boards:
            projects = self.store.projects()
            if projects:
                self.open_board(projects[0].id)

    def close_board(self, dock: PaneDock) -> None:
        self.removeDockWidget(dock)
        self._boards.remove(dock)
        del self.docks[dock.objectName()]
        dock.deleteLater()

    def _on_store_roles_changed(self) -> None:
        # The database refused a write: re-read the role, lock what it no longer allows and
        # put every card back where the database has it.
        for board in self.board_panes():
            board.refresh()
            permissions.apply_board(board, self.store)
        self.detail_pane.reload()

    def _on_store_error_occurred(self, message: str) -> None:
        self.status.showMessage(message, 8000)
        self.notice.show_message(message)

    def _on_store_conflict_occurred(self, error: ConflictError) -> None:
        # After the write that failed has unwound (it may sit inside QUndoStack.push).
        QTimer.singleShot(0, lambda: self.resolve_conflict(error))

    def resolve_conflict(self, error: ConflictError) -> str | None:
        """Ask reload, overwrite or merge, then do it; returns the choice."""
        return conflict_flow.resolve(self, self.store, error, self.detail_pane.show_issue)

    def _on_theme_changed(self, _dark: bool) -> None:
        for dock in self.docks.values():
            dock.title_bar.refresh_icons()
        self.status.refresh_icons()
        if self.sync_ui is not None:
            self.sync_ui.refresh_style()
