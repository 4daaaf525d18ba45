"""The detail pane: one issue with every field editable in place, its thread and its history."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.models import Change, Issue, IssueDetail
from tracker_gui.errors import ConflictError
from tracker_gui.ui import permissions, sprint_undo, theme
from tracker_gui.ui.dialogs import conflict as dialog
from tracker_gui.ui.ops import OpResult, undoable
from tracker_gui.ui.ops import sprints as sprint_ops
from tracker_gui.ui.panes import detail_saving as saving
from tracker_gui.ui.panes.detail_activity import CommentsSection, HistorySection
from tracker_gui.ui.panes.detail_fields import FieldGrid
from tracker_gui.ui.panes.detail_saving import Saved
from tracker_gui.ui.panes.detail_sections import (
    DescriptionSection,
    LinksSection,
    SubtasksSection,
    WatchersSection,
)
from tracker_gui.ui.panes.detail_time import TimeSection
from tracker_gui.ui.store import IssueUpdate, Store
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import provisional, style

CONFLICT_TEXT = "Not saved: someone else changed this issue meanwhile. It now shows their version."
LATER_TEXT = "Not saved yet: {who} changed the {field} meanwhile. Press Enter to compare."
EXTRA_STYLE = """
QTextEdit#TitleEdit {{
    border: 1px solid transparent; border-radius: 6px; padding: 0 2px;
    background: transparent; color: {text};
}}
QTextEdit#TitleEdit:hover {{ border-color: {card_border}; }}
QTextEdit#TitleEdit:focus {{ border-color: {accent}; background: {base_bg}; }}
QWidget#DetailContent {{ background: {window_bg}; }}
QFrame#Card QLabel {{ background: transparent; }}
"""


class FittingScroll(QScrollArea):
    """Scrolls down, never sideways: as narrow as its content allows, no narrower (no clipping)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        width = content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), width), hint.height())


