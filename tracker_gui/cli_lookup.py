"""Names typed on the command line turned into ids (moved out of cli.py, which is at its limit)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Project
from tracker_gui.errors import ValidationError

if TYPE_CHECKING:
    from tracker_gui.services import Services


def status_ids(services: Services, projects: Sequence[Project], wanted: list[str]) -> list[int]:
    """Status names (any case) across the projects; a category name if no status has it."""
    statuses = [s for p in projects for s in services.projects.statuses(p.id)]
    ids: list[int] = []
    for name in wanted:
        key = name.strip().casefold()
        hits = [s.id for s in statuses if s.name.casefold() == key]
        category = key.replace(" ", "_").replace("-", "_")
        hits = hits or [s.id for s in statuses if s.category.value == category]
        if not hits:
            known = ", ".join(sorted({s.name for s in statuses})) or "none"
            cats = ", ".join(c.value for c in StatusCategory)
            raise ValidationError("status", f"no status {name!r} (statuses: {known}; or {cats})")
        ids += hits
    return ids
