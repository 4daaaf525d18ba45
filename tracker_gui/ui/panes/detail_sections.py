"""Detail pane sections: description (Markdown), subtasks, links and watchers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import Issue, IssueDetail, Link
from tracker_gui.domain.workflow import Workflow
from tracker_gui.ui.ops import OpResult
from tracker_gui.ui.ops import issues as ops
from tracker_gui.ui.panes.detail_saving import Save
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style
from tracker_gui.ui.widgets.fields import SubmitEdit


class RowPool:
    """Row widgets built once and refilled for another issue: a longer list adds rows, a
    shorter one hides the rest (opening an issue makes no widgets it had made before)."""

    def __init__(self, layout: QVBoxLayout, make: Callable[[], QWidget]) -> None:
        self._layout = layout
        self._make = make
        self.rows: list[QWidget] = []

    def show(self, count: int) -> list[QWidget]:
        """The first `count` rows, shown (made when missing); the others hidden."""
        while len(self.rows) < count:
            row = self._make()
            self._layout.addWidget(row)
            self.rows.append(row)
        for n, row in enumerate(self.rows):
            row.setVisible(n < count)
        return self.rows[:count]


def _line(row: QWidget, *parts: QWidget, stretch: QWidget | None = None) -> None:
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.setSpacing(8)
    for part in parts:
        line.addWidget(part, 1 if part is stretch else 0)


def _title_label() -> QLabel:
    title = QLabel()
    title.setMinimumWidth(40)
    return title


def heading(title: str, *extra: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    row.addWidget(ui.section_title(title))
    row.addStretch(1)
    for widget in extra:
        row.addWidget(widget)
    return row


def flat_button(text: str, glyph: str = "", tip: str = "") -> QToolButton:
    button = QToolButton()
    button.setObjectName("Flat")
    button.setText(text)
    if glyph:
        button.setIcon(ui.icon(glyph))
    button.setToolButtonStyle(
        Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        if text and glyph
        else Qt.ToolButtonStyle.ToolButtonIconOnly
        if glyph
        else Qt.ToolButtonStyle.ToolButtonTextOnly
    )
    button.setToolTip(tip)
    return button


class DescriptionSection(QWidget):
    """Rendered Markdown; Edit switches to a plain-text editor with Save / Cancel.

    The editor saves from the text it opened with (`base`), however the stored text moves on
    meanwhile (live updates refresh the rendered view only).
    """

    issueClicked = Signal(int)

    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._text = ""
        self.base = ""
        self.edit_button = flat_button("Edit", "edit", "Edit the description")
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.view = ui.MarkdownView()
        self.view.setObjectName("DescriptionView")
        self.view.issueClicked.connect(self.issueClicked)
        self.empty = style.muted(QLabel("No description yet."))
        self.editor = SubmitEdit()
        self.editor.setObjectName("DescriptionEditor")
        self.editor.setPlaceholderText("Describe the issue (Markdown)")
        self.editor.setMinimumHeight(160)
        self.editor.submitted.connect(self._on_save_button_clicked)
        self.editor.cancelled.connect(self._on_cancel_button_clicked)
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("Primary")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)

        reading = QWidget()
        rlay = QVBoxLayout(reading)
        rlay.setContentsMargins(0, 0, 0, 0)
        rlay.addWidget(self.view)
        rlay.addWidget(self.empty)
        writing = QWidget()
        wlay = QVBoxLayout(writing)
        wlay.setContentsMargins(0, 0, 0, 0)
        wlay.addWidget(self.editor)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        wlay.addLayout(buttons)
        self.reading, self.writing = reading, writing
        writing.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(heading("Description", self.edit_button))
        layout.addWidget(reading)
        layout.addWidget(writing)

    def editing(self) -> bool:
        return not self.writing.isHidden()

    def show_text(self, text: str) -> None:
        self._text = text
        self.view.set_markdown(text)
        self.view.setVisible(bool(text.strip()))
        self.empty.setVisible(not text.strip())

    def reset(self) -> None:
        self.writing.hide()
        self.reading.show()
        self.edit_button.show()

    def _on_edit_button_clicked(self) -> None:
        self.base = self._text
        self.editor.setPlainText(self._text)
        self.reading.hide()
        self.writing.show()
        self.edit_button.hide()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_save_button_clicked(self) -> None:
        text = self.editor.toPlainText()
        if text == self.base:
            self.reset()
            return
        saved = self._save("description", self.base, text)
        if saved.settled:
            self.show_text(saved.value)
            self.reset()

    def _on_cancel_button_clicked(self) -> None:
        self.reset()


class SubtasksSection(QWidget):
    """The issue's children: type icon, clickable key, title and status."""

    issueClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(4)
        self.title = ui.section_title("Subtasks")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addLayout(self.rows)
        self._pool = RowPool(self.rows, self._make_row)

    def show_detail(self, detail: IssueDetail, flow: Workflow) -> None:
        self.title.setText(f"Subtasks ({len(detail.children)})")
        names = {s.id: s.name for s in flow.statuses}
        for row, child in zip(self._pool.show(len(detail.children)), detail.children, strict=True):
            assert isinstance(row, _SubtaskRow)
            row.fill(child, names.get(child.status_id, ""))
        self.setVisible(bool(detail.children))

    def _make_row(self) -> QWidget:
        row = _SubtaskRow()
        row.link.issueClicked.connect(self.issueClicked)
        return row


