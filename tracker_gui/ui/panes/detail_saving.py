"""How a save from a detail-pane editor ended: every editor saves from the value it started with.

The pane compares that start value with the field as stored now: unchanged, it saves on the
current version (a change to another field is no conflict); changed, the user decides in the
FieldConflictDialog. Nothing is overwritten without the user seeing theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

from tracker_gui.services.field_state import same
from tracker_gui.ui.dialogs.conflict import FieldConflict, FieldConflictDialog
from tracker_gui.ui.store import Store

SAVED = "saved"  # mine (or mine as edited in the dialog) is stored; `value` is it
THEIRS = "theirs"  # the user kept theirs: nothing written; `value` is theirs
PICK = "pick"  # the user wants to choose again in the editor, starting from theirs (`value`)
FAILED = "failed"  # refused (the reason is shown inline) or gone: the editor keeps mine
LATER = "later"  # the dialog was closed: nothing written, the editor keeps mine unsaved

__all__ = ["FAILED", "LATER", "PICK", "SAVED", "THEIRS", "Save", "Saved", "ask", "same"]


@dataclass(frozen=True)
class Saved:
    """The outcome of one save and the value the editor should show now."""

    outcome: str
    value: Any = None

    @property
    def settled(self) -> bool:
        """The editor should show `value` and start from it (stored mine, or theirs)."""
        return self.outcome in (SAVED, THEIRS, PICK)


# (field, the value the editor started from, the value to save) -> how it ended
Save = Callable[[str, Any, Any], Saved]


def ask(
    owner: QWidget, store: Store, conflict: FieldConflict, project_id: int | None
) -> tuple[str, Any]:
    """Show the field's conflict dialog over the window; (choice, the value to save)."""
    names = (
        {s.id: s.name for s in store.statuses(project_id)}
        if project_id is not None and conflict.field == "status"
        else {}
    )

    def key_of(issue_id: int) -> str | None:
        found = store.issue(issue_id)
        return found.key if found is not None else None

    dialog = FieldConflictDialog(conflict, owner.window(), status_names=names, key_of=key_of)
    dialog.exec()
    choice, value = dialog.choice, dialog.value()
    dialog.deleteLater()
    return choice, value
