"""The main window's actions, menus and toolbar, built in one place with their shortcuts."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QToolButton, QWidget

from tracker_gui.ui import icons
from tracker_gui.ui.store import Store

SWIMLANES = (("none", "No Swimlanes"), ("assignee", "By Assignee"), ("priority", "By Priority"))
IMPORTS = (
    ("trello", "&Trello Board (JSON)…", "Import a Trello board export"),
    ("jira", "&Jira (CSV)…", "Import a Jira issue search exported as CSV"),
    ("csv", "&CSV File…", "Import issues from any CSV file, mapping its columns"),
    ("json", "&Backup (JSON)…", "Restore a Tracker backup into this database"),
)
EXPORTS = (
    ("csv", "Issues as &CSV…", "Export the issues of the current filter as CSV"),
    ("json", "Everything as &JSON…", "Export the whole database as a JSON backup"),
)


@dataclass
class Actions:
    new_issue: QAction
    open_database: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    find: QAction
    quick_switch: QAction
    preferences: QAction
    new_board: QAction
    reset_layout: QAction
    show_board: QAction
    show_list: QAction
    project_settings: QAction
    about: QAction
    shortcuts: QAction  # Help > Keyboard Shortcuts, also on "?"
    swimlanes: QActionGroup
    view_menu: QMenu
    panes_anchor: QAction
    import_menu: QMenu  # actions carry the import kind as data: trello, jira, csv, json
    export_menu: QMenu  # actions carry the export kind as data: csv, json


def _action(
    window: QMainWindow,
    text: str,
    icon_name: str | None = None,
    shortcut: QKeySequence.StandardKey | str | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    if icon_name:
        action.setIcon(icons.icon(icon_name))
    if isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(shortcut)
    elif shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
    return action


def build(window: QMainWindow, store: Store) -> Actions:
    """Create every action, the menu bar and the toolbar; the window connects the triggers."""
    std = QKeySequence.StandardKey
    new_issue = _action(window, "&New Issue…", "add", std.New, "Report a new issue")
    new_issue.setIconText("New issue")
    open_database = _action(window, "&Open Database…", "open", std.Open, "Open another database")
    quit_ = _action(window, "&Quit", "quit", std.Quit)
    quit_.setMenuRole(QAction.MenuRole.QuitRole)
    undo = store.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcuts(std.Undo)
    undo.setIcon(icons.icon("undo"))
    redo = store.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts(std.Redo)
    redo.setIcon(icons.icon("redo"))
    find = _action(window, "&Find…", "search", std.Find, "Search and filter issues")
    # Ctrl+F stays the filter box (find within the board); Ctrl+K jumps to any issue.
    quick_switch = _action(window, "&Go to Issue…", "search", "Ctrl+K", "Jump to an issue")
    preferences = _action(window, "&Preferences…", "settings", std.Preferences, "Preferences")
    preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
    new_board = _action(window, "New &Board Pane…", "board", None, "Open a board for a project")
    reset_layout = _action(window, "&Reset Layout", "layout-reset", None, "Put every pane back")
    show_board = _action(window, "Board", "board", "Ctrl+1", "Show the board")
    show_list = _action(window, "List", "list", "Ctrl+2", "Show the issue list")
    views = QActionGroup(window)
    for action in (show_board, show_list):
        action.setCheckable(True)
        action.setIconVisibleInMenu(False)  # the menu shows the check mark, the toolbar the icon
        views.addAction(action)
    show_board.setChecked(True)
    project_settings = _action(
        window, "Project &Settings…", "project", None, "Statuses, workflow and labels"
    )
    shortcuts = _action(window, "&Keyboard Shortcuts…", None, "?", "Every keyboard shortcut")
    shortcuts.setObjectName("shortcutsAction")
    about = _action(window, "&About Tracker", "info")
    about.setMenuRole(QAction.MenuRole.AboutRole)

    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([new_issue, open_database])
    file_menu.addSeparator()
    import_menu = file_menu.addMenu("&Import")
    import_menu.setObjectName("import-menu")
    export_menu = file_menu.addMenu("&Export")
    export_menu.setObjectName("export-menu")
    for menu, entries in ((import_menu, IMPORTS), (export_menu, EXPORTS)):
        for kind, text, tip in entries:
            action = _action(window, text, None, None, tip)
            action.setData(kind)
            menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(quit_)
    edit_menu = bar.addMenu("&Edit")
    edit_menu.addActions([undo, redo])
    edit_menu.addSeparator()
    edit_menu.addAction(find)
    edit_menu.addAction(quick_switch)
    edit_menu.addSeparator()
    edit_menu.addAction(preferences)
    view_menu = bar.addMenu("&View")
    view_menu.addActions([show_board, show_list])
    view_menu.addSeparator()
    panes_anchor = view_menu.addSeparator()
    view_menu.addAction(new_board)
    swim_menu = view_menu.addMenu(icons.icon("swimlanes"), "&Swimlanes")
    swimlanes = QActionGroup(window)
    for mode, text in SWIMLANES:
        action = swim_menu.addAction(text)
        action.setCheckable(True)
        action.setData(mode)
        swimlanes.addAction(action)
    view_menu.addSeparator()
    view_menu.addAction(reset_layout)
    project_menu = bar.addMenu("&Project")
    project_menu.addAction(project_settings)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(shortcuts)
    help_menu.addSeparator()
    help_menu.addAction(about)

    toolbar = QToolBar("Toolbar", window)
    toolbar.setObjectName("main-toolbar")
    toolbar.setMovable(False)
    toolbar.setFloatable(False)
    toolbar.setIconSize(QSize(18, 18))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    toolbar.toggleViewAction().setVisible(False)
    primary = QToolButton(toolbar)
    primary.setObjectName("PrimaryAction")
    primary.setText("New issue")
    primary.setIcon(icons.icon("add", "accent_text"))
    primary.setToolTip(new_issue.toolTip())
    primary.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    primary.setCursor(Qt.CursorShape.PointingHandCursor)
    primary.clicked.connect(new_issue.trigger)
    new_issue.enabledChanged.connect(primary.setEnabled)
    toolbar.addWidget(primary)
    toolbar.addSeparator()
    toolbar.addActions([show_board, show_list])
    toolbar.addSeparator()
    toolbar.addActions([find, undo, redo])
    spacer = QWidget(toolbar)
    spacer.setSizePolicy(spacer.sizePolicy().Policy.Expanding, spacer.sizePolicy().Policy.Preferred)
    toolbar.addWidget(spacer)
    toolbar.addAction(preferences)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    return Actions(
        new_issue=new_issue,
        open_database=open_database,
        quit=quit_,
        undo=undo,
        redo=redo,
        find=find,
        quick_switch=quick_switch,
        preferences=preferences,
        new_board=new_board,
        reset_layout=reset_layout,
        show_board=show_board,
        show_list=show_list,
        project_settings=project_settings,
        about=about,
        shortcuts=shortcuts,
        swimlanes=swimlanes,
        view_menu=view_menu,
        panes_anchor=panes_anchor,
        import_menu=import_menu,
        export_menu=export_menu,
    )
