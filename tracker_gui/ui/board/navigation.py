"""Keyboard moves on the board: to the next column's card, or the selected cards to it."""

from __future__ import annotations

from collections.abc import Container

from tracker_gui.ui.board.grid import Cell, CellGrid
from tracker_gui.ui.store import Store


def neighbour_pick(
    grid: CellGrid, cell: Cell, step: int, skip: Container[int]
) -> tuple[Cell, int] | None:
    """The card to select in the nearest open column with cards (in the row of the current)."""
    current = cell.view.currentIndex()
    wanted = current.row() if current.isValid() else 0
    for target in grid.neighbours(cell, step):
        if target.status.id in skip:  # a collapsed column shows no cards to land on
            continue
        target.model.ensure_loaded()
        count = target.model.rowCount()
        if count:
            return target, min(wanted, count - 1)
    return None


def transfer(
    store: Store, project_id: int, grid: CellGrid, cell: Cell, step: int
) -> tuple[Cell, list[int]] | None:
    """Move the selected cards to the next column; where they landed (None: nothing moved)."""
    rows = cell.view.selected_rows()
    status = store.workflow(project_id).neighbour(cell.status.id, step)
    if not rows or status is None:
        return None
    target = grid.at(status.id, cell.lane)
    if target is None:
        return None
    items = cell.model.dragged(rows)
    refusal = target.model.refusal(items)
    if refusal:
        store.errorOccurred.emit(refusal)
        return None
    target.model.ensure_loaded()
    target.model.append(items)
    return target, sorted(r for r in (target.model.row_of(i.id) for i in items) if r >= 0)
