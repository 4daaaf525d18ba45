"""The kanban board of one project: status columns (optionally split into swimlanes) of cards."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.models import IssueFilter, NewIssue, Project, SavedFilter, Status
from tracker_gui.ui import permissions, theme
from tracker_gui.ui.board.autoscroll import EdgeScroller, scroll_areas
from tracker_gui.ui.board.binding import BoardScope, store_binding, stored_binding
from tracker_gui.ui.board.board_header import BoardHeader
from tracker_gui.ui.board.card_delegate import CardDelegate
from tracker_gui.ui.board.card_times import CardTimes
from tracker_gui.ui.board.collapse import Collapsed, show_column
from tracker_gui.ui.board.column_header import ColumnHeader
from tracker_gui.ui.board.column_model import ColumnModel, Lane
from tracker_gui.ui.board.column_view import ColumnView
from tracker_gui.ui.board.coordinator import BoardCoordinator
from tracker_gui.ui.board.counter import BoardCounter
from tracker_gui.ui.board.filter_chips import describe, show_hidden
from tracker_gui.ui.board.grid import Cell, CellGrid, make_cell
from tracker_gui.ui.board.navigation import neighbour_pick, transfer
from tracker_gui.ui.board.sprint_scope import SprintOnly
from tracker_gui.ui.board.swimlanes import (
    MODES,
    LaneHeader,
    board_scope,
    load_visible,
    shown_lanes,
)
from tracker_gui.ui.board.tally import state_of
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import IssueUpdate, Store
from tracker_gui.ui.widgets.card_style import DENSITIES, board_colours, density

COLUMN_SPACING = 12
BOARD_MARGIN = 16


class BoardPane(QWidget):
    """Columns in workflow order, cards by rank; drag, drop and the keyboard move them."""

    issueActivated = Signal(int)
    currentIssueChanged = Signal(object)  # issue id or None
    new_issue_requested = Signal(int)  # status id: the user wants the full new-issue dialog
    filterClearRequested = Signal()  # the header's "Clear": the window clears its filter

    def __init__(
        self, store: Store, project_id: int, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("BoardPane")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._store = store
        self._settings = settings
        self._project_id = project_id
        mode = str(settings.get("ui/swimlanes"))
        self._mode = mode if mode in MODES else "none"
        self._delegate = CardDelegate(self)
        self._delegate.set_density(density(str(settings.get("ui/card_density"))))
        self._delegate.times = CardTimes(store, self)
        self._collapsed = Collapsed(settings)
        self._unfiltered: dict[int, int] | None = None  # per status, while a filter hides cards
        self._grid = CellGrid()
        self._headers: dict[int, ColumnHeader] = {}
        self._lane_headers: list[tuple[LaneHeader, QWidget]] = []
        self._statuses: list[Status] = []
        self._current: int | None = None
        self._syncing = False
        self._counter = BoardCounter(store, self._grid, self)
        self._bound = BoardScope()
        self._counter.bound = self._bound
        self._build_chrome()
        self.sprint_only = SprintOnly(
            self.header, store, settings, self._bound, self._project, self.refresh
        )
        self._coordinator = BoardCoordinator(store, self._grid, self._counter, self, self)
        store.projectsChanged.connect(self._on_store_projects_changed)
        theme.notifier.changed.connect(self._on_theme_changed)
        self._rebuild()

    # -- public API ----------------------------------------------------------------------
    def project_id(self) -> int:
        return self._project_id

    def set_project(self, project_id: int) -> None:
        if project_id != self._project_id:
            self._project_id = project_id
            self._rebuild()

    def refresh(self) -> None:
        """Re-read every column from the database (after it refused a write)."""
        self._rebuild()

    def swimlanes(self) -> str:
        return self._mode

    def set_swimlanes(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown swimlane mode {mode!r} (use one of: {', '.join(MODES)})")
        self._settings.set("ui/swimlanes", mode)
        self.header.set_mode(mode)
        if mode != self._mode:
            self._mode = mode
            self._rebuild()

    def density(self) -> str:
        return self._delegate.density.name

    def set_density(self, name: str) -> None:
        """Comfortable or compact cards (compact: narrower columns, one-line titles)."""
        if name not in DENSITIES:
            raise ValueError(f"unknown card density {name!r} (use one of: {', '.join(DENSITIES)})")
        self._settings.set("ui/card_density", name)
        if name != self.density():
            self._delegate.set_density(DENSITIES[name])
            self._rebuild()

    def is_collapsed(self, status_id: int) -> bool:
        return status_id in self._collapsed

    def set_collapsed(self, status_id: int, collapsed: bool) -> None:
        """Collapse a column to a slim strip (name and count), or open it; kept per board."""
        project = self._project()
        self._collapsed.choose(project.key if project else None, status_id, collapsed)
        self._show_collapsed(status_id)

    def _show_collapsed(self, status_id: int) -> None:
        header = self._headers.get(status_id)
        if header is not None:
            cells = [c for c in self._grid if c.status.id == status_id]
            width = self._delegate.density.column_width
            show_column(header, cells, status_id in self._collapsed, width)

    def _restore_collapsed(self, project: Project | None) -> None:
        self._collapsed.restore(
            project.key if project else None, self._statuses, self._grid.totals()[0]
        )
        for status_id in self._collapsed.ids:
            self._show_collapsed(status_id)

    def bound_filter(self) -> SavedFilter | None:
        """The saved filter this board is bound to (it shows only that filter's issues)."""
        return self._bound.saved

    def bind_filter(self, filter_id: int | None) -> None:
        """Bind the board to a saved filter (None: the whole project); kept in the settings."""
        project = self._project()
        if project is not None:
            store_binding(self._settings, project.key, filter_id)
        self._rebuild()

    def _resolve_binding(self, project: Project | None) -> None:
        """The bound saved filter, read again: it may have been renamed, edited or deleted."""
        choices = self._store.saved_filters()
        wanted = stored_binding(self._settings, project.key) if project else None
        self._bound.saved = next((f for f in choices if f.id == wanted), None)
        self._bound.excluded.clear()
        self.sprint_only.load()
        self.header.filter_button.show_choice(self._bound.saved, choices)

    def _on_filter_menu_about_to_show(self) -> None:
        self._resolve_binding(self._project())

    def current_issue(self) -> int | None:
        return self._current

    def select_issue(self, issue_id: int) -> bool:
        """Select and reveal a card, paging its column in if needed; False if not on this board."""
        found = self._store.issues_by_ids([issue_id])
        if not found or found[0].project_id != self._project_id:
            return False
        cell = self._grid.cell_for(found[0])
        if cell is None:
            return False
        cell.model.ensure_loaded()
        row, pages = cell.model.row_of(issue_id), 0
        while row < 0 and cell.model.canFetchMore() and pages < 50:
            cell.model.fetchMore()
            row, pages = cell.model.row_of(issue_id), pages + 1
        if row < 0:
            return False
        for header, _ in self._lane_headers:
            if header.lane == cell.lane:
                header.set_expanded(True)
        self._select_rows(cell, [row], focus=False)
        return True

    def cells(self) -> list[tuple[Status, Lane | None, ColumnModel, ColumnView]]:
        """Every (status, lane, model, view) on the board, row by row (for tests and the window)."""
        return [(c.status, c.lane, c.model, c.view) for c in self._grid]

    def set_writable(self, writable: bool) -> None:
        """A viewer's board: no drag, no drop, no quick add (the database refuses them anyway)."""
        for cell in self._grid:
            cell.view.set_writable(writable)
        for header in self._headers.values():
            header.set_writable(writable)

    def column_header(self, status_id: int) -> ColumnHeader:
        return self._headers[status_id]

    def lane_headers(self) -> list[LaneHeader]:
        return [h for h, _ in self._lane_headers]

    # -- chrome, then building ---------------------------------------------------------
    def _build_chrome(self) -> None:
        self.header = BoardHeader(self._mode, BOARD_MARGIN)
        self.header.laneModeChosen.connect(self.set_swimlanes)
        self.header.filter_button.filterChosen.connect(self.bind_filter)
        self.header.filter_button.menu().aboutToShow.connect(self._on_filter_menu_about_to_show)
        self.header.filter_chips.clearRequested.connect(self.filterClearRequested)
        self.strip, self.body = scroll_areas()
        self.body.verticalScrollBar().valueChanged.connect(self._on_body_scrolled)
        self.body.verticalScrollBar().rangeChanged.connect(self._on_body_scrolled)
        self._edge = EdgeScroller(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.strip)
        layout.addWidget(self.body, 1)
        self._restyle()

    def _restyle(self) -> None:
        self.setStyleSheet(f"QWidget#BoardPane {{ background: {board_colours().board.name()}; }}")

    def _teardown(self) -> None:
        self._grid.clear(self._project_id)
        self._headers, self._lane_headers = {}, []
        for area in (self.strip, self.body):
            old = area.takeWidget()
            if old is not None:
                old.deleteLater()

    def _rebuild(self) -> None:
        keep = self._current
        self._teardown()
        project = self._project()
        self.header.set_title(project.name if project else "", project.key if project else "")
        self._resolve_binding(project)
        self._statuses = list(self._store.workflow(self._project_id).statuses)
        self._delegate.set_people(self._store.users())
        self._delegate.set_labels(self._store.labels(self._project_id))
        scope = self._bound.apply(board_scope(self._store.filter, self._project_id))
        ids = [s.id for s in self._statuses]
        lanes = shown_lanes(self._store, self._mode, scope, ids)
        if not lanes:
            lanes_or_none: list[tuple[Lane | None, dict[int, int]]] = [
                (None, self._store.counts_by_status(scope))
            ]
        else:
            lanes_or_none = list(lanes)
        self._counter.reset(
            self._project_id, {(s, lane): c.get(s, 0) for lane, c in lanes_or_none for s in ids}
        )
        self.strip.setWidget(self._build_strip(bool(lanes)))
        self.body.setWidget(self._build_body(lanes_or_none))
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if lanes else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.body.setVerticalScrollBarPolicy(policy)
        self._refresh_counts()
        self._restore_collapsed(project)
        self.show_filter()
        self._load_visible()
        self._current = None
        if keep is not None and not self.select_issue(keep):
            self.currentIssueChanged.emit(None)
        permissions.apply_board(self, self._store)

    def _build_strip(self, lanes: bool) -> QWidget:
        strip = QWidget()
        row = QHBoxLayout(strip)
        row.setContentsMargins(BOARD_MARGIN, 0, BOARD_MARGIN, 0)
        row.setSpacing(COLUMN_SPACING)
        for status in self._statuses:
            header = ColumnHeader(status)
            header.set_corners("all" if lanes else "top")
            header.setFixedWidth(self._delegate.density.column_width)
            header.collapseToggled.connect(partial(self.set_collapsed, status.id))
            header.quickAdded.connect(partial(self._on_header_quick_added, header))
            header.newIssueRequested.connect(partial(self.new_issue_requested.emit, status.id))
            self._headers[status.id] = header
            row.addWidget(header)
        row.addStretch(1)
        return strip

    def _build_body(self, lanes: list[tuple[Lane | None, dict[int, int]]]) -> QWidget:
        body = QWidget()
        rows = QVBoxLayout(body)
        top = 0 if lanes[0][0] is None else 4
        rows.setContentsMargins(BOARD_MARGIN, top, BOARD_MARGIN, BOARD_MARGIN)
        rows.setSpacing(0)
        for lane, _ in lanes:
            if lane is None:
                rows.addLayout(self._lane_row(None), 1)
                return body
            lane_header = LaneHeader(lane, self._delegate.initials(str(lane.value or "")))
            container = QWidget()
            container.setLayout(self._lane_row(lane))
            lane_header.toggled.connect(container.setVisible)
            lane_header.toggled.connect(self._on_body_scrolled)
            rows.addWidget(lane_header)
            rows.addWidget(container)
            self._lane_headers.append((lane_header, container))
        rows.addStretch(1)
        return body

    def _lane_row(self, lane: Lane | None) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0 if lane is None else 4)
        row.setSpacing(COLUMN_SPACING)
        for status in self._statuses:
            total = self._counter.total((status.id, lane))
            width = self._delegate.density.column_width
            cell = make_cell(self._store, status, lane, total, self._delegate, self._bound, width)
            cell.frame.expandRequested.connect(partial(self.set_collapsed, status.id, False))
            self._grid.add(cell)
            self._wire(cell)
            row.addWidget(cell.frame)
        row.addStretch(1)
        return row

    def _wire(self, cell: Cell) -> None:
        view = cell.view
        view.issueActivated.connect(self.issueActivated)
        view.neighbourRequested.connect(partial(self._on_view_neighbour_requested, cell))
        view.transferRequested.connect(partial(self._on_view_transfer_requested, cell))
        view.dragHovered.connect(self._edge.hover)
        view.selectionModel().selectionChanged.connect(
            partial(self._on_view_selection_changed, cell)
        )

    def _project(self) -> Project | None:
        return next((p for p in self._store.projects() if p.id == self._project_id), None)

    # -- swimlane cells load their cards when they come into view ------------------------
    def _load_visible(self) -> None:
        load_visible(self._lane_headers, self._grid, self.body.viewport(), self.isVisible())

    def _on_body_scrolled(self, *_args: object) -> None:
        self._load_visible()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, self._load_visible)

    # -- counts --------------------------------------------------------------------------
    def show_counts(self) -> None:
        """The cells' counts into the headers (the coordinator's counting step)."""
        self._refresh_counts()
        for status_id in self._collapsed.ids:
            self._show_collapsed(status_id)
        if self._unfiltered is not None:
            show_hidden(self._grid, self._unfiltered)

    def show_filter(self) -> None:
        """The filter as chips on the header; empty columns say how many cards it hides."""
        names = {s.id: s.name for s in self._statuses}
        parts = describe(self._store.filter, self._project_id, names)
        self.header.filter_chips.show_parts(parts)
        self._unfiltered = None
        if parts:
            whole = self._bound.apply(IssueFilter(project_ids=(self._project_id,)))
            self._unfiltered = self._store.counts_by_status(whole)
        show_hidden(self._grid, self._unfiltered)

    def _refresh_counts(self) -> None:
        per_status, per_lane = self._grid.totals()
        for status_id, header in self._headers.items():
            header.set_count(per_status.get(status_id, 0))
        for lane_header, _ in self._lane_headers:
            lane_header.set_count(per_lane.get(lane_header.lane, 0))
        self.header.set_total(sum(per_status.values()))

    # -- store (through the coordinator: counts, then cells, then settle) ----------------
    def prepare_updates(self, updates: Sequence[IssueUpdate]) -> None:
        scope = board_scope(self._store.filter, self._project_id)
        self._bound.exclude_unbound(self._store, scope, updates)

    def settle_updates(self, updates: Sequence[IssueUpdate]) -> None:
        mine = [
            u.issue
            for u in updates
            if u.issue is not None and u.visible and u.issue.project_id == self._project_id
        ]
        people = {i.assignee for i in mine if i.assignee}
        if not all(self._delegate.knows(p) for p in people):
            self._delegate.set_people(self._store.users())
        # Someone without a lane got work (or a card reached a hidden lane): show their lane.
        lost = [i for i in mine if not i.archived and self._grid.key_for(state_of(i)) is None]
        if self._lane_headers and lost:
            QTimer.singleShot(0, self, self._rebuild)

    def rebuild_for_filter(self) -> bool:
        if self._mode != "none":
            self._rebuild()  # lanes depend on the filter
            return True
        return False

    def restatus(self, project_id: int) -> bool:
        if project_id != self._project_id:
            return False
        statuses = self._store.workflow(project_id).statuses
        if [s.id for s in statuses] != [s.id for s in self._statuses]:
            self._rebuild()
            return False
        self._statuses = list(statuses)
        for status in statuses:
            self._headers[status.id].set_status(status)
        for cell in self._grid:
            cell.status = next(s for s in statuses if s.id == cell.status.id)
        self._delegate.set_labels(self._store.labels(project_id))
        return True

    def _on_store_projects_changed(self) -> None:
        project = self._project()
        self.header.set_title(project.name if project else "", project.key if project else "")

    def _on_theme_changed(self, _dark: bool) -> None:
        self._restyle()
        self.header.restyle()
        for header in self._headers.values():
            header.restyle()
        for lane_header, _ in self._lane_headers:
            lane_header.restyle()
        for cell in self._grid:
            cell.frame.update()
            cell.view.viewport().update()

    # -- quick add -----------------------------------------------------------------------
    def _on_header_quick_added(self, header: ColumnHeader, title: str) -> None:
        project = self._project()
        if project is None:
            return
        new = NewIssue(project_key=project.key, title=title, status=header.status.name)
        created = self._store.create_issue(new)
        if created is None:
            return
        header.quick_add.clear()
        self.select_issue(created.id)

    # -- selection and keyboard ----------------------------------------------------------
    def _select_rows(self, cell: Cell, rows: list[int], *, focus: bool) -> None:
        if cell.status.id in self._collapsed:  # a card chosen there: open the column
            self.set_collapsed(cell.status.id, False)
            # Scroll again once the scroll area has resized to the opened column.
            QTimer.singleShot(0, self, partial(self.body.ensureWidgetVisible, cell.frame, 0, 0))
        view, model = cell.view, cell.model
        selection = view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        first = model.index(rows[0], 0)
        selection.setCurrentIndex(first, flags.ClearAndSelect)
        for row in rows[1:]:
            selection.select(model.index(row, 0), flags.Select)
        view.scrollTo(first)
        self.body.ensureWidgetVisible(cell.frame, 0, 0)
        if focus:
            view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_view_selection_changed(self, cell: Cell, *_args: object) -> None:
        if self._syncing:
            return
        if cell.view.selectionModel().hasSelection():
            self._syncing = True  # one selection on the whole board
            try:
                for other in self._grid:
                    if other is not cell and other.view.selectionModel().hasSelection():
                        other.view.clearSelection()
            finally:
                self._syncing = False
        current = self._grid.current_issue()
        if current != self._current:
            self._current = current
            self.currentIssueChanged.emit(current)

    def _on_view_neighbour_requested(self, cell: Cell, step: int) -> None:
        picked = neighbour_pick(self._grid, cell, step, self._collapsed)
        if picked is not None:
            self._select_rows(picked[0], [picked[1]], focus=True)

    def _on_view_transfer_requested(self, cell: Cell, step: int) -> None:
        moved = transfer(self._store, self._project_id, self._grid, cell, step)
        if moved is None:
            return
        target, landed = moved
        if landed:
            self._select_rows(target, landed, focus=True)
        else:
            target.view.setFocus(Qt.FocusReason.OtherFocusReason)
