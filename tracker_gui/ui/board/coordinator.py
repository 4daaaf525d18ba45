"""The board's one update order: on every batch, the counts first, then the cells, then settle.

Why this order: the counts must be worked out while the cells still show where each loaded card
was (a cell that has applied the batch no longer knows the card it lost), and a column header
read while a cell inserts or removes a card (an accessibility client, a test, a repaint) must
already say the new number. Settling comes last: the batch's Change rows arrive after the
cells applied it and say where the cards the board had not loaded came from.

The coordinator is the board's only subscriber to the store's issue, filter and workflow
signals; the column models on a board follow nothing themselves (`follow=False`). So the
order does not depend on which object connected to a signal first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QObject

from tracker_gui.domain.models import Change, IssueFilter
from tracker_gui.ui.board.counter import BoardCounter
from tracker_gui.ui.board.grid import CellGrid
from tracker_gui.ui.store import IssueUpdate, Store


class Surface(Protocol):
    """What the coordinator asks of the board around its three steps."""

    def prepare_updates(self, updates: Sequence[IssueUpdate]) -> None:
        """Before counting: which updated cards the board's bound filter hides."""

    def show_counts(self) -> None:
        """Put the cells' counts into the column, lane and board headers."""

    def settle_updates(self, updates: Sequence[IssueUpdate]) -> None:
        """After the cells: what follows from the batch (new people, a lane to add)."""

    def rebuild_for_filter(self) -> bool:
        """True when the board rebuilt itself for a new filter (its lanes depend on it)."""

    def show_filter(self) -> None:
        """After a new filter is counted and its cells loaded: show what it hides."""

    def restatus(self, project_id: int) -> bool:
        """Take a project's new workflow: True when the cells should recount and reload
        (False: another project's workflow, or the board rebuilt its columns)."""


class BoardCoordinator(QObject):
    """Runs counts, cells, settle for every change the store reports, in that order."""

    def __init__(
        self,
        store: Store,
        grid: CellGrid,
        counter: BoardCounter,
        surface: Surface,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._grid = grid
        self._counter = counter
        self._surface = surface
        counter.countsChanged.connect(surface.show_counts)
        counter.settleWanted.connect(self._on_counter_settle_wanted)
        store.issuesChanged.connect(self._on_store_issues_changed)
        store.changesArrived.connect(self._on_store_changes_arrived)
        store.filterChanged.connect(self._on_store_filter_changed)
        store.workflowChanged.connect(self._on_store_workflow_changed)

    def apply(self, updates: Sequence[IssueUpdate]) -> None:
        """One batch of issue updates: counts, then cells; settle waits for the Change rows."""
        self._surface.prepare_updates(updates)
        self._counter.count(updates)  # 1. counts (headers show them)
        for cell in list(self._grid):  # 2. cells
            cell.model.apply_updates(updates)
        self._surface.settle_updates(updates)  # 3. settle what the rows alone decide

    def settle(self, changes: Sequence[Change]) -> None:
        """The batch's Change rows: exact counts for the cards the board had not loaded."""
        self._counter.settle(changes)

    def _on_store_issues_changed(self, updates: list[IssueUpdate]) -> None:
        self.apply(updates)

    def _on_store_changes_arrived(self, changes: list[Change]) -> None:
        self.settle(changes)

    def _on_counter_settle_wanted(self) -> None:
        if self._counter.pending():  # updates that came without Change rows (a reload)
            self.settle([])

    def _on_store_filter_changed(self, _flt: IssueFilter) -> None:
        if self._surface.rebuild_for_filter():
            return
        self._counter.recount()  # 1. counts
        for cell in list(self._grid):  # 2. cells (each keeps the count it was given)
            cell.model.reload()
        self._surface.show_filter()  # 3. settle

    def _on_store_workflow_changed(self, project_id: int) -> None:
        if not self._surface.restatus(project_id):
            return
        self._counter.recount()
        for cell in list(self._grid):
            cell.model.refresh_status()
