"""Settling a Conflicts pane entry through the sync engine: keep mine or theirs, edit, dismiss."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import SignalInstance

from tracker_gui.errors import TrackerError
from tracker_gui.services.sync_types import Keep, SyncEngine
from tracker_gui.ui.ops.core import OpResult, message_for


class SyncHost(Protocol):
    """Where a failed resolution is told (the store's one error signal)."""

    @property
    def errorOccurred(self) -> SignalInstance: ...


def resolve(
    host: SyncHost,
    engine: SyncEngine,
    entry_id: int,
    *,
    keep: Keep | None = None,
    value: str | None = None,
    dismiss: bool = False,
) -> OpResult[None]:
    """One resolution; an error of the tree comes back as a message (the entry stays listed)."""
    try:
        engine.resolve(entry_id, keep=keep, value=value, dismiss=dismiss)
    except TrackerError as exc:
        message = message_for(exc)
        host.errorOccurred.emit(message)
        return OpResult(message=message)
    return OpResult(None)
