"""Board moves: place dragged cards through the store, as one undo step however many cards."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tracker_gui.ui.board.dnd import DraggedIssue
from tracker_gui.ui.store import Store


@dataclass(frozen=True, slots=True)
class Placement:
    """Put `item` in `status_id` between two cards; `edits` (a lane's field) are applied first."""

    item: DraggedIssue
    status_id: int
    after_id: int | None
    before_id: int | None
    edits: tuple[tuple[str, Any], ...] = ()


def describe(placements: Sequence[Placement], status_name: str) -> str:
    """The undo-menu text of a group of moves."""
    first = placements[0]
    moved = first.status_id != first.item.status_id or any(p.edits for p in placements)
    what = first.item.key if len(placements) == 1 else f"{len(placements)} issues"
    return f"Move {what} to {status_name}" if moved else f"Reorder {what}"


def run_moves(store: Store, placements: Sequence[Placement], status_name: str) -> int:
    """Perform the placements in order; stops at the first refusal. Returns how many moved.

    Each store write pushes its own undo command; several (or an edit plus a move) are wrapped
    in one macro so Undo puts the whole drop back. Versions are the ones the user saw when the
    drag started: a card someone changed meanwhile raises a conflict instead of moving blindly.
    """
    if not placements:
        return 0
    current = {i.id: i for i in store.issues_by_ids([p.item.id for p in placements])}
    stack = store.undo_stack
    grouped = len(placements) > 1 or any(p.edits for p in placements)
    if grouped:
        stack.beginMacro(describe(placements, status_name))
    moved = 0
    try:
        for step in placements:
            issue = current.get(step.item.id)
            if issue is None:
                break
            issue = dataclasses.replace(issue, version=step.item.version)
            if step.edits:
                edited = store.edit_issue(issue, dict(step.edits))
                if edited is None:
                    break
                issue = edited
            if store.move_issue(issue, step.status_id, step.after_id, step.before_id) is None:
                break
            moved += 1
    finally:
        if grouped:
            stack.endMacro()
            if moved == 0:  # nothing happened: drop the empty macro from the history
                stack.command(stack.index() - 1).setObsolete(True)
                stack.undo()
    return moved
