"""Which board columns are collapsed to a slim strip: the user's choice per board, or a default.

A Done column with many cards starts collapsed on its board (it is what pushes the working
columns off screen); once the user opens or collapses a column, that choice is kept per
board (per project key) in the settings, as "KEY:status id=1" (collapsed) or "=0" (open).
"""

from __future__ import annotations

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Status
from tracker_gui.ui.board.column_header import ColumnHeader
from tracker_gui.ui.board.grid import Cell
from tracker_gui.ui.settings import Settings

SETTING = "ui/collapsed_columns"
COLLAPSED_WIDTH = 44
BIG_DONE = 50  # a Done column holding more cards than this starts collapsed


def _name(project_key: str, status_id: int) -> str:
    return f"{project_key}:{status_id}"


def stored_choice(settings: Settings, project_key: str, status_id: int) -> bool | None:
    """The user's choice for this column (None: never chosen)."""
    wanted = _name(project_key, status_id)
    for entry in settings.get(SETTING):
        name, _, value = str(entry).partition("=")
        if name == wanted and value in ("0", "1"):
            return value == "1"
    return None


def store_choice(settings: Settings, project_key: str, status_id: int, collapsed: bool) -> None:
    wanted = _name(project_key, status_id)
    kept = [e for e in settings.get(SETTING) if str(e).partition("=")[0] != wanted]
    kept.append(f"{wanted}={int(collapsed)}")
    settings.set(SETTING, kept)


def starts_collapsed(status: Status, total: int, stored: bool | None) -> bool:
    if stored is not None:
        return stored
    return status.category == StatusCategory.DONE and total > BIG_DONE


class Collapsed:
    """The status ids of a board's collapsed columns, chosen and remembered per board."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.ids: set[int] = set()

    def __contains__(self, status_id: object) -> bool:
        return status_id in self.ids

    def restore(
        self, project_key: str | None, statuses: list[Status], totals: dict[int, int]
    ) -> None:
        """At a (re)build: the user's choices, else Done collapsed on a big board."""
        self.ids = set()
        for status in statuses:
            stored = stored_choice(self._settings, project_key, status.id) if project_key else None
            if starts_collapsed(status, totals.get(status.id, 0), stored):
                self.ids.add(status.id)

    def choose(self, project_key: str | None, status_id: int, collapsed: bool) -> None:
        if project_key is not None:
            store_choice(self._settings, project_key, status_id, collapsed)
        if collapsed:
            self.ids.add(status_id)
        else:
            self.ids.discard(status_id)


def show_column(header: ColumnHeader, cells: list[Cell], collapsed: bool, open_width: int) -> None:
    """A column open at `open_width`, or a slim strip saying its name and count down it."""
    width = COLLAPSED_WIDTH if collapsed else open_width
    header.setFixedWidth(width)
    header.set_collapsed(collapsed)
    for cell in cells:
        cell.frame.setFixedWidth(width)
        cell.view.setVisible(not collapsed)
        text = f"{cell.status.name}  ·  {cell.model.total():,}"
        cell.frame.set_collapsed_text(text if collapsed else None)