class _SubtaskRow(QWidget):
    """One subtask: type icon, key (a link), title, status."""

    def __init__(self) -> None:
        super().__init__()
        self.glyph = QLabel()
        self.link = ui.LinkLabel()
        self.title = _title_label()
        self.status = style.muted(QLabel())
        _line(self, self.glyph, self.link, self.title, self.status, stretch=self.title)

    def fill(self, child: Issue, status: str) -> None:
        self.glyph.setPixmap(ui.type_icon(child.type).pixmap(16, 16))
        self.link.setText(ui.issue_anchor(child.id, child.key))
        self.title.setText(child.title)
        self.title.setToolTip(child.title)
        self.status.setText(status)


class _LinkRow(QWidget):
    """One link: its phrase, the other issue's key (a link) and title, a remove button."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: Link | None = None
        self.phrase = style.muted(QLabel())
        self.key = ui.LinkLabel()
        self.title = _title_label()
        self.remove = flat_button("", "close", "")
        _line(self, self.phrase, self.key, self.title, self.remove, stretch=self.title)

    def fill(self, link: Link) -> None:
        self.shown = link
        other_id = link.target_id if link.outward else link.source_id
        self.phrase.setText(link.phrase)
        self.key.setText(ui.issue_anchor(other_id, link.other_key))
        self.title.setText(link.other_title)
        self.title.setToolTip(link.other_title)
        self.remove.setToolTip(f"Remove this link to {link.other_key}")


LINK_KINDS = (
    ("blocks", LinkKind.BLOCKS),
    ("relates to", LinkKind.RELATES),
    ("duplicates", LinkKind.DUPLICATES),
)


class LinksSection(QWidget):
    """Links to other issues with their phrase; add one by kind and key; remove one."""

    issueClicked = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._detail: IssueDetail | None = None
        self.rows = QVBoxLayout()
        self.rows.setSpacing(4)
        self.empty = style.muted(QLabel("No links."))
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("LinkKind")
        for text, kind in LINK_KINDS:
            self.kind_combo.addItem(text, kind.value)
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("LinkKey")
        self.key_edit.setAccessibleName("Issue to link")
        self.key_edit.setPlaceholderText("Issue key, e.g. TRK-12")
        self.key_edit.returnPressed.connect(self._on_add_button_clicked)
        self.add_button = QPushButton("Link")
        self.add_button.setIcon(ui.icon("link"))
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.error_label = style.error_label()
        adder = QHBoxLayout()
        adder.setSpacing(6)
        adder.addWidget(self.kind_combo)
        adder.addWidget(self.key_edit, 1)
        adder.addWidget(self.add_button)
        self.title = ui.section_title("Links")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addLayout(self.rows)
        layout.addWidget(self.empty)
        layout.addLayout(adder)
        layout.addWidget(self.error_label)
        self._pool = RowPool(self.rows, self._make_row)

    def _make_row(self) -> QWidget:
        row = _LinkRow()
        row.key.issueClicked.connect(self.issueClicked)
        row.remove.clicked.connect(lambda _=False: self._unlink(row.shown))
        return row

    def show_detail(self, detail: IssueDetail) -> None:
        self._detail = detail
        self.title.setText(f"Links ({len(detail.links)})" if detail.links else "Links")
        for row, link in zip(self._pool.show(len(detail.links)), detail.links, strict=True):
            assert isinstance(row, _LinkRow)
            row.fill(link)
        self.empty.setVisible(not detail.links)

    def _write(self, result: OpResult[None]) -> bool:
        style.show_error(self.error_label, result.message)
        return result.ok

    def _unlink(self, link: Link | None) -> None:
        if self._detail is None or link is None:
            return
        issue = self._detail.issue
        if link.outward:
            self._write(ops.unlink(self._store, issue.id, link.kind, link.other_key))
        else:
            self._write(ops.unlink(self._store, link.source_id, link.kind, issue.key))

    def _on_add_button_clicked(self) -> None:
        key = self.key_edit.text().strip().upper()
        if self._detail is None or not key:
            return
        issue_id = self._detail.issue.id
        kind = LinkKind(self.kind_combo.currentData())
        if self._write(ops.link(self._store, issue_id, kind, key)):
            self.key_edit.clear()


class WatchersSection(QWidget):
    """Who watches the issue, and a Watch / Stop watching button for me."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._detail: IssueDetail | None = None
        self.names_label = QLabel()
        self.names_label.setObjectName("WatcherNames")
        self.names_label.setWordWrap(True)
        self.watch_button = flat_button("Watch", "watch")
        self.watch_button.clicked.connect(self._on_watch_button_clicked)
        self.title = ui.section_title("Watchers")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(heading("Watchers", self.watch_button))
        layout.addWidget(self.names_label)

    def watching(self) -> bool:
        return self._detail is not None and self._store.me in self._detail.watchers

    def show_detail(self, detail: IssueDetail) -> None:
        self._detail = detail
        names = ", ".join(detail.watchers)
        self.names_label.setText(names or "Nobody is watching this issue.")
        self.names_label.setProperty("muted", not names)
        self.names_label.style().unpolish(self.names_label)
        self.names_label.style().polish(self.names_label)
        self.watch_button.setText("Stop watching" if self.watching() else "Watch")

    def _on_watch_button_clicked(self) -> None:
        if self._detail is None:
            return
        issue_id, on = self._detail.issue.id, not self.watching()
        ops.watch(self._store, issue_id, on)
