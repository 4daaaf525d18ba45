"""A SyncEngine for GUI tests that behaves like a replica's: settling an entry removes it and
keeps the chosen value, a sync sends what waits, a gate holds sync() to watch "Syncing…"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Iterable

from tracker_gui.domain.models import Issue
from tracker_gui.errors import NotFoundError, ValidationError
from tracker_gui.services.sync_types import (
    ConflictEntry,
    Keep,
    SyncReport,
    SyncState,
    SyncStatus,
)

# 12:03 UTC on the day it is now one hour east of UTC (the status bar tests' zone, CET-1):
# the bar shows only the time for a sync made today, so the day must be today there.
NOON = dt.datetime.combine(
    (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).date(), dt.time(12, 3), tzinfo=dt.UTC
)


@dataclasses.dataclass(frozen=True, slots=True)
class OfflineIssue(Issue):
    """An issue as a replica holds it before its first push: the key the engine gave it."""

    @property
    def key(self) -> str:
        return f"{self.project_key}-~{self.number}"


def offline(issue: Issue) -> OfflineIssue:
    """`issue` as it looks made offline (its provisional key, TRK-~n)."""
    fields = {f.name: getattr(issue, f.name) for f in dataclasses.fields(Issue)}
    return OfflineIssue(**fields)


def conflict(
    entry_id: int,
    key: str = "TRK-1",
    field: str = "title",
    *,
    base: object = "Fix login",
    mine: object = "Fix the login page",
    theirs: object = "Fix login on Safari",
    by: str = "bob",
    at: dt.datetime = NOON - dt.timedelta(minutes=2),
) -> ConflictEntry:
    return ConflictEntry(entry_id, key, field, base, mine, theirs, by, at, "conflict", "")


def refusal(
    entry_id: int,
    key: str = "TRK-2",
    field: str | None = "status",
    *,
    mine: object = "Done",
    theirs: object = "In Progress",
    message: str = "viewers cannot change issues in TRK",
) -> ConflictEntry:
    return ConflictEntry(entry_id, key, field, mine, mine, theirs, None, None, "refused", message)


class FakeEngine:
    """Thread-safe like the real one: sync() runs on the window's worker thread."""

    def __init__(
        self,
        entries: Iterable[ConflictEntry] = (),
        *,
        state: SyncState = "synced",
        last_synced: dt.datetime | None = NOON,
        waiting: int = 0,
    ) -> None:
        self._lock = threading.Lock()
        self._entries = list(entries)
        self.state: SyncState = state
        self.last_synced = last_synced
        self.waiting = waiting
        self.kept: dict[tuple[str, str | None], object] = {}  # what the replica now holds
        self.syncs = 0
        self.gate: threading.Event | None = None  # set: sync() waits until the test opens it
        self.started = threading.Event()  # sync() began (the worker is inside it)
        self.online_after_sync = True
        self.arrive_on_sync: list[ConflictEntry] = []  # entries the next sync finds
        self.synced_at = NOON + dt.timedelta(minutes=5)

    # -- the protocol --------------------------------------------------------------------
    def status(self) -> SyncStatus:
        with self._lock:
            conflicts = sum(1 for e in self._entries if e.kind == "conflict")
            return SyncStatus(
                self.state,
                self.last_synced,
                self.waiting,
                conflicts,
                len(self._entries) - conflicts,
            )

    def conflicts(self) -> list[ConflictEntry]:
        with self._lock:
            return list(self._entries)

    def sync(self) -> SyncReport:
        self.started.set()
        if self.gate is not None and not self.gate.wait(10):
            raise TimeoutError("the test never opened the gate")
        with self._lock:
            self.syncs += 1
            if not self.online_after_sync:
                self.state = "offline"
                return SyncReport(0, 0, 0, 0, self.waiting, True)
            pushed, self.waiting = self.waiting, 0
            fresh = [e for e in self.arrive_on_sync if e not in self._entries]
            self._entries += fresh
            self.arrive_on_sync = []
            self.state, self.last_synced = "synced", self.synced_at
            conflicts = sum(1 for e in fresh if e.kind == "conflict")
            return SyncReport(pushed, 3, conflicts, len(fresh) - conflicts, 0, False)

    def resolve(
        self,
        entry_id: int,
        *,
        keep: Keep | None = None,
        value: str | None = None,
        dismiss: bool = False,
    ) -> None:
        with self._lock:
            entry = next((e for e in self._entries if e.id == entry_id), None)
            if entry is None:
                raise NotFoundError(f"no conflict {entry_id}")
            if dismiss != (entry.kind == "refused"):
                raise ValidationError(
                    "dismiss", "only a refusal is dismissed; a conflict is kept or edited"
                )
            if not dismiss and (keep is None) == (value is None):
                raise ValidationError("keep", "say --keep mine|theirs or --value")
            self._entries.remove(entry)
            where = (entry.key, entry.field)
            if dismiss or keep == "theirs":
                self.kept[where] = entry.theirs
                return
            self.kept[where] = entry.mine if keep == "mine" else value
            self.waiting += 1  # the value kept goes to the server at the next push
