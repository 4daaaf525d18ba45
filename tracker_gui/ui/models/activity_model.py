"""The Change log as readable sentences, newest first, growing as changes arrive."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from tracker_gui.domain import link_history
from tracker_gui.domain.durations import hours_minutes
from tracker_gui.domain.models import Change, Issue
from tracker_gui.ui.models.issue_table_model import local_time_text, relative_time
from tracker_gui.ui.store import Store

ChangeRole = Qt.ItemDataRole.UserRole + 1  # the Change dataclass
IssueIdRole = Qt.ItemDataRole.UserRole + 2  # int | None
ActorRole = Qt.ItemDataRole.UserRole + 3  # str
ActionRole = Qt.ItemDataRole.UserRole + 4  # the sentence without the actor ("moved TRK-1 ...")
TimeTextRole = Qt.ItemDataRole.UserRole + 5  # "5 min ago"
IconNameRole = Qt.ItemDataRole.UserRole + 6  # an icons.icon() name for the kind of change

HIDDEN_FIELDS = frozenset({"rank"})
INITIAL = 200
MAX_ROWS = 1000
SNIPPET = 80


@dataclass(frozen=True, slots=True)
class Entry:
    """One user action: the visible rows of one change set (or one row without a set)."""

    change: Change  # the row that speaks for the entry: its actor, time and issue
    action: str
    icon: str
    changes: tuple[Change, ...] = ()

    @property
    def text(self) -> str:
        return f"{self.change.actor} {self.action}"

    @property
    def issue_id(self) -> int | None:
        """The issue the entry is about; None when it is about several."""
        ids = {c.issue_id for c in self.changes} or {self.change.issue_id}
        return self.change.issue_id if len(ids) == 1 else None


def grouped(changes: list[Change]) -> list[list[Change]]:
    """Rows (oldest first) as actions: one group per change set, a row without a set alone;
    groups ordered by their newest row."""
    groups: dict[object, list[Change]] = {}
    for change in changes:
        key = change.change_set if change.change_set is not None else ("row", change.id)
        groups.setdefault(key, []).append(change)
    return sorted(groups.values(), key=lambda g: g[-1].id)


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def snippet(text: str | None, limit: int = SNIPPET) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class _Names:
    """What sentences need to know, all cached: issue keys/titles, status names, project keys."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.issues: dict[int, tuple[str, str]] = {}
        self.statuses: dict[int, str] = {}
        self.projects: dict[int, str] = {}
        self.loaded_workflows: set[int] = set()
        self.linked: dict[int, str] = {}  # linked issues not live here: "TRK-5 (deleted)"

    def learn(self, changes: list[Change]) -> None:
        """Resolve every name these changes mention, with one batch query for unknown issues."""
        if any(c.project_id not in self.projects for c in changes):
            self.projects = {p.id: p.key for p in self.store.projects()}
        for change in changes:
            if change.field == "created" and change.issue_id is not None and change.new:
                self._learn_created(change.issue_id, change.new)
            elif change.field == "deleted" and change.issue_id is not None and change.old:
                known = self.issues.get(change.issue_id)
                self.issues[change.issue_id] = (change.old, known[1] if known else "")
        unknown = sorted(
            {
                c.issue_id
                for c in changes
                if c.issue_id is not None and c.issue_id not in self.issues
            }
            # Linked issues too: read through the viewer's rights, so a hidden one stays unnamed.
            | {i for i in link_history.other_ids(changes) if i not in self.issues}
        )
        for issue in self.store.issues_by_ids(unknown):
            self.remember(issue)
        # Linked issues still unknown: deleted ones are named from the history one may read.
        gone = sorted(
            i
            for i in link_history.other_ids(changes)
            if i not in self.issues and i not in self.linked
        )
        self.linked.update(self.store.link_keys(gone))
        for project_id in {c.project_id for c in changes if c.field == "status"}:
            if project_id not in self.loaded_workflows:
                self.load_statuses(project_id)

    def _learn_created(self, issue_id: int, snapshot: str) -> None:
        try:
            data = json.loads(snapshot)
        except ValueError:
            return
        if isinstance(data, dict) and data.get("key"):
            self.issues.setdefault(issue_id, (str(data["key"]), str(data.get("title") or "")))

    def load_statuses(self, project_id: int) -> None:
        self.loaded_workflows.add(project_id)
        for status in self.store.statuses(project_id):
            self.statuses[status.id] = status.name

    def remember(self, issue: Issue) -> None:
        self.issues[issue.id] = (issue.key, issue.title)

    def key(self, issue_id: int | None) -> str:
        if issue_id is None:
            return "an issue"
        known = self.issues.get(issue_id)
        return known[0] if known else f"issue #{issue_id}"

    def link_key(self, issue_id: int) -> str | None:
        known = self.issues.get(issue_id)
        return known[0] if known else self.linked.get(issue_id)

    def title(self, issue_id: int | None) -> str:
        known = self.issues.get(issue_id) if issue_id is not None else None
        return known[1] if known else ""

    def status(self, raw: str | None) -> str:
        if raw is None:
            return "no status"
        try:
            return self.statuses.get(int(raw), "a removed status")
        except ValueError:
            return raw

    def project(self, project_id: int) -> str:
        return self.projects.get(project_id, "a project")


