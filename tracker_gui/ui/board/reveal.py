"""Keep a picked card in view while the window settles (a dock opening shrinks the board)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QScrollArea

# Long enough for every layout pass a dock opening sets off; short enough that a later resize by
# the user (who may have scrolled away on purpose) is left alone.
SETTLE_MS = 1000


class Revealing(Protocol):
    body: QScrollArea

    def select_issue(self, issue_id: int) -> bool: ...

    def current_issue(self) -> int | None: ...


class RevealOnResize(QObject):
    """While the board settles, each resize of its scroll area reveals the card again."""

    def __init__(self, board: Revealing, issue_id: int) -> None:
        super().__init__(board.body)
        self._board, self._issue_id = board, issue_id
        board.body.viewport().installEventFilter(self)
        QTimer.singleShot(SETTLE_MS, self, self.deleteLater)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            # After the resize has been laid out, not in the middle of it.
            QTimer.singleShot(0, self, self._reveal)
        return False

    def _reveal(self) -> None:
        if self._board.current_issue() not in (None, self._issue_id):
            self.deleteLater()  # the user picked another card meanwhile: theirs wins
            return
        self._board.select_issue(self._issue_id)


def select_and_keep_in_view(board: Revealing, issue_id: int) -> bool:
    """Select and reveal the card; keep it revealed while the layout settles. False: not here."""
    if not board.select_issue(issue_id):
        return False
    RevealOnResize(board, issue_id)
    return True
