"""Workflow rules: which status changes a project allows."""

from __future__ import annotations

from collections.abc import Iterable

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Status, Transition

DEFAULT_WORKFLOW: tuple[tuple[str, StatusCategory], ...] = (
    ("To Do", StatusCategory.TODO),
    ("In Progress", StatusCategory.IN_PROGRESS),
    ("In Review", StatusCategory.IN_PROGRESS),
    ("Done", StatusCategory.DONE),
)


class Workflow:
    """A project's statuses in board order plus its allowed transitions."""

    def __init__(self, statuses: Iterable[Status], transitions: Iterable[Transition]) -> None:
        self.statuses = sorted(statuses, key=lambda s: (s.position, s.id))
        self._by_id = {s.id: s for s in self.statuses}
        self._allowed = {(t.from_status_id, t.to_status_id) for t in transitions}

    def status(self, status_id: int) -> Status:
        return self._by_id[status_id]

    def find(self, name_or_category: str) -> Status | None:
        """A status by name (case-insensitive), else the first of that category."""
        wanted = name_or_category.strip().casefold()
        for s in self.statuses:
            if s.name.casefold() == wanted:
                return s
        for s in self.statuses:
            if s.category.value == wanted.replace(" ", "_"):
                return s
        return None

    @property
    def initial(self) -> Status:
        return self.statuses[0]

    @property
    def restricted(self) -> bool:
        return bool(self._allowed)

    def allows(self, from_id: int, to_id: int) -> bool:
        """No transitions defined means every move is allowed; staying put always is."""
        return from_id == to_id or not self._allowed or (from_id, to_id) in self._allowed

    def targets(self, from_id: int) -> list[Status]:
        return [s for s in self.statuses if s.id != from_id and self.allows(from_id, s.id)]

    def neighbour(self, status_id: int, step: int) -> Status | None:
        ids = [s.id for s in self.statuses]
        i = ids.index(status_id) + step
        return self.statuses[i] if 0 <= i < len(ids) else None
