"""A multi-card drop (or its undo) as one action: every placement in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from tracker_gui.domain.models import Issue, MoveTo


class Placer(Protocol):
    """What a drop needs of the issue service (services.issues.IssueService, which calls this
    module: a protocol, not an import of it)."""

    def _action(self) -> AbstractContextManager[None]: ...

    def edit(self, issue_id: int, expected_version: int, changes: Mapping[str, Any]) -> Issue: ...

    def move(
        self,
        issue_id: int,
        expected_version: int,
        status_id: int | None = None,
        *,
        after_id: int | None = None,
        before_id: int | None = None,
        exact_rank: str | None = None,
    ) -> Issue: ...


def place_all(service: Placer, moves: Sequence[MoveTo]) -> list[Issue]:
    """Apply each move in order (lane edits, then the move) inside one action.

    Each step reads what the earlier ones wrote (same transaction), so a card placed
    "after" the one dropped before it lands there; any refusal or conflict rolls back all.
    Returns the issues as they end up, in the order given.
    """
    done: list[Issue] = []
    with service._action():
        for step in moves:
            version = step.version
            if step.edits:
                version = service.edit(step.issue_id, version, dict(step.edits)).version
            moved = service.move(
                step.issue_id,
                version,
                step.status_id,
                after_id=step.after_id,
                before_id=step.before_id,
                exact_rank=step.exact_rank,
            )
            done.append(moved)
    return done
