"""A board's "Active sprint only" toggle: `sprint:current` on top of every other filter.

Kept per board (per project key) in the settings, like the bound saved filter. Starting a
sprint changes which issues are current without touching them: its `sprint_state` row is a
project row, on which the store re-reads the workflow and the board its columns.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from tracker_gui.ui.board.binding import BoardScope
from tracker_gui.ui.board.board_header import BoardHeader
from tracker_gui.ui.settings import Settings


class SprintOnly(QObject):
    """Wires the header's toggle to the board's scope; `refresh` rebuilds the board."""

    def __init__(
        self,
        header: BoardHeader,
        settings: Settings,
        scope: BoardScope,
        project_key: Callable[[], str | None],
        refresh: Callable[[], None],
    ) -> None:
        super().__init__(header)
        self._header, self._settings, self._scope = header, settings, scope
        self._key, self._refresh = project_key, refresh
        header.sprintOnlyToggled.connect(self.set)

    def load(self) -> None:
        """Read the board's choice from the settings (a rebuild; another project)."""
        on = self._scope.load_sprint_only(self._settings, self._key())
        self._header.set_sprint_only(on)

    def set(self, on: bool) -> None:
        key = self._key()
        if key is not None:
            BoardScope.keep_sprint_only(self._settings, key, on)
        self._header.set_sprint_only(on)
        if on != self._scope.sprint_only:
            self._scope.sprint_only = on
            self._refresh()
