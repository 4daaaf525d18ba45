"""The Backlog pane: a project's planned and active sprints above the backlog, planned by drag.

Issues dragged onto a sprint (from the backlog, another sprint, or a board) are planned into
it; dragged onto the backlog, they leave their sprint. New sprint, Start and Close go through
the sprint service, its plain message shown under the buttons when it refuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Change, Project
from tracker_gui.domain.sprints import Sprint, SprintState
from tracker_gui.ui import sprint_undo
from tracker_gui.ui.dialogs.sprint_dialogs import CloseSprintDialog, NewSprintDialog
from tracker_gui.ui.ops import OFFLINE_WRITE
from tracker_gui.ui.ops import sprints as ops
from tracker_gui.ui.panes.backlog_lists import (
    EMPTY_BACKLOG,
    SPRINT_ROWS,
    IdRole,
    IssueDropList,
    SprintSection,
    count_text,
)
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style

GONE = "those issues no longer exist"
NO_SPRINTS = "No sprint planned yet: press New sprint to plan the next one."
NO_SPRINTS_READ_ONLY = "No sprint planned yet: a project admin plans them here."
START_BLOCKED = "{name} is active: close it before starting another"
NO_TARGET = "No other sprint to move to: plan one with New sprint"
EXTRA_STYLE = """
QFrame#SprintSection {{
    background: {card_bg}; border: 1px solid {card_border}; border-radius: 8px;
}}
QFrame#SprintSection QLabel {{ background: transparent; }}
QFrame#SprintSection QLabel#SprintState, QFrame#SprintSection QLabel#SprintStateActive {{
    border-radius: 8px; padding: 1px 8px; font-size: 9pt;
}}
QFrame#SprintSection QLabel#SprintState {{ background: {chip_bg}; color: {chip_text}; }}
QFrame#SprintSection QLabel#SprintStateActive {{ background: {success_soft}; color: {success}; }}
QFrame#SprintSection QLabel#SprintOverdue {{ color: {danger}; font-weight: 600; }}
QListWidget#SprintList, QListWidget#BacklogList {{
    border: 1px solid {separator}; border-radius: 6px; background: {base_bg};
}}
QWidget#SprintsHolder {{ background: transparent; }}
"""
# Change rows that alter what the pane lists (a sprint's issues, a sprint's state, an issue's
# status, title or existence); other rows of the project (a comment, say) leave it as it is.
WATCHED = frozenset(
    {"sprint", "sprint_state", "status", "rank", "title", "type", "created", "deleted", "archived"}
)
WATCHED_PREFIX = ("demo", "import")
SPRINT_SHARE = 62  # percent of the pane's height the sprints start with


class BacklogPane(QWidget):
    """`set_project(key)` picks the project; the pane re-reads when its changes arrive."""

    issueActivated = Signal(int)

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("BacklogPane")
        style.install_style(self, EXTRA_STYLE)
        self._store = store
        self._today = today
        self._sprints: list[Sprint] = []
        self._names: list[str] = []  # every sprint's, closed ones too, by first day
        self.sections: list[SprintSection] = []
        self._stale = True
        self._sized = False
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self._on_reload_timer_timeout)
        self._build()
        store.changesArrived.connect(self._on_store_changes_arrived)
        store.projectsChanged.connect(self._on_store_projects_changed)
        store.rolesChanged.connect(self._on_store_roles_changed)
        self._fill_projects()

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.project_combo = QComboBox()
        self.project_combo.setObjectName("BacklogProject")
        self.project_combo.setAccessibleName("Project")
        self.project_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.project_combo.currentIndexChanged.connect(self._on_project_combo_changed)
        self.new_button = QPushButton(ui.icon("add"), "New sprint…")
        self.new_button.setObjectName("NewSprintButton")
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.error_label = style.error_label()
        self.error_label.setAccessibleName("Backlog error")
        self.no_sprints = style.muted(QLabel(NO_SPRINTS))
        self.no_sprints.setObjectName("EmptyHint")
        self.no_sprints.setWordWrap(True)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.project_combo)
        bar.addStretch(1)
        bar.addWidget(self.new_button)

        self._holder = QWidget()
        self._holder.setObjectName("SprintsHolder")
        self._sprint_column = QVBoxLayout(self._holder)
        self._sprint_column.setContentsMargins(0, 0, 4, 0)
        self._sprint_column.setSpacing(10)
        self._sprint_column.addWidget(self.no_sprints)
        self._sprint_column.addStretch(1)
        self.sprint_scroll = QScrollArea()
        self.sprint_scroll.setObjectName("SprintScroll")
        self.sprint_scroll.setWidgetResizable(True)
        self.sprint_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.sprint_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sprint_scroll.setWidget(self._holder)
        self.sprint_scroll.viewport().installEventFilter(self)  # a new height: fit the lists

        self.backlog_title = ui.section_title("Backlog")
        self.backlog_count = style.muted(QLabel())
        self.backlog_count.setObjectName("BacklogCount")
        self.backlog = IssueDropList(None, EMPTY_BACKLOG)
        self._wire(self.backlog)
        lower = QWidget()
        lower_column = QVBoxLayout(lower)
        lower_column.setContentsMargins(0, 8, 0, 0)
        lower_column.setSpacing(6)
        head = QHBoxLayout()
        head.addWidget(self.backlog_title)
        head.addWidget(self.backlog_count)
        head.addStretch(1)
        lower_column.addLayout(head)
        lower_column.addWidget(self.backlog, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sprint_scroll)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 10, 12, 12)
        column.setSpacing(8)
        column.addLayout(bar)
        column.addWidget(self.error_label)
        column.addWidget(self.splitter, 1)

    def _wire(self, target: IssueDropList) -> None:
        target.issuesDropped.connect(self._on_list_issues_dropped)
        target.issueActivated.connect(self.issueActivated)
        # The keyboard's and the mouse's way without a drag: the menu moves the selection.
        target.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        target.customContextMenuRequested.connect(partial(self._on_list_menu_requested, target))
        target.menuRequested.connect(partial(self._on_list_key_menu_requested, target))

    # -- public --------------------------------------------------------------------------
    def project(self) -> Project | None:
        key = self.project_combo.currentData()
        return next((p for p in self._store.projects() if p.key == key), None)

    def set_project(self, key: str) -> None:
        index = self.project_combo.findData(key)
        if index >= 0 and index != self.project_combo.currentIndex():
            self.project_combo.setCurrentIndex(index)

    def sprints(self) -> list[Sprint]:
        """The planned and active sprints shown, in order."""
        return list(self._sprints)

    def section(self, name: str) -> SprintSection:
        return next(s for s in self.sections if s.sprint.name == name)

    def reload(self) -> None:
        """Read the sprints and both kinds of lists again (now, visible or not)."""
        self._reload_timer.stop()
        if self._store.offline:  # what is shown stays; re-read on the next change or show
            self._stale = True
            return
        project = self.project()
        found = ops.sprints(self._store, project.key) if project is not None else None
        if found is not None and found.value is None:
            style.show_error(self.error_label, found.message)  # unreadable: what is shown stays
            return
        self._stale = False
        for section in self.sections:
            self._sprint_column.removeWidget(section)
            section.deleteLater()
        self.sections = []
        self._sprints = []
        self._names = [s.name for s in found.value] if found is not None and found.value else []
        if project is None or found is None or found.value is None:
            self.backlog.project_id = 0
            self.backlog.set_issues([], set())
            self.backlog_count.setText("")
            self.new_button.setEnabled(False)
            return
        done = {s.id for s in self._store.statuses(project.id) if s.category is StatusCategory.DONE}
        shown = [s for s in found.value if s.state is not SprintState.CLOSED]
        # The active sprint first, then the planned ones by their first day.
        shown.sort(key=lambda s: (s.state is not SprintState.ACTIVE, s.start, s.name.casefold()))
        self._sprints = shown
        writable = self._store.can_write(project.id)
        admin = self._store.can_admin(project.id)
        running = next((s for s in shown if s.state is SprintState.ACTIVE), None)
        for n, sprint in enumerate(shown):
            section = SprintSection(sprint, today=self._today())
            section.list.project_id = project.id
            planned = ops.issues_in(self._store, project.id, sprint.name)
            section.list.set_issues(planned, done)
            if sprint.state is SprintState.ACTIVE:  # its progress; a planned one has none yet
                section.show_done(sum(i.status_id in done for i in planned))
            section.list.fit_rows(SPRINT_ROWS)
            section.list.set_writable(writable)
            section.set_admin(admin)
            if running is not None and sprint is not running:  # one active sprint at a time
                section.button.setEnabled(False)
                section.button.setToolTip(START_BLOCKED.format(name=running.name))
            section.startRequested.connect(self._on_section_start_requested)
            section.closeRequested.connect(self._on_section_close_requested)
            self._wire(section.list)
            self._sprint_column.insertWidget(n, section)
            self.sections.append(section)
        self.no_sprints.setVisible(not shown)
        self.no_sprints.setText(NO_SPRINTS if admin else NO_SPRINTS_READ_ONLY)
        self._fit_sections()
        self.backlog.project_id = project.id
        issues, total = ops.backlog(self._store, project.id)
        self.backlog.set_issues(issues, done)
        self.backlog.set_writable(writable)
        more = f" · the first {len(issues):,} shown" if total > len(issues) else ""
        self.backlog_count.setText(count_text(total) + more)
        self.new_button.setEnabled(admin)
        self.new_button.setToolTip("" if admin else "Only a project admin plans sprints")

    def _fit_sections(self) -> None:
        """Share the sprints' room: each list shows as many rows as lets every section be
        seen whole (two at least, SPRINT_ROWS at most); a long list scrolls in itself."""
        if not self.sections:
            return
        margins = self._sprint_column.contentsMargins()
        room = self.sprint_scroll.viewport().height() - margins.top() - margins.bottom()
        room -= self._sprint_column.spacing() * len(self.sections)
        for section in self.sections:
            section.ensurePolished()  # the style sheet's paddings count in its size hint
        room -= sum(s.sizeHint().height() - s.list.minimumHeight() for s in self.sections)
        first = self.sections[0].list
        rows = SPRINT_ROWS
        while rows > 2 and first.height_for(rows) * len(self.sections) > room:
            rows -= 1
        for section in self.sections:
            section.list.fit_rows(rows)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.sprint_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_sections()
        return super().eventFilter(watched, event)

    # -- projects ------------------------------------------------------------------------
    def _fill_projects(self) -> None:
        current = self.project_combo.currentData()
        self.project_combo.blockSignals(True)
        self.project_combo.clear()
        for project in self._store.projects():
            self.project_combo.addItem(f"{project.key} · {project.name}", project.key)
        index = self.project_combo.findData(current)
        self.project_combo.setCurrentIndex(max(index, 0))
        self.project_combo.blockSignals(False)
        self._changed()

    def _changed(self) -> None:
        """Something the pane shows changed: re-read now if seen, else when next shown."""
        self._stale = True
        if self.isVisible():
            self._reload_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized and self.splitter.height() > 0:
            # The sprints get the larger share (their own size hint is a scroll area's).
            self._sized = True
            height = self.splitter.height()
            self.splitter.setSizes(
                [height * SPRINT_SHARE // 100, height * (100 - SPRINT_SHARE) // 100]
            )
        if self._stale:
            self._reload_timer.start()

    # -- writes --------------------------------------------------------------------------
    def _done(self, message: str) -> bool:
        style.show_error(self.error_label, message)
        return not message

    def create_sprint(self, name: str, start: dt.date, end: dt.date, goal: str) -> str:
        """The New sprint dialog's Create: "" when made, else the service's message."""
        project = self.project()
        if project is None:
            return "choose a project first"
        made = ops.add(self._store, project.key, name, start, end, goal)
        if made.value is None:
            return made.message or "the sprint was not created"
        style.show_error(self.error_label, "")
        self.reload()  # at once; the add's Change row reaches the other windows
        return ""

    def new_sprint_dialog(self) -> NewSprintDialog:
        """The dialog New sprint opens, starting the day after the last sprint planned."""
        every = self._sprints
        last = max((s.end for s in every), default=None)
        first = max(self._today(), last + dt.timedelta(days=1)) if last else self._today()
        return NewSprintDialog(self.create_sprint, first, self._names, self.window())

    def close_dialog(self, name: str) -> CloseSprintDialog:
        """The dialog Close sprint opens: how many are unfinished, and where they go."""
        project = self.project()
        section = self.section(name)
        unfinished = ops.unfinished(self._store, project.id, name) if project else 0
        total = section.list.count()
        planned = [s.name for s in self._sprints if s.state is SprintState.PLANNED]
        return CloseSprintDialog(name, unfinished, total, planned, self.window())

    def start_sprint(self, name: str) -> bool:
        project = self.project()
        if project is None:
            return False
        return self._done(ops.start(self._store, project.key, name).message)

    def close_sprint(self, name: str, carry_to: str | None) -> bool:
        project = self.project()
        if project is None:
            return False
        return self._done(ops.close(self._store, project.key, name, carry_to).message)

    def plan(self, issue_ids: list[int], target: str | None) -> bool:
        """Put the issues in sprint `target` (None: the backlog), as one undoable step."""
        issues = self._store.issues_by_ids(issue_ids)
        if not issues:  # offline (nothing read), or deleted meanwhile
            return self._done(OFFLINE_WRITE if self._store.offline else GONE)
        return self._done(sprint_undo.plan(self._store, issues, target).message)

    def move_menu(self, source: IssueDropList) -> QMenu:
        """ "Move to" the other sprints and the backlog, for the rows selected in `source`."""
        menu = QMenu(self)
        ids = [int(item.data(IdRole)) for item in source.selectedItems()]
        targets: list[str | None] = [s.name for s in self._sprints if s.name != source.target]
        if source.target is not None:
            targets.append(None)
        if not targets:  # said, rather than a menu that never opens
            menu.addAction(NO_TARGET).setEnabled(False)
        for target in targets:
            text = f"Move to {target}" if target is not None else "Move to the backlog"
            action = menu.addAction(text)
            action.setEnabled(bool(ids) and source.acceptDrops())
            action.triggered.connect(lambda _on=False, to=target: self.plan(ids, to))
        return menu

    # -- slots ---------------------------------------------------------------------------
    def _on_reload_timer_timeout(self) -> None:
        self.reload()

    def _on_project_combo_changed(self, _index: int) -> None:
        style.show_error(self.error_label, "")
        self._changed()

    def _on_new_button_clicked(self) -> None:
        dialog = self.new_sprint_dialog()
        dialog.exec()
        dialog.deleteLater()

    def _on_section_start_requested(self, name: str) -> None:
        self.start_sprint(name)

    def _on_section_close_requested(self, name: str) -> None:
        dialog = self.close_dialog(name)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.close_sprint(name, dialog.carry_to())
        dialog.deleteLater()

    def _on_list_menu_requested(self, source: IssueDropList, at: QPoint) -> None:
        menu = self.move_menu(source)
        menu.exec(source.viewport().mapToGlobal(at))
        menu.deleteLater()

    def _on_list_key_menu_requested(self, source: IssueDropList) -> None:
        self._on_list_menu_requested(source, source.current_row_point())

    def _on_list_issues_dropped(self, issue_ids: list[int], target: str | None) -> None:
        self.plan(issue_ids, target)

    def _on_store_changes_arrived(self, changes: list[Change]) -> None:
        project = self.project()
        if project is None:
            return
        if any(
            c.project_id == project.id
            and (c.field in WATCHED or c.field.startswith(WATCHED_PREFIX))
            for c in changes
        ):
            self._changed()

    def _on_store_projects_changed(self) -> None:
        self._fill_projects()

    def _on_store_roles_changed(self) -> None:
        self._changed()
