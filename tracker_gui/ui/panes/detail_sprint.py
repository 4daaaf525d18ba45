"""The detail pane's Sprint field (planned and active sprints, or "No sprint"), and its history.

An issue in a closed sprint shows that sprint read-only: a closed sprint takes no issues, so
choosing it again could not be saved, and moving the issue out rewrites what the sprint held.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from tracker_gui.domain.models import Change
from tracker_gui.domain.sprints import Sprint, SprintState
from tracker_gui.ui.ops import sprints as ops
from tracker_gui.ui.ops.sprints import SprintChoice
from tracker_gui.ui.store import Store

NO_SPRINT = "No sprint"
NONE_PLANNED_TIP = "No sprint is planned in this project yet: plan one in View > Backlog"
CLOSED_TIP = "{name} is closed: its issues stay as they were when it closed"


def sprint_text(sprint: Sprint) -> str:
    """A sprint as the field lists it: its name, and its state unless merely planned."""
    if sprint.state is SprintState.PLANNED:
        return sprint.name
    return f"{sprint.name} ({sprint.state.value})"


class SprintCombo(QComboBox):
    """Emits `chosen(name or None)` when the user picks an entry (not when it is shown)."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SprintField")
        self.setAccessibleName("Sprint")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
        self.activated.connect(self._on_self_activated)

    def show_choice(self, choice: SprintChoice | None) -> None:
        """List the sprints and select the issue's; a closed one is shown and locked."""
        self.clear()
        self.addItem(NO_SPRINT, None)
        if choice is None:  # unreadable (offline): what is shown says so, nothing to pick
            self.setEnabled(False)
            return
        for sprint in choice.open:
            self.addItem(sprint_text(sprint), sprint.name)
        current = choice.current
        if current is None:
            self.setCurrentIndex(0)
            self.setEnabled(True)
            self.setToolTip("" if choice.open else NONE_PLANNED_TIP)
            return
        if choice.closed:
            self.addItem(sprint_text(current), current.name)
        self.setCurrentIndex(self.findData(current.name))
        self.setEnabled(not choice.closed)
        self.setToolTip(CLOSED_TIP.format(name=current.name) if choice.closed else "")

    def value(self) -> str | None:
        data = self.currentData()
        return str(data) if data else None

    def show_value(self, name: str | None) -> None:
        """Select `name` if listed (after a save or a conflict's "theirs")."""
        index = self.findData(name) if name else 0
        if index >= 0:
            self.setCurrentIndex(index)

    def _on_self_activated(self, index: int) -> None:
        data = self.itemData(index)
        self.chosen.emit(str(data) if data else None)


def history_line(old: str | None, new: str | None, names: Mapping[str, str]) -> str:
    """A `sprint` history row (sprint ids as text) in words, the sprints by name."""

    def shown(value: str) -> str:
        return names.get(value, "a deleted sprint")

    if new is None:
        return f"moved it from {shown(old)} to the backlog" if old else "moved it to the backlog"
    if old is None:
        return f"planned it into {shown(new)}"
    return f"moved it from {shown(old)} to {shown(new)}"


def sprint_names(store: Store, project_key: str, rows: Sequence[Change]) -> dict[str, str]:
    """Sprint id (as the log holds it) -> name, read only when a sprint row is shown."""
    if not any(c.field == "sprint" for c in rows):
        return {}
    found = ops.sprints(store, project_key).value or []
    return {str(s.id): s.name for s in found}
