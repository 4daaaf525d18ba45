"""Publishes ChangeEvents to subscribers after a transaction has committed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from tracker_gui.domain.models import ChangeEvent

log = logging.getLogger(__name__)
Subscriber = Callable[[Sequence[ChangeEvent]], None]


class EventBus:
    """Synchronous fan-out; a failing subscriber is logged and never breaks the others."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self.last_published = 0

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    @property
    def listened(self) -> bool:
        """Whether anyone subscribes (a headless import need not read its rows back)."""
        return bool(self._subscribers)

    def publish(self, events: Sequence[ChangeEvent]) -> None:
        if not events:
            return
        self.last_published = max(self.last_published, *(e.id for e in events))
        for callback in list(self._subscribers):
            try:
                callback(events)
            except Exception:
                log.exception("change subscriber %r failed", callback)
