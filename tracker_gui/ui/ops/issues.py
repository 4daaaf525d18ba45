"""Issue writes that take effect at once (the undo commands and conflict resolution use these).

Each records what the user wanted as the host's `pending_write` first: when the write meets a
conflict, the window's dialog shows that as "mine" and can apply it again (ops.conflicts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import Issue, MoveTo, NewIssue, Status
from tracker_gui.errors import ConflictError
from tracker_gui.ui.ops.core import Host, OpResult, run


@dataclass(frozen=True)
class PendingWrite:
    """The write a conflict interrupted: what the user wanted (readable) and how to redo it.

    A move keeps its target (`status_id`, between `after_id` and `before_id`); a multi-card
    drop keeps its `moves` and undo `text`; an edit needs nothing more than `mine`.
    """

    kind: str  # "edit" | "move"
    issue_id: int
    mine: dict[str, Any]
    status_id: int | None = None
    after_id: int | None = None
    before_id: int | None = None
    moves: tuple[MoveTo, ...] = ()
    text: str = ""


class IssueHost(Host, Protocol):
    """What the issue operations need of the store beyond `Host`: a few reads and the
    write a conflict may interrupt."""

    pending_write: PendingWrite | None

    def issue(self, issue_id: int) -> Issue | None: ...

    def issues_by_ids(self, ids: Sequence[int]) -> list[Issue]: ...

    def statuses(self, project_id: int) -> list[Status]: ...

    def status_name(self, project_id: int, status_id: int) -> str: ...

    def status_label(self, status_id: int) -> str: ...


def create(host: Host, new: NewIssue) -> OpResult[Issue]:
    return run(host, lambda s: s.issues.create(new))


def edit_now(
    host: IssueHost, issue_id: int, version: int, changes: dict[str, Any]
) -> OpResult[Issue]:
    host.pending_write = PendingWrite("edit", issue_id, dict(changes))
    return run(host, lambda s: s.issues.edit(issue_id, version, changes))


def move_now(
    host: IssueHost,
    issue_id: int,
    version: int,
    status_id: int,
    after_id: int | None = None,
    before_id: int | None = None,
    exact_rank: str | None = None,
) -> OpResult[Issue]:
    host.pending_write = PendingWrite(
        "move",
        issue_id,
        {"status": host.status_label(status_id)},
        status_id=status_id,
        after_id=after_id,
        before_id=before_id,
    )
    return run(
        host,
        lambda s: s.issues.move(
            issue_id,
            version,
            status_id,
            after_id=after_id,
            before_id=before_id,
            exact_rank=exact_rank,
        ),
    )


def bulk_move_now(host: IssueHost, moves: list[MoveTo], text: str) -> OpResult[list[Issue]]:
    """All or none of `moves` in one transaction (IssueService.bulk_move)."""
    if not moves:
        return OpResult([])
    first = moves[0]
    host.pending_write = PendingWrite(
        "move",
        first.issue_id,
        {"status": host.status_label(first.status_id)},
        status_id=first.status_id,
        moves=tuple(moves),
        text=text,
    )
    return run(host, lambda s: s.issues.bulk_move(moves))


def place(
    host: IssueHost, issue_id: int, status_id: int, rank: str, *, expect_status: int | None = None
) -> OpResult[Issue]:
    """Put an issue back in `status_id` at `rank` (just below its holder if that is taken).

    With `expect_status`, refuse (as a conflict) when the issue is no longer in that status.
    """
    current = host.issue(issue_id)
    if current is None:
        return OpResult(message="the issue no longer exists")
    if expect_status is not None and current.status_id != expect_status:
        return report_conflict(
            host,
            current,
            f"{current.key} was moved by someone else since; it was left where it is",
            kind="move",
            mine={"status": host.status_label(status_id)},
        )
    return move_now(host, issue_id, current.version, status_id, exact_rank=rank)


def report_conflict(
    host: IssueHost, current: Issue, message: str, *, kind: str, mine: dict[str, Any]
) -> OpResult[Issue]:
    """Raise the conflict flow for a write refused before the services were called."""
    target = None
    if kind == "move":
        status = next(
            (s for s in host.statuses(current.project_id) if s.name == mine.get("status")),
            None,
        )
        target = status.id if status else current.status_id
    host.pending_write = PendingWrite(kind, current.id, mine, status_id=target)
    conflict = ConflictError(message, current)
    host.conflictOccurred.emit(conflict)
    return OpResult(conflict=conflict)


def link(host: Host, issue_id: int, kind: LinkKind, other_key: str) -> OpResult[None]:
    return run(host, lambda s: s.issues.link(issue_id, kind, other_key))


def unlink(host: Host, issue_id: int, kind: LinkKind, other_key: str) -> OpResult[None]:
    return run(host, lambda s: s.issues.unlink(issue_id, kind, other_key))


def watch(host: Host, issue_id: int, on: bool) -> OpResult[None]:
    return run(host, lambda s: s.issues.watch(issue_id, on=on))
