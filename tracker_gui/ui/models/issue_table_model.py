"""The issue list as a paged, SQL-sorted table model that follows the store incrementally."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Issue, IssueFilter, Status
from tracker_gui.ui import icons, theme
from tracker_gui.ui.models.rowdiff import patch_rows
from tracker_gui.ui.models.time_columns import TimeColumns
from tracker_gui.ui.store import IssueUpdate, Store
from tracker_gui.ui.widgets.card_style import priority_icon_name, type_icon_name
from tracker_gui.ui.widgets.provisional import PROVISIONAL_TIP, is_provisional

IssueRole = Qt.ItemDataRole.UserRole + 1  # the Issue dataclass
IssueIdRole = Qt.ItemDataRole.UserRole + 2  # int
StatusColourRole = Qt.ItemDataRole.UserRole + 3  # QColor of the status (Status column)
LabelsRole = Qt.ItemDataRole.UserRole + 4  # tuple[str, ...] (Labels column)

COLUMNS = ("Key", "Type", "Title", "Status", "Priority", "Assignee", "Labels", "Due", "Updated",
           "Logged", "Remaining")  # fmt: skip
KEY, TYPE, TITLE, STATUS, PRIORITY, ASSIGNEE, LABELS, DUE, UPDATED, LOGGED, REMAINING = range(
    len(COLUMNS)
)

# (ascending, descending) store sort keys per column; None: that order is not offered.
SORT_KEYS: dict[int, tuple[str | None, str | None]] = {
    KEY: ("key", "-key"),
    TYPE: ("type", "-type"),
    TITLE: ("title", "-title"),
    STATUS: ("status", "-status"),
    PRIORITY: ("priority", "-priority"),
    ASSIGNEE: ("assignee", "-assignee"),
    DUE: ("due", "-due"),
    UPDATED: ("updated", "-updated"),
    LOGGED: ("logged", "-logged"),
    REMAINING: ("remaining", "-remaining"),
}
DEFAULT_SORT = (UPDATED, Qt.SortOrder.DescendingOrder)
PAGE = 200

Key = tuple[Any, ...]


def sort_key_for(column: int, order: Qt.SortOrder) -> str | None:
    asc, desc = SORT_KEYS.get(column, (None, None))
    return asc if order == Qt.SortOrder.AscendingOrder else desc


def short_date(day: dt.date, today: dt.date | None = None) -> str:
    """'Nov 4' this year, 'Nov 4, 2026' otherwise (as the board's cards write dates)."""
    today = today or dt.date.today()
    text = f"{day:%b} {day.day}"
    return text if day.year == today.year else f"{text}, {day.year}"


def relative_time(when: dt.datetime, now: dt.datetime | None = None) -> str:
    """'just now', '5 min ago', '3 h ago', 'yesterday', 'Mar 12', 'Mar 12, 2023' (naive UTC in)."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    local = when.replace(tzinfo=dt.UTC).astimezone()
    today = now.replace(tzinfo=dt.UTC).astimezone().date()
    if (today - local.date()).days == 1:
        return "yesterday"
    return short_date(local.date(), today)


def local_time_text(when: dt.datetime) -> str:
    return when.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


class IssueTableModel(QAbstractTableModel):
    """Rows are loaded 200 at a time in SQL order; store changes patch only the rows they touch."""

    def __init__(self, store: Store, parent: QObject | None = None, *, active: bool = True) -> None:
        super().__init__(parent)
        self._store = store
        self._rows: list[Issue] = []
        self._row_of: dict[int, int] = {}
        self._total = 0
        self._column, self._order = DEFAULT_SORT
        self._sort = sort_key_for(self._column, self._order) or "-updated"
        self._filter: IssueFilter = store.filter
        self._statuses: dict[int, Status] = {}
        self._positions: dict[int, int] = {}
        self.times = TimeColumns(store)
        # While its pane is hidden (say, tabbed behind the board) a filter change only marks
        # the model stale: querying a page nobody sees would slow every filter switch.
        self._active = active
        self._stale = False
        self._reload()
        store.issuesChanged.connect(self._on_store_issues_changed)
        store.filterChanged.connect(self._on_store_filter_changed)
        store.workflowChanged.connect(self._on_store_workflow_changed)

    # -- public -------------------------------------------------------------------------
    @property
    def sort_key(self) -> str:
        return self._sort

    @property
    def total(self) -> int:
        """How many issues match the filter (loaded or not)."""
        return self._total

    def issue_at(self, row: int) -> Issue | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, issue_id: int) -> int | None:
        return self._row_of.get(issue_id)

    def can_sort(self, column: int, order: Qt.SortOrder) -> bool:
        return sort_key_for(column, order) is not None

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._column, self._order

    # -- Qt model API --------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flag = Qt.ItemFlag
        return flag.ItemIsEnabled | flag.ItemIsSelectable | flag.ItemNeverHasChildren

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        issue = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(issue, column)
        if role == IssueRole:
            return issue
        if role == IssueIdRole:
            return issue.id
        if role == Qt.ItemDataRole.DecorationRole:
            if column == TYPE:
                return icons.icon(type_icon_name(issue.type))
            if column == PRIORITY:
                return icons.icon(priority_icon_name(issue.priority))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(issue, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(issue, column)
        if role == Qt.ItemDataRole.FontRole and column == KEY and is_provisional(issue.key):
            font = QFont()  # only the italic is set: the rest comes from the view's font
            font.setItalic(True)
            return font
        if role == StatusColourRole and column == STATUS:
            status = self._statuses.get(issue.status_id)
            return QColor(status.colour) if status and status.colour else None
        if role == LabelsRole:
            return issue.labels
        return None

    def _display(self, issue: Issue, column: int) -> str | None:
        if column == KEY:
            return issue.key
        if column == TYPE:
            return issue.type.label.capitalize()
        if column == TITLE:
            return issue.title
        if column == STATUS:
            status = self._statuses.get(issue.status_id)
            return status.name if status else ""
        if column == PRIORITY:
            return issue.priority.label.capitalize()
        if column == ASSIGNEE:
            return issue.assignee or ""
        if column == LABELS:
            return ", ".join(issue.labels)
        if column == DUE:
            return short_date(issue.due) if issue.due else ""
        if column == UPDATED:
            return relative_time(issue.updated_at)
        if column in (LOGGED, REMAINING):
            return self.times.text(issue, column == LOGGED)
        return None

    def _tooltip(self, issue: Issue, column: int) -> str | None:
        if column == KEY and is_provisional(issue.key):
            return PROVISIONAL_TIP
        if column == TITLE:
            return f"{issue.key}: {issue.title}"
        if column == UPDATED:
            return f"Updated {local_time_text(issue.updated_at)}"
        if column == DUE and issue.due:
            late = "Overdue since" if self._overdue(issue) else "Due"
            return f"{late} {issue.due:%A} {issue.due.isoformat()}"
        return None

    def _overdue(self, issue: Issue) -> bool:
        if issue.due is None or issue.due >= dt.date.today():
            return False
        status = self._statuses.get(issue.status_id)
        return status is None or status.category != StatusCategory.DONE

    def _foreground(self, issue: Issue, column: int) -> Any:
        if column == DUE and self._overdue(issue):
            return theme.colour("danger")
        if column in (KEY, UPDATED) or (column == ASSIGNEE and not issue.assignee):
            return theme.colour("muted_text")
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if parent.isValid() or len(self._rows) >= self._total:
            return
        page = self._store.search(self._filter, self._sort, len(self._rows), PAGE)
        fresh = [i for i in page if i.id not in self._row_of]
        if not page:
            self._total = len(self._rows)  # the rest went away meanwhile
            return
        if not fresh:
            return
        self._learn_statuses(fresh)
        self.times.read(fresh)
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._rows.extend(fresh)
        self._reindex(first)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = sort_key_for(column, order)
        if key is None or (key == self._sort and (column, order) == (self._column, self._order)):
            return
        self._column, self._order, self._sort = column, order, key
        self._reload()

    def set_active(self, active: bool) -> None:
        """Follow the pane's visibility; a stale model catches up when shown again."""
        self._active = active
        if active and self._stale:
            self._reload(patch=True)

    # -- loading -------------------------------------------------------------------------
    def _reload(self, *, patch: bool = False) -> None:
        """Read the first page again. A new sort resets the rows (every row moves); a new
        filter (`patch`) edits them by difference, so rows in both pages keep their place,
        the selection and any persistent index, and the view repaints only what changed."""
        if not self._active:
            self._stale = True
            return
        self._stale = False
        if patch:
            self._total = self._store.count(self._filter)
            fresh = self._store.search(self._filter, self._sort, 0, PAGE) if self._total else []
            self._learn_statuses(fresh)
            self.times.read(fresh)
            patch_rows(self, self._rows, fresh, last_column=len(COLUMNS) - 1)
            self._reindex(0)
            return
        self.beginResetModel()
        self._load_first_page()
        self.endResetModel()

    def _load_first_page(self) -> None:
        self._total = self._store.count(self._filter)
        self._rows = self._store.search(self._filter, self._sort, 0, PAGE) if self._total else []
        self._learn_statuses(self._rows)
        self.times.read(self._rows)
        self._reindex(0)

    def _reindex(self, start: int) -> None:
        if start == 0:
            self._row_of = {}
        for row in range(start, len(self._rows)):
            self._row_of[self._rows[row].id] = row

    def _learn_statuses(self, issues: list[Issue]) -> None:
        for project_id in {i.project_id for i in issues}:
            if not any(s.project_id == project_id for s in self._statuses.values()):
                self._load_workflow(project_id)

    def _load_workflow(self, project_id: int) -> None:
        for status in self._store.statuses(project_id):
            self._statuses[status.id] = status
            self._positions[status.id] = status.position

    # -- ordering in Python (mirrors the SQL sort so patches land where a re-query would) --
    def _keyfunc(self) -> Callable[[Issue], Key]:
        sort = self._sort
        timed = self.times.keyfunc(sort)
        if timed is not None:
            return timed
        if sort in ("key", "-key"):
            sign = -1 if sort == "-key" else 1
            return lambda i: (i.project_key, sign * i.number)
        if sort == "updated":
            return lambda i: (i.updated_at, i.id)
        if sort == "-updated":
            return lambda i: (_neg_time(i.updated_at), -i.id)
        if sort == "created":
            return lambda i: (i.created_at, i.id)
        if sort == "-created":
            return lambda i: (_neg_time(i.created_at), -i.id)
        if sort == "priority":
            return lambda i: (int(i.priority), i.rank)
        if sort == "-priority":
            return lambda i: (-int(i.priority), i.rank)
        if sort == "title":
            return lambda i: (i.title, i.id)
        if sort == "-title":
            return lambda i: (_Desc(i.title), i.id)
        if sort == "due":
            # SQL puts NULLs first in ascending order on SQLite; keep that.
            return lambda i: (i.due is not None, i.due or dt.date.min, i.id)
        if sort == "-due":
            return lambda i: (i.due is None, _Desc(i.due.isoformat() if i.due else ""), -i.id)
        if sort == "status":
            return lambda i: (self._positions.get(i.status_id, 0), i.rank)
        if sort == "-status":
            return lambda i: (-self._positions.get(i.status_id, 0), _Desc(i.rank))
        if sort in ("type", "-type"):
            if sort == "type":
                return lambda i: (i.type.value, i.id)
            return lambda i: (_Desc(i.type.value), -i.id)
        if sort == "assignee":
            return lambda i: (i.assignee is not None, i.assignee or "", i.id)
        if sort == "-assignee":
            return lambda i: (i.assignee is None, _Desc(i.assignee or ""), -i.id)
        return lambda i: (i.rank, i.id)

    # -- incremental updates -------------------------------------------------------------
    def _on_store_issues_changed(self, updates: list[IssueUpdate]) -> None:
        if self._stale:
            return  # the reload when it is shown again brings these in
        shown = [u.issue for u in updates if u.issue is not None and u.visible]
        self.times.read(shown)  # before the sort key reads them
        keyfunc = self._keyfunc()
        self._learn_statuses(shown)
        for update in updates:
            complete = len(self._rows) >= self._total
            row = self._row_of.get(update.issue_id)
            issue = update.issue if update.visible else None
            if row is None:
                if issue is not None:
                    self._insert_sorted(issue, keyfunc, complete)
                    self._total += 1
            elif issue is None:
                self._remove(row)
                self._total -= 1
            else:
                self._update_row(row, issue, keyfunc, complete)
        # Issues that entered or left beyond the loaded rows: one cheap count per batch.
        self._total = max(self._store.count(self._filter), len(self._rows))

    def _update_row(
        self, row: int, issue: Issue, keyfunc: Callable[[Issue], Key], complete: bool
    ) -> None:
        others = [keyfunc(i) for i in self._rows[:row] + self._rows[row + 1 :]]
        key = keyfunc(issue)
        at = bisect.bisect_right(others, key)
        low = bisect.bisect_left(others, key)
        if low <= row <= at:
            self._rows[row] = issue
            last = len(COLUMNS) - 1
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))
            return
        if at == len(others) and not complete:
            self._remove(row)  # it now sorts beyond the loaded rows: fetchMore brings it back
            return
        dest = at + 1 if at > row else at
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), dest)
        self._rows.pop(row)
        self._rows.insert(at, issue)
        self._reindex_from(min(row, at))
        self.endMoveRows()

    def _insert_sorted(self, issue: Issue, keyfunc: Callable[[Issue], Key], complete: bool) -> None:
        keys = [keyfunc(i) for i in self._rows]
        at = bisect.bisect_right(keys, keyfunc(issue))
        if at == len(self._rows) and not complete:
            return  # beyond what is loaded: fetchMore brings it in its turn
        self.beginInsertRows(QModelIndex(), at, at)
        self._rows.insert(at, issue)
        self._reindex_from(at)
        self.endInsertRows()

    def _remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        gone = self._rows.pop(row)
        self._row_of.pop(gone.id, None)
        self._reindex_from(row)
        self.endRemoveRows()

    def _reindex_from(self, start: int) -> None:
        for row in range(start, len(self._rows)):
            self._row_of[self._rows[row].id] = row

    def _on_store_filter_changed(self, flt: IssueFilter) -> None:
        self._filter = flt
        self._reload(patch=True)

    def _on_store_workflow_changed(self, project_id: int) -> None:
        self.times.forget_calendars()  # a project's work day may have changed with it
        self._statuses = {k: s for k, s in self._statuses.items() if s.project_id != project_id}
        self._load_workflow(project_id)
        if self._rows:
            self.dataChanged.emit(self.index(0, STATUS), self.index(len(self._rows) - 1, STATUS))


def _neg_time(when: dt.datetime) -> float:
    return -when.replace(tzinfo=dt.UTC).timestamp()


class _Desc:
    """Wraps a value so that sorting ascending orders it descending."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __lt__(self, other: _Desc) -> bool:
        return self.value > other.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)