def describe(change: Change, names: _Names) -> tuple[str, str]:
    """(sentence without the actor, icon name) for one Change row."""
    field, old, new = change.field, change.old, change.new
    if change.issue_id is None:
        return _describe_project(change, names)
    key = names.key(change.issue_id)
    if field == "created":
        return f"created {key} '{snippet(names.title(change.issue_id), 60)}'", "add"
    if field == "deleted":
        return f"deleted {key}", "trash"
    if field == "status":
        return f"moved {key} from {names.status(old)} to {names.status(new)}", "board"
    if field == "comment":
        return f"commented on {key}: {snippet(new)}", "comment"
    if field == "comment.edited":
        return f"edited a comment on {key}", "comment"
    if field == "comment.deleted":
        return f"deleted a comment on {key}", "comment"
    if field == "title":
        return f"renamed {key} to '{snippet(new, 60)}'", "edit"
    if field == "description":
        return f"edited the description of {key}", "edit"
    if field == "assignee":
        if not new:
            return f"unassigned {key}", "user"
        return f"assigned {key} to {new}", "user"
    if field == "priority":
        return f"changed the priority of {key} from {old or 'none'} to {new}", f"priority-{new}"
    if field == "type":
        return f"made {key} a {new}", f"type-{new}" if new else "edit"
    if field == "labels":
        return (
            f"labelled {key} {new.replace(',', ', ')}" if new else f"removed the labels of {key}"
        ), "label"
    if field == "due":
        return (f"set {key} due on {new}" if new else f"removed the due date of {key}"), "due"
    if field == "estimate":
        return (f"estimated {key} at {new}" if new else f"removed the estimate of {key}"), "clock"
    if field == "parent":
        return (
            f"moved {key} under {names.key(int(new))}" if new else f"detached {key} from its parent"
        ), "type-subtask"
    if field == "archived":
        return (f"archived {key}" if new == "true" else f"restored {key}"), "trash"
    if field == "link":
        return f"linked {key}: {link_history.render(new, names.link_key)}", "link"
    if field == "unlink":
        return f"unlinked {key}: {link_history.render(old, names.link_key)}", "link"
    if field == "watch":
        return (
            f"started watching {key}"
            if new == change.actor
            else f"added {new} as a watcher of {key}"
        ), "watch"
    if field == "unwatch":
        return (
            f"stopped watching {key}"
            if new == change.actor
            else f"removed {new} as a watcher of {key}"
        ), "watch"
    if field == "attachment":
        return f"attached {new} to {key}", "attachment"
    if field == "sprint":  # old/new hold sprint ids: the sentence names no sprint
        return (f"planned {key} into a sprint" if new else f"moved {key} to the backlog"), "clock"
    if field == "logged":  # minutes: a log added (new) or removed (old)
        if new:
            return f"logged {hours_minutes(new)} on {key}", "clock"
        return f"removed {hours_minutes(old)} of logged time from {key}", "clock"
    if field == "remaining":
        return (
            f"set the time remaining on {key} to {hours_minutes(new)}"
            if new
            else f"cleared the time remaining on {key}"
        ), "clock"
    return f"changed {field} of {key}", "edit"


def _describe_project(change: Change, names: _Names) -> tuple[str, str]:
    field, old, new = change.field, change.old, change.new
    project = names.project(change.project_id)
    if field == "project":
        return f"created the project {new or project}", "project"
    if field == "project.name":
        return f"renamed the project {project} to '{new}'", "project"
    if field == "status.added":
        return f"added the status '{new}' to {project}", "board"
    if field == "status.deleted":
        return f"deleted the status '{old}' from {project}", "board"
    if field == "status.name":
        return f"renamed the status '{old}' to '{new}' in {project}", "board"
    if field == "status.order":
        return f"reordered the statuses of {project}", "board"
    if field.startswith("status."):
        what = field.split(".", 1)[1].replace("_", " ")
        return f"changed the {what} of a status in {project} to {new or 'none'}", "board"
    if field == "transitions":
        return f"changed the workflow of {project}", "board"
    if field == "demo":
        return f"added {new or 'issues'} of demo data to {project}", "add"
    if field == "import":
        return f"imported into {project}: {snippet(new)}", "open"
    if field == "sprint_state":
        verb = {"planned": "planned", "active": "started", "closed": "closed"}.get(new or "")
        if old is None:  # a new sprint (a restored one may arrive in any state)
            verb = "planned" if new == "planned" else "added"
        return f"{verb or 'changed'} a sprint in {project}", "clock"
    if field == "label.renamed":
        return f"renamed the label '{old}' to '{new}' in {project}", "label"
    return f"changed {field} in {project}", "settings"


BULK_SUMMARIES = frozenset({"import", "demo"})
KEYS_SHOWN = 3