class DetailPane(QWidget):
    """Shows `show_issue(id)`; re-reads it when the store reports a change that touches it."""

    issueActivated = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DetailPane")
        self._store = store
        self._issue_id: int | None = None
        self._detail: IssueDetail | None = None
        self._related: set[int] = set()
        self._title_base = ""  # the title as last shown from the store: the edit starts there
        self._saving = False  # a save (maybe waiting on its conflict dialog) is under way
        self._reload_wanted = False
        style.install_style(self, EXTRA_STYLE)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self._on_reload_timer_timeout)

        self.type_label = QLabel()
        self.key_label = style.muted(QLabel())
        self.key_label.setObjectName("KeyLabel")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title_edit = ui.HeadingEdit()
        self.title_edit.setObjectName("TitleEdit")
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setFont(ui.scaled_font(self.title_edit, 1.45, QFont.Weight.DemiBold))
        self.title_edit.editingFinished.connect(self._on_title_edit_finished)
        self.error_label = style.error_label()
        self.fields = FieldGrid(self.save_field)
        self.description = DescriptionSection(self.save_field)
        self.subtasks = SubtasksSection()
        self.links = LinksSection(store)
        self.watchers = WatchersSection(store)
        self.time = TimeSection(store)
        self.comments = CommentsSection(store, self._ask)
        self.history = HistorySection(store)
        for source in (self.fields, self.description, self.subtasks, self.links):
            source.issueClicked.connect(self.issueActivated)

        self.empty_title = QLabel("No issue selected")
        self.empty_hint = QLabel()
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_empty())
        self.stack.addWidget(self._build_content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._show_empty("No issue selected", "Pick a card on the board or a row in the list.")

        store.issuesChanged.connect(self._on_store_issues_changed)
        store.changesArrived.connect(self._on_store_changes_arrived)
        store.workflowChanged.connect(self._on_store_workflow_changed)
        store.conflictOccurred.connect(self._on_store_conflict_occurred)
        theme.notifier.changed.connect(self._on_theme_changed)

    # -- building ----------------------------------------------------------------------------
    def _build_empty(self) -> QWidget:
        page = QWidget()
        glyph = QLabel()
        glyph.setPixmap(ui.icon("detail").pixmap(40, 40, ui.icon("detail").Mode.Disabled))
        self.empty_title.setFont(ui.scaled_font(self.empty_title, 1.15, QFont.Weight.DemiBold))
        self.empty_hint.setObjectName("EmptyHint")
        self.empty_hint.setWordWrap(True)
        column = QVBoxLayout(page)
        column.setContentsMargins(24, 24, 24, 24)
        column.setSpacing(8)
        column.addStretch(1)
        for widget in (glyph, self.empty_title, self.empty_hint):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(widget)
        column.addStretch(2)
        return page

    def _build_content(self) -> QWidget:
        content = QWidget()
        content.setObjectName("DetailContent")
        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(self.type_label)
        head.addWidget(self.key_label)
        head.addStretch(1)
        card = QFrame()
        card.setObjectName("Card")
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(0, 0, 0, 0)
        card_layout.addWidget(self.fields)
        column = QVBoxLayout(content)
        column.setContentsMargins(16, 14, 16, 20)
        column.setSpacing(6)
        column.addLayout(head)
        column.addWidget(self.title_edit)
        column.addWidget(self.error_label)
        column.addSpacing(6)
        column.addWidget(card)
        for section in (
            self.description,
            self.subtasks,
            self.links,
            self.watchers,
            self.time,
            self.comments,
            self.history,
        ):
            column.addSpacing(16)
            column.addWidget(section)
        column.addStretch(1)
        scroll = FittingScroll()
        scroll.setObjectName("DetailScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        self.scroll_area = scroll
        return scroll

    # -- public ------------------------------------------------------------------------------
    def issue_id(self) -> int | None:
        return self._issue_id

    def set_writable(self, writable: bool) -> None:
        """A viewer's detail pane: everything readable, nothing editable."""
        self.title_edit.setReadOnly(not writable)
        self.fields.setEnabled(writable)
        self.description.edit_button.setVisible(writable and not self.description.editing())
        for section in (self.links, self.watchers):
            section.setEnabled(writable)
        self.comments.set_writable(writable)
        self.time.set_writable(writable)

    def detail(self) -> IssueDetail | None:
        return self._detail

    def show_issue(self, issue_id: int | None) -> None:
        """Show one issue (None: the empty state); reads it once."""
        self._reload_timer.stop()
        changed = issue_id != self._issue_id
        self._issue_id = issue_id
        if issue_id is None:
            self._detail = None
            self._show_empty("No issue selected", "Pick a card on the board or a row in the list.")
            return
        if changed:
            self.description.reset()
            style.show_error(self.error_label, "")
            self.scroll_area.verticalScrollBar().setValue(0)
        self._load(reset=changed)

    def reload(self) -> None:
        if self._issue_id is not None:
            self._load(reset=False)

    def save_field(self, field: str, base: Any, mine: Any, *, ask: bool = True) -> Saved:
        """Save `mine` for one field whose editor started from `base`.

        If the stored value is still `base`, it is saved on the current version (someone
        changing another field meanwhile is no conflict). If it changed, the conflict dialog
        shows mine and theirs with who and when; the user keeps one, or edits mine. Without
        `ask` (nobody at the window) a conflict writes nothing and says so inline.
        """
        if self._detail is None or self._saving:
            return Saved(saving.FAILED)
        self._saving = True
        try:
            return self._save_field(self._detail.issue.id, field, base, mine, ask)
        finally:
            self._saving = False
            if self._reload_wanted:
                self._reload_wanted = False
                self._reload_timer.start()

    def _save_field(self, issue_id: int, field: str, base: Any, mine: Any, ask: bool) -> Saved:
        while True:  # again when theirs changed once more while the dialog was open
            state = self._store.field_state(issue_id, field)
            if state is None:
                if self._store.offline:  # the write path says "not saved: offline"
                    shown = self._detail.issue if self._detail is not None else None
                    if shown is not None:
                        self._write(functools.partial(self._store_write, shown, field, mine))
                else:
                    self._reload_timer.start()  # gone: the reload says so
                return Saved(saving.FAILED)
            if saving.same(field, state.value, mine):
                self._adopt(state.issue)
                return Saved(saving.SAVED, state.value)
            if saving.same(field, state.value, base):
                if self._write(functools.partial(self._store_write, state.issue, field, mine)):
                    return Saved(saving.SAVED, mine)
                return Saved(saving.FAILED)
            if not ask:
                who = state.changed_by or "someone else"
                style.show_error(self.error_label, LATER_TEXT.format(who=who, field=field))
                return Saved(saving.LATER)
            found = dialog.FieldConflict(
                state.issue.key, field, mine, state.value, state.changed_by, state.changed_at
            )
            choice, value = self._ask(found)
            style.show_error(self.error_label, "")
            if choice == dialog.KEEP_THEIRS:
                self._reload_timer.start()
                return Saved(saving.THEIRS, state.value)
            if choice == dialog.EDIT_AGAIN:
                self._reload_timer.start()
                return Saved(saving.PICK, state.value)
            if choice not in (dialog.KEEP_MINE, dialog.EDITED):
                return Saved(saving.LATER)
            # Decided with theirs in view: theirs is now the value this edit starts from.
            base, mine = state.value, value

    def _store_write(self, current: Issue, field: str, mine: Any) -> OpResult[Issue]:
        if field == "status":
            return undoable.move(self._store, current, int(mine))
        if field == "sprint":
            return sprint_undo.plan_one(self._store, current, mine)
        return undoable.edit(self._store, current, {field: mine})

    def _ask(self, found: dialog.FieldConflict) -> tuple[str, Any]:
        project = self._detail.issue.project_id if self._detail is not None else None
        return saving.ask(self, self._store, found, project)

    def _adopt(self, issue: Issue) -> None:
        """Keep the newest version read: a later write goes on it."""
        if self._detail is not None and issue.version >= self._detail.issue.version:
            self._detail = dataclasses.replace(self._detail, issue=issue)

    # -- loading -----------------------------------------------------------------------------
    def _show_empty(self, title: str, hint: str) -> None:
        self.empty_title.setText(title)
        self.empty_hint.setText(hint)
        self.stack.setCurrentIndex(0)

    def _load(self, reset: bool) -> None:
        assert self._issue_id is not None
        detail = self._store.detail(self._issue_id)
        if detail is None and self._store.offline:
            return  # unreadable for now, not gone: keep what is shown (and any edit in progress)
        if detail is None:
            gone = self._detail.issue.key if self._detail else "This issue"
            self._detail = None
            self._show_empty(f"{gone} is gone", "It was deleted, or you can no longer see it.")
            return
        self._detail = detail
        issue = detail.issue
        flow = self._store.workflow(issue.project_id)
        users = self._store.users()
        labels = [label.name for label in self._store.labels(issue.project_id)]
        self.type_label.setPixmap(ui.type_icon(issue.type).pixmap(18, 18))
        self.type_label.setToolTip(issue.type.label.capitalize())
        self.key_label.setText(issue.key)
        self.key_label.setFont(provisional.key_font(self.font(), issue.key))
        offline_key = provisional.is_provisional(issue.key)
        self.key_label.setToolTip(provisional.PROVISIONAL_TIP if offline_key else "")
        if reset or not self.title_edit.isModified():  # unsaved typing is never replaced
            self.title_edit.setText(issue.title)
            self._title_base = issue.title
        sprint = sprint_ops.choice(self._store, issue)
        self.fields.show_detail(detail, flow, users, labels, reset, sprint=sprint)
        self.description.show_text(issue.description)
        self.subtasks.show_detail(detail, flow)
        self.links.show_detail(detail)
        self.watchers.show_detail(detail)
        self.time.show_detail(detail, reset)
        self.comments.show_detail(detail, {u.username: u for u in users})
        self.history.show_detail(detail, {s.id: s.name for s in flow.statuses}, reset)
        self._related = (
            {issue.id}
            | {c.id for c in detail.children}
            | {lk.source_id for lk in detail.links}
            | {lk.target_id for lk in detail.links}
            | ({issue.parent_id} if issue.parent_id else set())
        )
        permissions.apply_detail(self, self._store, issue.project_id)
        self.stack.setCurrentIndex(1)

    def _write(self, action: Callable[[], OpResult[Issue]]) -> bool:
        if self._detail is None:
            return False
        result = action()
        updated = result.value
        if updated is not None:
            # Keep the version current now: a second edit may come before the reload runs.
            self._detail = dataclasses.replace(self._detail, issue=updated)
            style.show_error(self.error_label, "")
            return True
        style.show_error(self.error_label, result.message or CONFLICT_TEXT)
        self._reload_timer.start()
        return False

    def _touches(self, issue_ids: set[int], changes: list[Change]) -> bool:
        if self._issue_id is None:
            return False
        if issue_ids & self._related:
            return True
        # Rows written by id land on both ends (caught above); older rows name the key.
        key = self._detail.issue.key if self._detail else None
        return key is not None and any(
            c.field in ("link", "unlink") and key in f"{c.old or ''} {c.new or ''}".split()
            for c in changes
        )

    # -- slots -------------------------------------------------------------------------------
    def _on_reload_timer_timeout(self) -> None:
        if self._saving:  # not under an open conflict dialog: after the save ends
            self._reload_wanted = True
            return
        self.reload()

    def _on_title_edit_finished(self) -> None:
        if self._detail is None:
            return
        if self._saving:  # the conflict dialog took the focus
            return
        text = self.title_edit.text().strip()
        if text == self._title_base.strip():
            stored = self._detail.issue.title
            if not self.title_edit.isModified() and stored != self._title_base:
                # Escape after a live update was held back: show what is stored now.
                self.title_edit.setText(stored)
                self._title_base = stored
            return
        saved = self.save_field(
            "title", self._title_base, text, ask=not self.title_edit.window_left
        )
        if saved.settled:
            self.title_edit.setText(saved.value)
            self._title_base = saved.value

    def _on_store_issues_changed(self, updates: list[IssueUpdate]) -> None:
        if self._touches({u.issue_id for u in updates}, []):
            self._reload_timer.start()

    def _on_store_changes_arrived(self, changes: list[Change]) -> None:
        ids = {c.issue_id for c in changes if c.issue_id is not None}
        if self._touches(ids, changes):
            self._reload_timer.start()

    def _on_store_workflow_changed(self, project_id: int) -> None:
        if self._detail is not None and self._detail.issue.project_id == project_id:
            self._reload_timer.start()

    def _on_theme_changed(self, _dark: bool) -> None:
        # Icons, avatars and link colours were drawn for the old scheme.
        if self._detail is not None:
            self._reload_timer.start()

    def _on_store_conflict_occurred(self, error: ConflictError) -> None:
        current = error.current
        if self._issue_id is not None and (current is None or current.id == self._issue_id):
            self._reload_timer.start()
