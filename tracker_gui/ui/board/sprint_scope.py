"""A board's "Active sprint only" toggle: `sprint:current` on top of every other filter.

Kept per board (per project key) in the settings, like the bound saved filter. Starting a
sprint changes which issues are current without touching them: its `sprint_state` row is a
project row, on which the store re-reads the workflow and the board its columns.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from tracker_gui.domain.models import Change, Project
from tracker_gui.ui.board.binding import BoardScope
from tracker_gui.ui.board.board_header import BoardHeader
from tracker_gui.ui.ops import sprints as ops
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

SPRINT_STATE = "sprint_state"


class SprintOnly(QObject):
    """Wires the header's toggle to the board's scope; `refresh` rebuilds the board.

    While on, the toggle names the active sprint ("Sprint 12 only"), or says there is none.
    """

    def __init__(
        self,
        header: BoardHeader,
        store: Store,
        settings: Settings,
        scope: BoardScope,
        project: Callable[[], Project | None],
        refresh: Callable[[], None],
    ) -> None:
        super().__init__(header)
        self._header, self._store, self._settings, self._scope = header, store, settings, scope
        self._project, self._refresh = project, refresh
        header.sprintOnlyToggled.connect(self.set)
        store.changesArrived.connect(self._on_store_changes_arrived)

    def load(self) -> None:
        """Read the board's choice from the settings (a rebuild; another project)."""
        project = self._project()
        on = self._scope.load_sprint_only(self._settings, project.key if project else None)
        self._show(on)

    def set(self, on: bool) -> None:
        project = self._project()
        if project is not None:
            BoardScope.keep_sprint_only(self._settings, project.key, on)
        self._show(on)
        if on != self._scope.sprint_only:
            self._scope.sprint_only = on
            self._refresh()

    def _show(self, on: bool) -> None:
        project = self._project()
        sprint = ops.active(self._store, project.id) if on and project is not None else None
        self._header.set_sprint_only(on, sprint.name if sprint else None)

    def _on_store_changes_arrived(self, changes: list[Change]) -> None:
        # A start or close elsewhere: the cards follow through the workflow re-read (a project
        # row); the toggle's name of the sprint is this module's to update.
        project = self._project()
        if not self._scope.sprint_only or project is None:
            return
        if any(c.field == SPRINT_STATE and c.project_id == project.id for c in changes):
            self._show(True)
