"""The window's answer to an edit conflict: mine beside theirs, then reload, overwrite or merge."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from tracker_gui.errors import ConflictError
from tracker_gui.ui.dialogs.conflict import ConflictDialog
from tracker_gui.ui.ops import conflicts
from tracker_gui.ui.store import Store


def resolve(
    parent: QWidget, store: Store, error: ConflictError, show_issue: Callable[[int], None]
) -> str | None:
    """Ask what to do with the write `error` interrupted, do it, and return the choice."""
    pending = store.pending_write
    current = error.current
    if pending is not None and (current is None or pending.issue_id != current.id):
        pending = None  # the interrupted write was about another issue

    def key_of(issue_id: int) -> str | None:
        issue = store.issue(issue_id)
        return issue.key if issue is not None else None

    names = (
        {s.id: s.name for s in store.statuses(current.project_id)} if current is not None else {}
    )
    dialog = ConflictDialog(
        error,
        dict(pending.mine) if pending else {},
        parent,
        status_names=names,
        key_of=key_of,
        history=store.history(current.id) if current is not None else (),
    )
    dialog.exec()
    choice = getattr(dialog, "choice", None)
    if choice == "overwrite" and pending is not None:
        conflicts.keep_mine(store, pending)
    elif choice == "merge" and pending is not None and current is not None:
        conflicts.merge(store, pending, dialog.kept())
    elif current is not None:
        store.reload_issue(current.id)
    if current is not None:
        show_issue(current.id)
    return choice
