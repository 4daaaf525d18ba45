"""Logged and remaining time of board cards, read in one batched query per painted board.

A card is painted before its time is known: the first paint of unknown cards queues their
ids, and one read (`WorklogService.spent`, chunked by 500) after that paint pass brings them
all; the views that asked repaint. So a board with 7,485 open issues reads time only for the
few dozen cards on screen, in one query per column-set paint rather than one per card. A
logged or remaining change (the feed's `logged` / `remaining` / `estimate` rows) re-reads
those issues the same way.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QWidget

from tracker_gui.domain.durations import WorkCalendar, format_minutes
from tracker_gui.domain.models import Change
from tracker_gui.domain.worklogs import TimeSpent
from tracker_gui.ui.ops import worklogs as ops
from tracker_gui.ui.store import Store

KEEP = 20_000  # times remembered; past that the cache starts again (cards re-read on paint)
TIME_FIELDS = frozenset({"logged", "remaining", "estimate"})
NOTHING = TimeSpent(0, 0, None)  # read, and no time to show


def badge_text(spent: TimeSpent, calendar: WorkCalendar) -> str:
    """What a card shows: `1h30m · 2h left`, `2h left`, `1h30m`; "" for no time at all."""
    parts = []
    if spent.logged:
        parts.append(format_minutes(spent.logged, calendar))
    if spent.remaining is not None:
        parts.append(f"{format_minutes(spent.remaining, calendar)} left")
    return " · ".join(parts)


class CardTimes(QObject):
    """Per issue id: the time a card shows, read lazily in batches and kept current."""

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._known: dict[int, TimeSpent] = {}
        self._calendars: dict[int, WorkCalendar] = {}
        self._wanted: set[int] = set()
        self._views: weakref.WeakSet[QWidget] = weakref.WeakSet()  # waiting for the read
        self._painted: weakref.WeakSet[QWidget] = weakref.WeakSet()  # every view that asked
        self._batch = QTimer(self)
        self._batch.setSingleShot(True)
        self._batch.setInterval(0)
        self._batch.timeout.connect(self.fetch)
        self.reads = 0  # batched reads made (tests and the perf probe look)
        store.changesArrived.connect(self._on_store_changes_arrived)
        store.filterChanged.connect(self._on_store_filter_changed)

    def get(self, issue_id: int, view: QWidget | None = None) -> TimeSpent | None:
        """The time known for a card, else None and the card is queued for the next read."""
        found = self._known.get(issue_id)
        if view is not None:
            self._painted.add(view)
        if found is None:
            self._wanted.add(issue_id)
            if view is not None:
                self._views.add(view)
            if not self._batch.isActive():
                self._batch.start()
        return found

    def text(self, issue_id: int, project_id: int, view: QWidget | None = None) -> str:
        spent = self.get(issue_id, view)
        if spent is None or (spent.logged == 0 and spent.remaining is None):
            return ""
        return badge_text(spent, self.calendar(project_id))

    def calendar(self, project_id: int) -> WorkCalendar:
        found = self._calendars.get(project_id)
        if found is None:
            found = ops.calendar(self._store, project_id).value or WorkCalendar()
            self._calendars[project_id] = found
        return found

    def fetch(self) -> None:
        """Read every queued card's time at once; the views that asked repaint."""
        wanted = sorted(self._wanted)
        self._wanted.clear()
        if not wanted:
            return
        result = ops.spent(self._store, wanted)
        if result.value is None:
            return  # offline: the cards show no time until a later paint asks again
        self.reads += 1
        if len(self._known) + len(wanted) > KEEP:
            self._known.clear()
        for issue_id in wanted:
            self._known[issue_id] = result.value.get(issue_id, NOTHING)
        views = list(self._views)
        self._views.clear()
        _repaint(views)

    def forget(self, issue_ids: set[int] | None = None) -> None:
        if issue_ids is None:
            self._known.clear()
            self._calendars.clear()
        else:
            for issue_id in issue_ids:
                self._known.pop(issue_id, None)

    def _on_store_changes_arrived(self, changes: list[Change]) -> None:
        ids = {c.issue_id for c in changes if c.field in TIME_FIELDS and c.issue_id is not None}
        if any(c.field.startswith("project") for c in changes):
            self._calendars.clear()
        if ids:
            # A log changes no issue column, so no model repaints the card: the boards do,
            # and their paint asks for the forgotten cards again.
            self.forget(ids)
            _repaint(list(self._painted))

    def _on_store_filter_changed(self, _flt: object) -> None:
        self._wanted.clear()  # cards gone from view need no read


def _repaint(views: list[QWidget]) -> None:
    for view in views:
        target = view.viewport() if isinstance(view, QAbstractItemView) else view
        target.update()
