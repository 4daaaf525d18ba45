"""Hide and lock what this login's project role may not do (the database refuses it anyway)."""

from __future__ import annotations

from typing import Protocol

from tracker_gui.ui.store import Store

VIEWER_TEXT = "you can only view this project (your role is viewer)"
ADMIN_TEXT = "only a project admin can change this"


class Writable(Protocol):
    """A pane that locks its own controls (the board, the detail pane)."""

    def set_writable(self, writable: bool) -> None: ...


class Board(Writable, Protocol):
    def project_id(self) -> int: ...


def apply_board(board: Board, store: Store) -> None:
    """A viewer's board: no drag, no drop, no quick add."""
    board.set_writable(store.can_write(board.project_id()))


def apply_detail(pane: Writable, store: Store, project_id: int) -> None:
    """A viewer's detail pane: everything readable, nothing editable."""
    pane.set_writable(store.can_write(project_id))


def refusal(store: Store, project_id: int) -> str | None:
    """Why a write to the project is refused before it is tried (None: go ahead)."""
    return None if store.can_write(project_id) else VIEWER_TEXT
