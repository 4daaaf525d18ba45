"""The drag-and-drop payload of board cards: which issues, at which version, from where."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from PySide6.QtCore import QByteArray, QMimeData

ISSUES_MIME = "application/x-tracker-issues"


@dataclass(frozen=True, slots=True)
class DraggedIssue:
    """One dragged card as its source column saw it (the version guards against lost updates)."""

    id: int
    key: str
    version: int
    project_id: int
    status_id: int
    assignee: str | None
    priority: int


def encode(items: Sequence[DraggedIssue]) -> QMimeData:
    """Mime data carrying the cards (JSON) plus their keys as text for plain-text drop targets."""
    mime = QMimeData()
    payload = json.dumps({"issues": [asdict(item) for item in items]}).encode()
    mime.setData(ISSUES_MIME, QByteArray(payload))
    mime.setText("\n".join(item.key for item in items))
    return mime


def decode(mime: QMimeData | None) -> list[DraggedIssue]:
    """The cards in `mime`, in their source order; [] for foreign or malformed data."""
    if mime is None or not mime.hasFormat(ISSUES_MIME):
        return []
    try:
        raw = json.loads(bytes(mime.data(ISSUES_MIME).data()).decode())
        return [DraggedIssue(**entry) for entry in raw["issues"]]
    except (ValueError, KeyError, TypeError):
        return []
