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
    """`note()` each batch of updates before the models apply it; `countsChanged` after."""

    countsChanged = Signal()

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
        self._settle_timer.timeout.connect(self._on_settle_timer_timeout)
        store.changesArrived.connect(self._on_store_changes_arrived)

    def reset(self, project_id: int, totals: dict[CellKey, int]) -> None:
        self._tally.reset(project_id, totals)

    def total(self, key: CellKey) -> int:
        return self._tally.totals.get(key, 0)

    def note(self, updates: Sequence[IssueUpdate]) -> None:
        """Call before the models apply `updates`: which cards were loaded where."""
        self._tally.note(updates, self._grid.loaded_in, self._grid.key_for)
        if self._tally.pending():
            self._settle_timer.start()

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
        for cell in self._grid:
            cell.model.set_total(totals[cell.key])
        self.countsChanged.emit()

    def _settle(self, changes: Sequence[Change]) -> None:
        flt = self.bound.apply(board_scope(self._store.filter, self._grid.project_id))
        _touched, exact = self._tally.resolve(changes, self._grid.key_for, flt.is_empty())
        # Every cell, not only those a card entered or left: a model guesses +1 for an update
        # of a card beyond its loaded page, which may be an edit of a card it already counted.
        for cell in self._grid:
            cell.model.set_total(self._tally.totals.get(cell.key, 0))
        self.countsChanged.emit()
        if not exact and not self._grid.fully_loaded():
            self._recount_timer.start()

    def _on_store_changes_arrived(self, changes: list[Change]) -> None:
        if self._tally.pending():
            self._settle(changes)

    def _on_settle_timer_timeout(self) -> None:
        if self._tally.pending():  # updates that came without Change rows (a reload)
            self._settle([])
