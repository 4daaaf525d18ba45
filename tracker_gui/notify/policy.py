"""Who hears about a status change, and how a burst of them becomes one notification."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

RELATIONS = ("reporter", "assignee", "watcher")
BURST_WINDOW_S = 0.4  # changes arriving this close together are told as one burst
KEYS_IN_SUMMARY = 5


@dataclass(frozen=True, slots=True)
class Prefs:
    """The user's notification preferences (Settings `notify/*`)."""

    enabled: bool = True
    relations: frozenset[str] = frozenset(RELATIONS)
    statuses: frozenset[str] = frozenset()  # target status names; empty means every status
    quiet_when_focused: bool = False


@dataclass(frozen=True, slots=True)
class StatusMove:
    """One status change made elsewhere, with how the current user is involved in the issue."""

    change_id: int
    issue_id: int
    key: str
    title: str
    actor: str
    status: str
    relations: frozenset[str]


@dataclass(frozen=True, slots=True)
class Note:
    """One notification: what the OS shows, and the issue a click opens (None: just raise)."""

    summary: str
    body: str
    issue_id: int | None = None
    kind: str = "status"  # "status" | "batch" | "due"
    issue_ids: tuple[int, ...] = field(default_factory=tuple)


def relations_of(
    me: str, reporter: str | None, assignee: str | None, watching: bool
) -> frozenset[str]:
    """How `me` is involved in an issue: reporter, assignee and/or watcher."""
    found = set()
    if reporter == me:
        found.add("reporter")
    if assignee == me:
        found.add("assignee")
    if watching:
        found.add("watcher")
    return frozenset(found)


def wanted(move: StatusMove, prefs: Prefs, *, focused: bool = False) -> bool:
    """Whether the preferences let this move notify."""
    if not prefs.enabled or (focused and prefs.quiet_when_focused):
        return False
    if not move.relations & prefs.relations:
        return False
    if prefs.statuses:
        return move.status.casefold() in {s.casefold() for s in prefs.statuses}
    return True


def latest_per_issue(moves: Iterable[StatusMove]) -> list[StatusMove]:
    """An issue moved twice in a burst is told once, with where it ended up."""
    last: dict[int, StatusMove] = {}
    for move in sorted(moves, key=lambda m: m.change_id):
        last.pop(move.issue_id, None)
        last[move.issue_id] = move
    return list(last.values())


def _who(moves: Sequence[StatusMove]) -> str:
    actors = list(dict.fromkeys(m.actor for m in moves))
    if len(actors) <= 2:
        return " and ".join(actors)
    return f"{actors[0]}, {actors[1]} and {len(actors) - 2} more"


def compose(moves: Iterable[StatusMove]) -> list[Note]:
    """One notification for one issue; one summary for a burst of several."""
    final = latest_per_issue(moves)
    if not final:
        return []
    if len(final) == 1:
        move = final[0]
        return [
            Note(
                summary=f"{move.key} moved to {move.status}",
                body=f"{move.actor} moved “{move.title}”",
                issue_id=move.issue_id,
                issue_ids=(move.issue_id,),
            )
        ]
    keys = [m.key for m in final]
    shown = ", ".join(keys[:KEYS_IN_SUMMARY])
    if len(keys) > KEYS_IN_SUMMARY:
        shown += f" and {len(keys) - KEYS_IN_SUMMARY} more"
    targets = list(dict.fromkeys(m.status for m in final))
    where = f" to {targets[0]}" if len(targets) == 1 else ""
    return [
        Note(
            summary=f"{len(final)} issues changed status",
            body=f"{_who(final)} moved {shown}{where}",
            issue_id=None,
            kind="batch",
            issue_ids=tuple(m.issue_id for m in final),
        )
    ]


class ToldSets:
    """Change sets already handed on (bounded): a set is told once, whole.

    A transaction's rows commit together, so once one row of a change set is seen all of
    them can be read; rows of that set that a later read brings are then skipped.
    """

    def __init__(self, keep: int = 2000) -> None:
        self._keep = keep
        self._told: dict[str, None] = {}

    def new_sets(self, change_sets: Iterable[str | None]) -> list[str]:
        """The sets among these not told yet (in first-seen order); marks them told."""
        fresh = [cs for cs in dict.fromkeys(change_sets) if cs and cs not in self._told]
        for cs in fresh:
            self._told[cs] = None
        while len(self._told) > self._keep:
            del self._told[next(iter(self._told))]
        return fresh


class Batcher:
    """Collects moves for BURST_WINDOW_S after the first one, then hands out the notes.

    Whole change sets come in at once (the bridge reads a set's rows together), so the
    window only joins separate actions that arrive close together. It starts at the first
    move (it does not slide), so a steady trickle of changes is still told within about
    `window` seconds. `clock` is injectable for tests.
    """

    def __init__(
        self, window: float = BURST_WINDOW_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.window = window
        self._clock = clock
        self._pending: list[StatusMove] = []
        self._since: float | None = None

    def add(self, moves: Iterable[StatusMove]) -> None:
        added = list(moves)
        if added and self._since is None:
            self._since = self._clock()
        self._pending.extend(added)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def remaining(self) -> float:
        """Seconds until the burst is due (0 when due or empty)."""
        if self._since is None:
            return 0.0
        return max(0.0, self._since + self.window - self._clock())

    def ready(self) -> bool:
        return self._since is not None and self.remaining() == 0.0

    def take(self) -> list[Note]:
        """The notes of everything collected (whether or not the window has passed)."""
        notes = compose(self._pending)
        self._pending = []
        self._since = None
        return notes
