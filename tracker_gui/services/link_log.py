"""The Change rows of a link made or removed: one on each end, naming the other end by id."""

from __future__ import annotations

from tracker_gui.domain import link_history
from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import Issue
from tracker_gui.services.unit_of_work import ChangeRecord


def link_rows(
    actor: str, field: str, kind: LinkKind, source: Issue, target: Issue
) -> list[ChangeRecord]:
    """Source's row then target's: the order the database triggers write them in."""
    out: list[ChangeRecord] = []
    for issue, other, outward in ((source, target, True), (target, source, False)):
        words = link_history.text(kind.value, other.id, outward)
        old, new = (None, words) if field == "link" else (words, None)
        out.append(ChangeRecord(issue.project_id, issue.id, actor, field, old, new))
    return out
