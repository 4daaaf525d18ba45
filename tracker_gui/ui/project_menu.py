"""File > New Project and the Project menu (rename, archive, restore) for the project on screen."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenu,
    QStatusBar,
    QWidget,
)

from tracker_gui.domain.models import Project
from tracker_gui.ui import icons
from tracker_gui.ui.dialogs import message
from tracker_gui.ui.dialogs.new_project import NewProjectDialog
from tracker_gui.ui.docks import PaneDock
from tracker_gui.ui.ops import projects as project_ops
from tracker_gui.ui.store import Store


class ProjectHost(Protocol):
    """What the project actions need of the window: its store, boards and status bar."""

    store: Store

    @property
    def status(self) -> QStatusBar: ...

    def board_docks(self) -> list[PaneDock]: ...

    def open_board(self, project_id: int, raise_dock: bool = True) -> PaneDock | None: ...


NEW_PROJECT_ACTION = "newProjectAction"  # its objectName (tests and accessibility find it)


def _shown(dock: QDockWidget) -> bool:
    """On screen: a dock tabbed behind another stays `visible` but has no visible region."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def _menu(window: QMainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == title:
            return menu
    return None


class ProjectMenu(QObject):
    """Owns the project actions and knows which project the user is looking at."""

    def __init__(self, window: QMainWindow, host: ProjectHost) -> None:
        super().__init__(window)
        self.window, self.host = window, host
        self._last_board: QDockWidget | None = None
        self.new_project = QAction(icons.icon("add"), "New &Project…", window)
        self.new_project.setObjectName(NEW_PROJECT_ACTION)
        self.new_project.setStatusTip("Create a project with its own board and workflow")
        self.new_project.setToolTip("Create a project with its own board and workflow")
        self.rename = QAction(icons.icon("edit"), "&Rename Project…", window)
        self.rename.setObjectName("renameProjectAction")
        self.archive = QAction("&Archive Project…", window)
        self.archive.setObjectName("archiveProjectAction")
        self.restore = QAction("Res&tore Archived Project…", window)
        self.restore.setObjectName("restoreProjectAction")
        self.new_project.triggered.connect(self._on_new_project_triggered)
        self.rename.triggered.connect(self._on_rename_triggered)
        self.archive.triggered.connect(self._on_archive_triggered)
        self.restore.triggered.connect(self._on_restore_triggered)

        file_menu = _menu(window, "File")
        if file_menu is not None:
            after_new_issue = file_menu.actions()[1] if len(file_menu.actions()) > 1 else None
            file_menu.insertAction(after_new_issue, self.new_project)  # type: ignore[arg-type]
        project_menu = _menu(window, "Project")
        if project_menu is not None:
            project_menu.aboutToShow.connect(self._on_project_menu_about_to_show)
            first = project_menu.actions()[0] if project_menu.actions() else None
            project_menu.insertAction(first, self.new_project)  # type: ignore[arg-type]
            project_menu.insertSeparator(first)  # type: ignore[arg-type]
            project_menu.addSeparator()
            project_menu.addActions([self.rename, self.archive, self.restore])
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)
        window.tabifiedDockWidgetActivated.connect(self._on_window_tab_activated)
        self._sync()

    # -- which project is on screen ----------------------------------------------------------
    def project_on_screen(self) -> int | None:
        """The board the user looks at: the one holding focus, else the last one raised or
        clicked that is still shown, else any shown board, else the first project."""
        boards = self.host.board_docks()
        focus = QApplication.focusWidget()
        for dock in boards:
            if focus is not None and dock.isAncestorOf(focus):
                return self._project_of(dock)
        if self._last_board in boards and _shown(self._last_board):
            return self._project_of(self._last_board)
        shown = [d for d in boards if _shown(d)]
        if shown:
            return self._project_of(shown[0])
        if self._last_board in boards:
            return self._project_of(self._last_board)
        if boards:
            return self._project_of(boards[0])
        projects = self.host.store.projects()
        return projects[0].id if projects else None

    def project(self) -> Project | None:
        pid = self.project_on_screen()
        return next((p for p in self.host.store.projects() if p.id == pid), None)

    @staticmethod
    def _project_of(dock: QDockWidget) -> int | None:
        pane = dock.widget()
        project_id = getattr(pane, "project_id", None)
        return project_id() if callable(project_id) else None

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None:
            return
        for dock in self.host.board_docks():
            if dock.isAncestorOf(new):
                self._last_board = dock
                return

    def _on_window_tab_activated(self, dock: QDockWidget) -> None:
        if dock in self.host.board_docks():
            self._last_board = dock

    def note_board_raised(self, dock: QDockWidget) -> None:
        self._last_board = dock

    def _sync(self) -> None:
        project = self.project()
        # On a shared database only the project's admin may (the database refuses the rest).
        allowed = project is not None and self.host.store.can_admin(project.id)
        for action in (self.rename, self.archive):
            action.setEnabled(allowed)
        self.rename.setText(f"&Rename {project.key}…" if project else "&Rename Project…")
        self.archive.setText(f"&Archive {project.key}…" if project else "&Archive Project…")

    def _on_project_menu_about_to_show(self) -> None:
        self._sync()

    # -- actions ----------------------------------------------------------------------------
    def _on_new_project_triggered(self) -> None:
        self.create_project()

    def create_project(self) -> Project | None:
        """Ask for key, name and workflow; the new project's board opens on success."""
        dialog = NewProjectDialog(self.host.store, self.window)
        if not dialog.exec() or dialog.created is None:
            return None
        created = dialog.created
        dock = self.host.open_board(created.id)
        if dock is not None:
            self._last_board = dock
        self.host.status.showMessage(f"Created project {created.key} ({created.name})", 8000)
        return created

    def offer_new_project(self) -> None:
        """Where a project is needed but there is none yet (an empty database)."""
        if message.confirm(
            self.window,
            "No project yet",
            "This database has no project yet.",
            "Create one to get a board, its statuses and settings.",
            yes="New Project…",
        ):
            self.create_project()

    def _on_rename_triggered(self) -> None:
        project = self.project()
        if project is None:
            self.offer_new_project()
            return
        name = message.ask_text(
            self.window,
            f"Rename {project.key}",
            f"A new name for {project.key}",
            project.name,
            ok="Rename",
            detail=f"The key stays {project.key}: it is part of every issue's key.",
        )
        if name is None or name == project.name:
            return
        outcome = project_ops.rename_project(self.host.store, project.key, name)
        if outcome.value is not None:
            self.host.status.showMessage(f"Renamed {project.key} to {name}", 8000)

    def _on_archive_triggered(self) -> None:
        project = self.project()
        if project is None:
            self.offer_new_project()
            return
        if not message.confirm(
            self.window,
            f"Archive {project.key}",
            f"Archive the project {project.key} ({project.name})?",
            "Its board closes and it leaves the lists; its issues are kept. "
            "Bring it back with Project > Restore Archived Project.",
            yes="Archive project",
            kind="warning",
        ):
            return
        outcome = project_ops.archive_project(self.host.store, project.key)
        if outcome.value is not None:
            self.host.status.showMessage(f"Archived {project.key}", 8000)

    def _on_restore_triggered(self) -> None:
        archived = project_ops.archived_projects(self.host.store)
        if not archived:
            message.inform(self.window, "Restore a project", "No project is archived.")
            return
        names = [f"{p.key} · {p.name}" for p in archived]
        index = message.ask_item(
            self.window, "Restore a project", "Bring back the project:", names, ok="Restore"
        )
        if index is None:
            return
        outcome = project_ops.archive_project(self.host.store, archived[index].key, False)
        if outcome.value is not None:
            self.host.open_board(outcome.value.id)


def install(window: QMainWindow, host: ProjectHost) -> ProjectMenu:
    return ProjectMenu(window, host)
