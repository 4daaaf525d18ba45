"""Hide and lock what this login's project role may not do (the database refuses it anyway)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractItemView, QLabel, QWidget

from tracker_gui.ui.store import Store

if TYPE_CHECKING:
    from tracker_gui.ui.board.board_pane import BoardPane
    from tracker_gui.ui.panes.detail_pane import DetailPane

VIEWER_TEXT = "you can only view this project (your role is viewer)"
ADMIN_TEXT = "only a project admin can change this"
SEND_HINT = "Ctrl+Enter to send"  # the comment box's hint (detail_activity.py)


def apply_board(board: BoardPane, store: Store) -> None:
    """A viewer's board: no drag, no drop, no quick add."""
    writable = store.can_write(board.project_id())
    for _status, _lane, _model, view in board.cells():
        view.setDragEnabled(writable)
        view.setAcceptDrops(writable)
        view.setDragDropMode(
            QAbstractItemView.DragDropMode.DragDrop
            if writable
            else QAbstractItemView.DragDropMode.NoDragDrop
        )
    was_read_only = bool(board.property("readOnly"))
    for header in board.findChildren(QWidget, "BoardColumnHeader"):
        for name in ("add_button", "quick_add"):
            part = getattr(header, name, None)
            if isinstance(part, QWidget):
                part.setEnabled(writable)
                policy = part.sizePolicy()
                policy.setRetainSizeWhenHidden(name == "add_button")  # keeps the header's shape
                part.setSizePolicy(policy)
                if not writable or was_read_only:  # fresh headers show them already
                    part.setVisible(writable)
    board.setProperty("readOnly", not writable)


def apply_detail(pane: DetailPane, store: Store, project_id: int) -> None:
    """A viewer's detail pane: everything readable, nothing editable."""
    writable = store.can_write(project_id)
    pane.title_edit.setReadOnly(not writable)
    pane.fields.setEnabled(writable)
    pane.description.edit_button.setVisible(writable and not pane.description.editing())
    for section in (pane.links, pane.watchers):
        section.setEnabled(writable)
    comments = pane.comments
    comments.compose.setVisible(writable)
    comments.send_button.setVisible(writable)
    for label in comments.findChildren(QLabel):
        if label.text() == SEND_HINT:
            label.setVisible(writable)


def refusal(store: Store, project_id: int) -> str | None:
    """Why a write to the project is refused before it is tried (None: go ahead)."""
    return None if store.can_write(project_id) else VIEWER_TEXT
