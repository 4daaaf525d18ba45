"""Detail pane sections: the comment thread (add, edit own) and the readable history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain import link_history, people, time_history
from tracker_gui.domain.models import Change, Comment, IssueDetail, User
from tracker_gui.ui.dialogs import conflict as dialog
from tracker_gui.ui.ops import comments, undoable
from tracker_gui.ui.panes.detail_sections import SubmitEdit, flat_button
from tracker_gui.ui.panes.detail_sprint import history_line, sprint_names
from tracker_gui.ui.store import OFFLINE_WRITE, Store
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style

HISTORY_PAGE = 50
Ask = Callable[[dialog.FieldConflict], tuple[str, Any]]  # shows the conflict dialog
SKIPPED_FIELDS = {"rank"}


def describe_change(
    change: Change,
    status_name: Callable[[str], str],
    key_of: Callable[[str], str],
    link_key: Callable[[int], str | None] = lambda _: None,
) -> str:
    """One history line without the actor, e.g. `moved from To Do to Done`.

    `link_key` gives a linked issue's key as the viewer may read it (None: hidden or gone).
    """
    old, new, field = change.old, change.new, change.field
    if field == "created":
        return "created the issue"
    if field == "deleted":
        return "deleted the issue"
    if field == "status":
        return f"moved it from {status_name(old or '')} to {status_name(new or '')}"
    if field == "title":
        return f"renamed it to “{new}”"
    if field == "description":
        return "edited the description"
    if field == "assignee":
        if not new:
            return f"unassigned {old}"
        return f"assigned it to {new}" if not old else f"reassigned it from {old} to {new}"
    if field == "labels":
        before = set(filter(None, (old or "").split(",")))
        after = set(filter(None, (new or "").split(",")))
        parts = []
        if after - before:
            parts.append("added " + ", ".join(sorted(after - before)))
        if before - after:
            parts.append("removed " + ", ".join(sorted(before - after)))
        return ("labels: " + "; ".join(parts)) if parts else "changed the labels"
    if field == "parent":
        return f"set the parent to {key_of(new)}" if new else "removed the parent"
    if field in ("due", "estimate"):
        what = "due date" if field == "due" else "estimate"
        shown = f"{new} h" if field == "estimate" and new else new
        return f"set the {what} to {shown}" if new else f"removed the {what}"
    if field in ("type", "priority"):
        return f"changed the {field} from {old} to {new}"
    if field == "archived":
        return "archived it" if new == "true" else "restored it"
    if field == "comment":
        return "commented"
    if field == "comment.edited":
        return "edited a comment"
    if field == "comment.deleted":
        return "deleted a comment"
    if field == "link":
        return f"linked: {link_history.render(new, link_key)}"
    if field == "unlink":
        return f"removed the link: {link_history.render(old, link_key)}"
    if field in ("watch", "unwatch"):
        verb = "started" if field == "watch" else "stopped"
        if new == change.actor:
            return f"{verb} watching"
        return f"added {new} as a watcher" if field == "watch" else f"removed watcher {new}"
    if field == "attachment":
        return f"attached {new}"
    if field in time_history.FIELDS:
        return time_history.describe(field, old, new)
    return f"changed {field}"


class CommentCard(QFrame):
    """One comment: avatar, author, time, Markdown body; Edit when it is mine.

    Saving an edit compares the text the editor opened with against the comment's own text as
    stored now: changed elsewhere (the author in another window), the user sees both first.
    """

    def __init__(
        self,
        comment: Comment,
        user: User | None,
        mine: bool,
        store: Store,
        parent: QWidget,
        *,
        key: str = "",
        ask: Ask | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self._store = store
        self._ask = ask
        self.face = QLabel()
        self._face_of: str | None = None
        self.author = QLabel()
        self.when = style.muted(QLabel())
        # A long name and date give way in a narrow pane (the card must not set the pane's
        # width: it was 320 px, more than the detail dock gets at 1366 px, so it was cut).
        self.author.setMinimumWidth(40)
        self.when.setMinimumWidth(40)
        self.edit_button = flat_button("Edit", "", "Edit your comment")
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(self.face)
        head.addWidget(self.author)
        head.addWidget(self.when)
        head.addStretch(1)
        head.addWidget(self.edit_button)
        self.body = ui.MarkdownView()
        self.body.setObjectName("CommentBody")
        self.editor = SubmitEdit()
        self.editor.setObjectName("CommentEditor")
        self.editor.setMinimumHeight(90)
        self.editor.submitted.connect(self._on_save_button_clicked)
        self.editor.cancelled.connect(self._on_cancel_button_clicked)
        save = QPushButton("Save")
        save.setObjectName("Primary")
        save.clicked.connect(self._on_save_button_clicked)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self._on_cancel_button_clicked)
        self.error_label = style.error_label()
        writing = QWidget()
        wlay = QVBoxLayout(writing)
        wlay.setContentsMargins(0, 0, 0, 0)
        wlay.addWidget(self.editor)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(save)
        wlay.addLayout(buttons)
        self.writing = writing
        writing.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.body)
        layout.addWidget(writing)
        layout.addWidget(self.error_label)
        self.comment = comment
        self.base = comment.body
        self._key = key
        self.fill(comment, user, mine, key=key)

    def fill(self, comment: Comment, user: User | None, mine: bool, *, key: str = "") -> None:
        """Show `comment` in this card (built once, refilled for another comment), reading."""
        if comment.author != self._face_of:  # the avatar is drawn; the same author keeps it
            self.face.setPixmap(ui.avatar(comment.author, people.initials(comment.author), 24))
            self._face_of = comment.author
        self.comment = comment
        self._key = key
        self.base = comment.body
        name = people.shown(comment.author, user.display_name if user else "")
        self.author.setText(f"<b>{ui.escape(name)}</b>")
        self.author.setToolTip(name)
        self.when.setText(ui.ago(comment.created_at) + (" · edited" if comment.edited_at else ""))
        self.when.setToolTip(ui.full_time(comment.created_at))
        self.body.set_markdown(comment.body)
        style.show_error(self.error_label, "")
        self.writing.hide()
        self.body.show()
        self.edit_button.setVisible(mine)

    def editing(self) -> bool:
        return not self.writing.isHidden()

    def _on_edit_button_clicked(self) -> None:
        self.base = self.comment.body
        self.editor.setPlainText(self.comment.body)
        self.body.hide()
        self.writing.show()
        self.edit_button.hide()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_cancel_button_clicked(self) -> None:
        self.writing.hide()
        self.body.show()
        self.edit_button.show()

    def _on_save_button_clicked(self) -> None:
        body, base = self.editor.toPlainText(), self.base
        while True:  # again when it changed once more while the dialog was open
            read = comments.state(self._store, self.comment.id)
            state = read.value
            if state is None:
                gone = OFFLINE_WRITE if self._store.offline else "that comment no longer exists"
                style.show_error(self.error_label, read.message or gone)
                return
            theirs = state.comment.body
            if theirs == body:
                self._settle(state.comment)
                return
            if theirs == base or self._ask is None:
                break
            choice, value = self._ask(
                dialog.FieldConflict(
                    self._key, "comment", body, theirs, state.changed_by, state.changed_at
                )
            )
            if choice == dialog.KEEP_THEIRS:
                self._settle(state.comment)
                return
            if choice not in (dialog.KEEP_MINE, dialog.EDITED):
                return
            body, base = value, theirs
            self.editor.setPlainText(body)
        result = comments.edit(self._store, self.comment.id, body)
        style.show_error(self.error_label, result.message)
        if result.value is not None:
            self._settle(result.value)

    def _settle(self, comment: Comment) -> None:
        """Show `comment` as stored and leave editing."""
        self.comment = comment
        self.base = comment.body
        self.body.set_markdown(comment.body)
        style.show_error(self.error_label, "")
        self._on_cancel_button_clicked()


class CommentsSection(QWidget):
    """The thread, oldest first, and a box to add one (Ctrl+Enter sends)."""

    def __init__(self, store: Store, ask: Ask | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._ask = ask
        self._issue_id: int | None = None
        self.cards: list[CommentCard] = []  # the shown ones: the first of `_pool`
        self._pool: list[CommentCard] = []
        self.title = ui.section_title("Comments")
        self.thread_rows = QVBoxLayout()
        self.thread_rows.setSpacing(8)
        self.empty = style.muted(QLabel("No comments yet."))
        self.compose = SubmitEdit()
        self.compose.setObjectName("CommentBox")
        self.compose.setAccessibleName("New comment")
        self.compose.setPlaceholderText("Add a comment (Markdown)")
        self.compose.setFixedHeight(84)
        self.compose.submitted.connect(self._on_send_button_clicked)
        self.send_button = QPushButton("Comment")
        self.send_button.setObjectName("Primary")
        self.send_button.setIcon(ui.icon("comment"))
        self.send_button.setEnabled(False)
        self.send_button.clicked.connect(self._on_send_button_clicked)
        self.compose.textChanged.connect(self._on_compose_text_changed)
        self.error_label = style.error_label()
        send_row = QHBoxLayout()
        self.send_hint = style.muted(QLabel("Ctrl+Enter to send"))
        send_row.addWidget(self.send_hint)
        send_row.addStretch(1)
        send_row.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addLayout(self.thread_rows)
        layout.addWidget(self.empty)
        layout.addWidget(self.compose)
        layout.addLayout(send_row)
        layout.addWidget(self.error_label)

    def set_writable(self, writable: bool) -> None:
        """A viewer reads the thread but gets no box to add to it."""
        for part in (self.compose, self.send_button, self.send_hint):
            part.setVisible(writable)

    def show_detail(self, detail: IssueDetail, users: dict[str, User]) -> None:
        if detail.issue.id != self._issue_id:
            self.compose.clear()
            style.show_error(self.error_label, "")
        self._issue_id = detail.issue.id
        editing = {c.comment.id for c in self.cards if c.editing()}
        if editing and {c.id for c in detail.comments} >= editing:
            return  # never throw away a comment being edited; the next load refreshes
        # The cards are built once and refilled: opening another issue reuses them (a new
        # one only for a longer thread than any shown before; the rest are hidden).
        for n, comment in enumerate(detail.comments):
            mine = comment.author == self._store.me
            user = users.get(comment.author)
            if n < len(self._pool):
                self._pool[n].fill(comment, user, mine, key=detail.issue.key)
            else:
                card = CommentCard(
                    comment, user, mine, self._store, self, key=detail.issue.key, ask=self._ask
                )
                self.thread_rows.addWidget(card)
                self._pool.append(card)
            self._pool[n].setVisible(True)
        for card in self._pool[len(detail.comments) :]:
            card.setVisible(False)
        self.cards = self._pool[: len(detail.comments)]
        self.title.setText(f"Comments ({len(detail.comments)})" if detail.comments else "Comments")
        self.empty.setVisible(not detail.comments)

    def _on_compose_text_changed(self) -> None:
        self.send_button.setEnabled(bool(self.compose.toPlainText().strip()))

    def _on_send_button_clicked(self) -> None:
        body = self.compose.toPlainText()
        if self._issue_id is None or not body.strip():
            return
        result = undoable.add_comment(self._store, self._issue_id, body)
        style.show_error(self.error_label, result.message)
        if result.value is not None:
            self.compose.clear()


class HistorySection(QWidget):
    """Readable Change rows, newest first (rank-only moves left out)."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._keys: dict[str, str] = {}
        self._lines: list[str] = []
        self._limit = HISTORY_PAGE
        self._detail: IssueDetail | None = None
        self._names: dict[int, str] = {}
        self.title = ui.section_title("History")
        self.list_label = QLabel()
        self.list_label.setObjectName("HistoryLines")
        self.list_label.setTextFormat(Qt.TextFormat.RichText)
        self.list_label.setWordWrap(True)
        self.list_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.more_button = flat_button("Show all")
        self.more_button.clicked.connect(self._on_more_button_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.list_label)
        layout.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)

    def lines(self) -> list[str]:
        """The plain text of every line (newest first), for tests and copy."""
        return list(self._lines)

    def _key_of(self, issue_id: str) -> str:
        if issue_id not in self._keys:
            found = self._store.issue(int(issue_id)) if issue_id.isdigit() else None
            self._keys[issue_id] = found.key if found else f"#{issue_id}"
        return self._keys[issue_id]

    def show_detail(self, detail: IssueDetail, names: dict[int, str], reset: bool) -> None:
        if reset:
            self._limit = HISTORY_PAGE

        def status_name(sid: str) -> str:
            return names.get(int(sid), "a deleted status") if sid.isdigit() else sid

        rows = [c for c in reversed(detail.history) if c.field not in SKIPPED_FIELDS]
        # Linked issues read in one go, through the viewer's rights: a hidden one is not named.
        wanted = sorted(link_history.other_ids(rows))
        linked = self._store.link_keys(wanted)
        muted = style.colours()["muted_text"]
        self._lines = []
        html: list[str] = []
        sprints = sprint_names(self._store, detail.issue.project_key, rows)
        for change in rows:
            text = describe_change(change, status_name, self._key_of, linked.get)
            if change.field == "sprint":
                text = history_line(change.old, change.new, sprints)
            self._lines.append(f"{change.actor} {text}")
            if len(html) < self._limit:
                html.append(
                    f"<p style='margin:0 0 6px 0'><b>{ui.escape(change.actor)}</b> "
                    f"{ui.escape(text)} &nbsp;<span style='color:{muted}'>"
                    f"{ui.ago(change.at)}</span></p>"
                )
        self.list_label.setText("".join(html) if html else "No history.")
        self.more_button.setVisible(len(rows) > self._limit)
        self.more_button.setText(f"Show all {len(rows)}")
        self._detail, self._names = detail, names

    def _on_more_button_clicked(self) -> None:
        self._limit = 10**9
        if self._detail is not None:
            self.show_detail(self._detail, self._names, reset=False)
