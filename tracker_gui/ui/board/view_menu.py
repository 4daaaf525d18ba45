"""The board's entry in the window's View menu: compact cards, remembered in the settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.settings import Settings

COMPACT_TIP = "Narrower cards with a one-line title, so more columns fit"


def install_density_action(
    menu: QMenu, before: QAction, settings: Settings, boards: Callable[[], list[BoardPane]]
) -> QAction:
    """A checkable "Compact Cards" entry placed above `before` (and the separator over it)."""
    action = QAction("&Compact Cards", menu)
    action.setCheckable(True)
    action.setChecked(settings.get("ui/card_density") == "compact")
    action.setToolTip(COMPACT_TIP)
    action.setStatusTip(COMPACT_TIP)

    def on_toggled(compact: bool) -> None:
        name = "compact" if compact else "comfortable"
        settings.set("ui/card_density", name)  # boards opened later read it too
        for board in boards():
            board.set_density(name)

    action.toggled.connect(on_toggled)
    entries = menu.actions()
    at = entries.index(before) if before in entries else len(entries)
    if at > 0 and entries[at - 1].isSeparator():
        at -= 1
    menu.insertAction(entries[at] if at < len(entries) else None, action)  # type: ignore[arg-type]
    return action
