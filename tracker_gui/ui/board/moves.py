"""Board moves: place dragged cards through the store, as one undo step however many cards."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tracker_gui.domain.models import MoveTo
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
    """Perform the placements as one user action; returns how many moved (all or none).

    One card without a lane edit is a plain move. Several (or an edit plus a move) are one
    bulk move: one service call, one transaction, one change set (so others are told of the
    drop once) and one undo step. Versions are the ones the user saw when the drag started:
    a card someone changed meanwhile raises a conflict instead of moving blindly.
    """
    if not placements:
        return 0
    if len(placements) == 1 and not placements[0].edits:
        step = placements[0]
        current = store.issues_by_ids([step.item.id])
        if not current:
            return 0
        issue = dataclasses.replace(current[0], version=step.item.version)
        moved = store.move_issue(issue, step.status_id, step.after_id, step.before_id)
        return 0 if moved is None else 1
    moves = [
        MoveTo(
            p.item.id,
            p.item.version,
            p.status_id,
            after_id=p.after_id,
            before_id=p.before_id,
            edits=p.edits,
        )
        for p in placements
    ]
    done = store.bulk_move(moves, describe(placements, status_name))
    return len(done) if done else 0
