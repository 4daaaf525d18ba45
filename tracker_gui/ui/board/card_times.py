"""Logged and remaining time of board cards, read in one batched query per column page.

The first card of a column painted without known time reads the time of every card that
column holds (its loaded pages, a few dozen) in one query (`WorklogService.spent`, chunked
by 500), before that card is drawn: so the first paint already shows the badges (no second
paint pass), and a board with 7,485 open issues reads time for the cards it has loaded, once
per column rather than once per card. A logged, remaining or estimate change (the feed's
`logged` / `remaining` / `estimate` rows) forgets those issues and repaints the boards,
whose paint reads them again the same way.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex
from PySide6.QtWidgets import QAbstractItemView, QWidget

from tracker_gui.domain.durations import WorkCalendar, format_minutes
from tracker_gui.domain.models import Change
from tracker_gui.domain.worklogs import TimeSpent
from tracker_gui.ui.board.column_model import IssueIdRole
from tracker_gui.ui.ops import worklogs as ops
from tracker_gui.ui.store import Store

KEEP = 20_000  # times remembered; past that the cache starts again (cards re-read on paint)
TIME_FIELDS = frozenset({"logged", "remaining", "estimate"})
NOTHING = TimeSpent(0, 0, None)  # read, and no time to show
AnyIndex = QModelIndex | QPersistentModelIndex


def badge_text(spent: TimeSpent, calendar: WorkCalendar) -> str:
    """What a card shows: `1h30m · 2h left`, `2h left`, `1h30m`; "" for no time at all."""
    parts = []
    if spent.logged:
        parts.append(format_minutes(spent.logged, calendar))
    if spent.remaining is not None:
        parts.append(f"{format_minutes(spent.remaining, calendar)} left")
    return " · ".join(parts)


class CardTimes(QObject):
    """Per issue id: the time a card shows, read a column at a time and kept current."""

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._known: dict[int, TimeSpent] = {}
        self._calendars: dict[int, WorkCalendar] = {}
        self._painted: weakref.WeakSet[QWidget] = weakref.WeakSet()  # views that showed time
        self._failed = False  # a read failed (offline): no more tries until something changes
        self.reads = 0  # batched reads made (the tests look)
        store.changesArrived.connect(self._on_store_changes_arrived)
        store.filterChanged.connect(self._on_store_filter_changed)

    def get(self, issue_id: int, index: AnyIndex | None = None) -> TimeSpent | None:
        """The time of a card; unknown, the whole column of `index` is read first."""
        found = self._known.get(issue_id)
        if found is None and not self._failed:
            wanted = {issue_id}
            model = index.model() if index is not None else None
            if model is not None:
                for row in range(model.rowCount()):
                    other = model.index(row, 0).data(IssueIdRole)
                    if isinstance(other, int) and other not in self._known:
                        wanted.add(other)
            self.fetch(sorted(wanted))
            found = self._known.get(issue_id)
        return found

    def text(
        self, issue_id: int, project_id: int, index: AnyIndex | None = None, view: object = None
    ) -> str:
        if isinstance(view, QWidget):
            self._painted.add(view)
        spent = self.get(issue_id, index)
        if spent is None or (spent.logged == 0 and spent.remaining is None):
            return ""
        return badge_text(spent, self.calendar(project_id))

    def calendar(self, project_id: int) -> WorkCalendar:
        found = self._calendars.get(project_id)
        if found is None:
            found = ops.calendar(self._store, project_id).value or WorkCalendar()
            self._calendars[project_id] = found
        return found

    def fetch(self, issue_ids: list[int]) -> None:
        """Read the time of these issues in one batched query."""
        if not issue_ids:
            return
        result = ops.spent(self._store, issue_ids)
        if result.value is None:
            self._failed = True  # offline: the cards show no time until a change arrives
            return
        self.reads += 1
        if len(self._known) + len(issue_ids) > KEEP:
            self._known.clear()
        for issue_id in issue_ids:
            self._known[issue_id] = result.value.get(issue_id, NOTHING)

    def forget(self, issue_ids: set[int] | None = None) -> None:
        if issue_ids is None:
            self._known.clear()
            self._calendars.clear()
        else:
            for issue_id in issue_ids:
                self._known.pop(issue_id, None)

    def _on_store_changes_arrived(self, changes: list[Change]) -> None:
        self._failed = False
        ids = {c.issue_id for c in changes if c.field in TIME_FIELDS and c.issue_id is not None}
        if any(c.field.startswith("project") for c in changes):
            self._calendars.clear()
        if ids:
            # A log changes no issue column, so no model repaints the card: the boards do,
            # and their paint reads the forgotten cards again.
            self.forget(ids)
            for view in list(self._painted):
                target = view.viewport() if isinstance(view, QAbstractItemView) else view
                target.update()

    def _on_store_filter_changed(self, _flt: object) -> None:
        self._failed = False
