"""A board bound to a saved filter: the header's "Filter" menu and the scope it adds to the board.

A bound filter narrows the board the way a Jira board filter or a Linear view does; the filter
pane's quick filters and query still apply on top (both must match). Unbinding shows the
whole project again. The choice is kept per board (per project key) in the settings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from tracker_gui.domain.models import IssueFilter, SavedFilter
from tracker_gui.ui import theme
from tracker_gui.ui.icons import icon
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import IssueUpdate, Store

SETTING = "ui/board_filters"
NONE_TEXT = "All issues"
SPRINT_SETTING = "ui/sprint_boards"
SPRINT_QUERY = "sprint:current"  # the header's "Active sprint only"


def and_queries(*queries: str) -> str:
    """Query texts that must all match, as one query (each kept whole in parentheses)."""
    parts = [q.strip() for q in queries if q.strip()]
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return " ".join(f"({q})" for q in parts)


@dataclasses.dataclass
class BoardScope:
    """What a board adds to the store's filter: the bound saved filter, if any.

    `excluded` holds issues that a live update showed under the store's filter but that fail
    the bound query: the board works it out before its column models apply the update.
    """

    saved: SavedFilter | None = None
    excluded: set[int] = dataclasses.field(default_factory=set)
    sprint_only: bool = False  # the active sprint's issues only

    @property
    def query(self) -> str:
        sprint = SPRINT_QUERY if self.sprint_only else ""
        return and_queries(self.saved.query if self.saved else "", sprint)

    def load_sprint_only(self, settings: Settings, project_key: str | None) -> bool:
        """Whether the project's board shows its active sprint only (from the settings)."""
        self.sprint_only = project_key is not None and project_key in settings.get(SPRINT_SETTING)
        return self.sprint_only

    @staticmethod
    def keep_sprint_only(settings: Settings, project_key: str, on: bool) -> None:
        kept = [k for k in settings.get(SPRINT_SETTING) if k != project_key]
        settings.set(SPRINT_SETTING, [*kept, project_key] if on else kept)

    def apply(self, flt: IssueFilter) -> IssueFilter:
        if not self.query:
            return flt
        return dataclasses.replace(flt, query=and_queries(flt.query, self.query))

    def exclude_unbound(
        self, store: Store, board_filter: IssueFilter, updates: Sequence[IssueUpdate]
    ) -> None:
        """Which updated issues fail the bound filter: the column models leave them out.

        `board_filter` is the store's filter narrowed to the board's project.
        """
        self.excluded.clear()
        if not self.query:
            return
        shown = [u.issue_id for u in updates if u.visible and u.issue is not None]
        if not shown:
            return
        scope = self.apply(board_filter)
        kept = store.search(dataclasses.replace(scope, issue_ids=tuple(shown)))
        self.excluded.update(set(shown) - {i.id for i in kept})


def stored_binding(settings: Settings, project_key: str) -> int | None:
    """The saved-filter id a project's board is bound to, from "KEY=id" entries."""
    for entry in settings.get(SETTING):
        key, _, value = str(entry).partition("=")
        if key == project_key and value.isdigit():
            return int(value)
    return None


def store_binding(settings: Settings, project_key: str, filter_id: int | None) -> None:
    kept = [e for e in settings.get(SETTING) if str(e).partition("=")[0] != project_key]
    if filter_id is not None:
        kept.append(f"{project_key}={filter_id}")
    settings.set(SETTING, kept)


class FilterButton(QToolButton):
    """ "Filter: <name>" with a menu of the saved filters; `filterChosen(id or None)`."""

    filterChosen = Signal(object)  # saved filter id, or None for the whole project

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BoardFilterButton")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(self.toolButtonStyle().ToolButtonTextBesideIcon)
        self.setAutoRaise(True)
        self.setToolTip(
            "Bind this board to a saved filter: the board shows only its issues;\n"
            "the filter pane still narrows them further"
        )
        self.setMenu(QMenu(self))
        self._choices: list[SavedFilter] = []
        self._current: int | None = None
        self.show_choice(None, [])

    def show_choice(self, current: SavedFilter | None, choices: list[SavedFilter]) -> None:
        """Rebuild the menu: "All issues" and every saved filter, the bound one checked."""
        self._choices = list(choices)
        self._current = current.id if current else None
        self.setText(f"Filter: {current.name if current else NONE_TEXT}  ▾")
        self.restyle()
        menu = self.menu()
        menu.clear()
        group = QActionGroup(menu)
        entries: list[tuple[str, int | None, str]] = [(NONE_TEXT, None, "The whole project")]
        entries += [(f.name, f.id, f.query) for f in self._choices]
        for n, (name, fid, tip) in enumerate(entries):
            action = QAction(name, menu)
            action.setCheckable(True)
            action.setChecked(fid == self._current)
            action.setData(fid)
            action.setToolTip(tip)
            group.addAction(action)
            menu.addAction(action)
            if n == 0 and self._choices:
                menu.addSeparator()
        if not self._choices:
            hint = menu.addAction("No saved filters yet: save one in the Filter pane")
            hint.setEnabled(False)
        menu.setToolTipsVisible(True)
        group.triggered.connect(self._on_group_triggered)

    def restyle(self) -> None:
        """Accent colours while bound, so a board that hides issues says so at a glance."""
        c = theme.colour
        bound = self._current is not None
        hover = "selection_bg" if bound else "hover_bg"
        self.setIcon(icon("filter", "accent" if bound else "muted_text"))
        self.setStyleSheet(
            "QToolButton::menu-indicator { image: none; width: 0; }"
            f"QToolButton {{ padding: 3px 8px; border-radius: 6px; "
            f"color: {c('accent' if bound else 'muted_text').name()}; "
            f"background: {c('accent_soft').name() if bound else 'transparent'}; }}"
            f"QToolButton:hover {{ background: {c(hover).name()}; }}"
        )

    def _on_group_triggered(self, action: QAction) -> None:
        fid = action.data()
        if fid != self._current:
            self.filterChosen.emit(fid)
