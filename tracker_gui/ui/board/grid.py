"""The board's grid of cells: one (status, swimlane) each, with its model, view and frame."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtWidgets import QStyledItemDelegate, QVBoxLayout

from tracker_gui.domain.models import Issue, Status
from tracker_gui.ui.board.binding import BoardScope
from tracker_gui.ui.board.column_header import ColumnFrame
from tracker_gui.ui.board.column_model import PAGE_SIZE, ColumnModel, Lane
from tracker_gui.ui.board.column_view import ColumnView
from tracker_gui.ui.board.tally import CardState, CellKey
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets.card_style import COMFORTABLE

LANE_ROWS = 4  # cards a lane cell shows before it scrolls
LANE_PAGE = 50


@dataclass
class Cell:
    """One (status, lane) intersection of the board."""

    status: Status
    lane: Lane | None
    model: ColumnModel
    view: ColumnView
    frame: ColumnFrame

    @property
    def key(self) -> CellKey:
        return (self.status.id, self.lane)


class CellGrid:
    """Finds cells by status, lane, card or neighbourhood; sums their counts."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []
        self.project_id = 0

    def __iter__(self) -> Iterator[Cell]:
        return iter(self.cells)

    def clear(self, project_id: int) -> None:
        for cell in self.cells:
            cell.model.detach()
        self.cells = []
        self.project_id = project_id

    def add(self, cell: Cell) -> None:
        self.cells.append(cell)

    def has_lanes(self) -> bool:
        return any(c.lane is not None for c in self.cells)

    def key_for(self, state: CardState) -> CellKey | None:
        """The cell a card in `state` shows in (None: not on this board)."""
        if state.project_id != self.project_id or state.archived:
            return None
        for cell in self.cells:
            if cell.status.id == state.status_id and (
                cell.lane is None or cell.lane.accepts(state.assignee, state.priority)
            ):
                return cell.key
        return None

    def cell_for(self, issue: Issue) -> Cell | None:
        for cell in self.cells:
            if cell.status.id == issue.status_id and (
                cell.lane is None or cell.lane.matches(issue)
            ):
                return cell
        return None

    def at(self, status_id: int, lane: Lane | None) -> Cell | None:
        return next((c for c in self.cells if c.status.id == status_id and c.lane == lane), None)

    def loaded_in(self, issue_id: int) -> CellKey | None:
        """The cell where this card is loaded, if any."""
        return next((c.key for c in self.cells if c.model.row_of(issue_id) >= 0), None)

    def fully_loaded(self) -> bool:
        return all(c.model.fully_loaded() for c in self.cells)

    def neighbours(self, cell: Cell, step: int) -> list[Cell]:
        """Cells of the same lane in the direction of `step`, nearest first."""
        row = [c for c in self.cells if c.lane == cell.lane]
        i = row.index(cell)
        return row[i + 1 :] if step > 0 else row[:i][::-1]

    def totals(self) -> tuple[dict[int, int], dict[Lane, int]]:
        """Cards per status and per lane, as the models count them."""
        per_status: dict[int, int] = {}
        per_lane: dict[Lane, int] = {}
        for cell in self.cells:
            total = cell.model.total()
            per_status[cell.status.id] = per_status.get(cell.status.id, 0) + total
            if cell.lane is not None:
                per_lane[cell.lane] = per_lane.get(cell.lane, 0) + total
        return per_status, per_lane

    def current_issue(self) -> int | None:
        return next((i for c in self.cells if (i := c.view.current_issue_id()) is not None), None)


def make_cell(
    store: Store,
    status: Status,
    lane: Lane | None,
    total: int,
    delegate: QStyledItemDelegate,
    bound: BoardScope | None = None,
    width: int = COMFORTABLE.column_width,
) -> Cell:
    """A column (or lane cell): rounded frame, card list view and its model."""
    frame = ColumnFrame("bottom" if lane is None else "all")
    frame.setFixedWidth(width)
    model = ColumnModel(
        store,
        status,
        total=total,
        lane=lane,
        page_size=LANE_PAGE if lane else PAGE_SIZE,
        lazy=lane is not None,  # lanes load their cards when scrolled into view
        bound=bound,
        follow=False,  # the board's coordinator drives it
        parent=frame,
    )
    view = ColumnView(frame)
    view.setItemDelegate(delegate)
    view.setModel(model)
    view.setAccessibleName(f"{status.name} column" + (f", {lane.title}" if lane else ""))
    if lane is not None:
        view.set_fit_rows(LANE_ROWS)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(view.updateGeometry)
    inner = QVBoxLayout(frame)
    inner.setContentsMargins(2, 2 if lane else 0, 2, 4)
    inner.addWidget(view)
    return Cell(status, lane, model, view, frame)
