"""Keeps a board's counts: exact from live changes, one debounced recount when it cannot tell."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from tracker_gui.domain.models import Change
from tracker_gui.ui.board.binding import BoardScope
from tracker_gui.ui.board.column_model import Lane
from tracker_gui.ui.board.grid import CellGrid
from tracker_gui.ui.board.swimlanes import board_scope
from tracker_gui.ui.board.tally import CellKey, Tally
from tracker_gui.ui.store import IssueUpdate, Store

RECOUNT_MS = 250  # a burst of changes the tally cannot place costs one recount


class BoardCounter(QObject):
    """The count of every cell; `countsChanged` after each change of them.

    The board's coordinator calls `count()` before the cells apply a batch and `settle()`
    when the batch's Change rows arrive (see coordinator.py for why in that order).
    """

    countsChanged = Signal()
    settleWanted = Signal()  # updates were counted but no Change rows followed (a reload)

    def __init__(self, store: Store, grid: CellGrid, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._grid = grid
        self._tally = Tally()
        self.bound = BoardScope()  # the board's saved filter, set by the board
        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(RECOUNT_MS)
        self._recount_timer.timeout.connect(self.recount)
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(0)
        self._settle_timer.timeout.connect(self.settleWanted)

    def reset(self, project_id: int, totals: dict[CellKey, int]) -> None:
        self._tally.reset(project_id, totals)

    def total(self, key: CellKey) -> int:
        return self._tally.totals.get(key, 0)

    def pending(self) -> bool:
        return self._tally.pending()

    def count(self, updates: Sequence[IssueUpdate]) -> None:
        """Before the cells apply `updates`: count each card where it is now."""
        excluded = self.bound.excluded
        seen = [u if u.issue_id not in excluded else _hidden(u) for u in updates]
        touched = self._tally.note(seen, self._grid.loaded_in, self._grid.key_for)
        if touched:
            self._push()
        if self._tally.pending():
            self._settle_timer.start()

    def settle(self, changes: Sequence[Change]) -> None:
        """After the cells: take cards off where their Change rows say they were."""
        if not self._tally.pending():
            return
        flt = self.bound.apply(board_scope(self._store.filter, self._grid.project_id))
        touched, exact = self._tally.resolve(changes, self._grid.key_for, flt.is_empty())
        if not exact and self._grid.fully_loaded():
            # Every card is loaded: the cells hold the exact counts.
            totals = {cell.key: cell.model.rowCount() for cell in self._grid}
            self._tally.reset(self._grid.project_id, totals)
            touched = set(totals)
        elif not exact:
            self._recount_timer.start()
        if touched:
            self._push()

    def recount(self) -> None:
        """Count again: one counts_by_status per lane (one in all without lanes)."""
        scope = self.bound.apply(board_scope(self._store.filter, self._grid.project_id))
        by_lane: dict[Lane | None, dict[int, int]] = {}
        for cell in self._grid:
            if cell.lane not in by_lane:
                target = cell.lane.scope(scope) if cell.lane else scope
                by_lane[cell.lane] = self._store.counts_by_status(target)
        totals = {c.key: by_lane[c.lane].get(c.status.id, 0) for c in self._grid}
        self._tally.reset(self._grid.project_id, totals)
        self._push()

    def _push(self) -> None:
        for cell in self._grid:
            cell.model.set_total(self._tally.totals.get(cell.key, 0))
        self.countsChanged.emit()


def _hidden(update: IssueUpdate) -> IssueUpdate:
    """The update as the board sees it: the bound filter hides the card."""
    return IssueUpdate(update.issue_id, update.issue, False)