def describe_set(rows: list[Change], names: _Names) -> tuple[Change, str, str]:
    """(the row that speaks for it, sentence without the actor, icon) for one action."""
    summary = next((c for c in rows if c.field in BULK_SUMMARIES), None)
    if summary is not None:  # an import: its summary row says it (rows may be thinned)
        return (summary, *describe(summary, names))
    if len(rows) == 1:
        return (rows[0], *describe(rows[0], names))
    if len(rows) == 2 and rows[0].field == rows[1].field in link_history.LINK_FIELDS:
        # One link made or removed: a row on each end, told once from the source's side.
        return (rows[0], *describe(rows[0], names))
    issues = list(dict.fromkeys(c.issue_id for c in rows if c.issue_id is not None))
    if len(issues) <= 1:  # one issue, several fields (an edit dialog's save)
        parts = [describe(c, names)[0] for c in rows]
        return rows[-1], _listed(parts), describe(rows[0], names)[1]
    keys = [names.key(i) for i in issues]
    shown = ", ".join(keys[:KEYS_SHOWN])
    if len(keys) > KEYS_SHOWN:
        shown += f" and {len(keys) - KEYS_SHOWN} more"
    moves = [c for c in rows if c.field == "status"]
    if moves and {c.issue_id for c in moves} == set(issues):  # a multi-card drop, a bulk move
        targets = {c.new for c in moves}
        where = f" to {names.status(moves[-1].new)}" if len(targets) == 1 else ""
        return moves[-1], f"moved {len(issues)} issues{where}: {shown}", "board"
    return rows[-1], f"changed {len(issues)} issues: {shown}", "edit"


class ActivityModel(QAbstractListModel):
    """Recent changes, newest first; names are resolved when changes arrive, never in data()."""

    def __init__(self, store: Store, parent: QObject | None = None, initial: int = INITIAL) -> None:
        super().__init__(parent)
        self._store = store
        self._names = _Names(store)
        self._rows: list[Entry] = []
        changes = [c for c in store.recent_changes(initial) if c.field not in HIDDEN_FIELDS]
        if changes and changes[0].change_set is not None:
            # The limit may cut the oldest action in two: read that one whole.
            cut = changes[0].change_set
            whole = [c for c in store.changes_in_sets([cut]) if c.field not in HIDDEN_FIELDS]
            changes = [*whole, *(c for c in changes if c.change_set != cut)]
        self._names.learn(changes)
        self._rows = [self._entry(g) for g in reversed(grouped(changes))]
        store.changesArrived.connect(self._on_store_changes_arrived)
        store.issuesChanged.connect(self._on_store_issues_changed)
        store.workflowChanged.connect(self._on_store_workflow_changed)

    def _entry(self, rows: list[Change]) -> Entry:
        speaker, action, icon = describe_set(rows, self._names)
        return Entry(speaker, action, icon, tuple(rows))

    def entry(self, row: int) -> Entry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # -- Qt model API --------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flag = Qt.ItemFlag
        return flag.ItemIsEnabled | flag.ItemIsSelectable | flag.ItemNeverHasChildren

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() != 0:
            return None
        entry = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{entry.text}\n{local_time_text(entry.change.at)}"
        if role == ChangeRole:
            return entry.change
        if role == IssueIdRole:
            return entry.issue_id
        if role == ActorRole:
            return entry.change.actor
        if role == ActionRole:
            return entry.action
        if role == TimeTextRole:
            return relative_time(entry.change.at)
        if role == IconNameRole:
            return entry.icon
        return None

    # -- updates -------------------------------------------------------------------------
    def _on_store_changes_arrived(self, changes: list[Change]) -> None:
        recent = self._rows[:50]
        known = {c.id for e in recent for c in (e.changes or (e.change,))}
        fresh = [c for c in changes if c.field not in HIDDEN_FIELDS and c.id not in known]
        if not fresh:
            return
        self._names.learn(fresh)
        # A later read of an action already shown (its rows 29-30) joins that entry.
        shown: dict[str | None, int] = {
            e.change.change_set: n for n, e in enumerate(recent) if e.change.change_set
        }
        entries = []
        for group in grouped(fresh):
            row = shown.get(group[0].change_set)
            if row is None:
                entries.append(self._entry(group))
                continue
            old = self._rows[row]
            self._rows[row] = self._entry(sorted([*old.changes, *group], key=lambda c: c.id))
            self.dataChanged.emit(self.index(row, 0), self.index(row, 0))
        if not entries:
            return
        entries.reverse()
        self.beginInsertRows(QModelIndex(), 0, len(entries) - 1)
        self._rows[0:0] = entries
        self.endInsertRows()
        if len(self._rows) > MAX_ROWS:
            self.beginRemoveRows(QModelIndex(), MAX_ROWS, len(self._rows) - 1)
            del self._rows[MAX_ROWS:]
            self.endRemoveRows()

    def _on_store_issues_changed(self, updates: list[Any]) -> None:
        # Keep titles current for sentences written from now on (old sentences stay as they were).
        for update in updates:
            if update.issue is not None:
                self._names.remember(update.issue)

    def _on_store_workflow_changed(self, project_id: int) -> None:
        self._names.load_statuses(project_id)
