"""What offline team mode (a replica, its outbox and sync) tells the window and the CLI.

The sync engine (services) and the window (ui) meet here: the window shows a `SyncStatus` in the
status bar and lists `ConflictEntry` rows in the Conflicts pane, and asks the engine to sync or to
settle an entry through the `SyncEngine` protocol. Nothing here touches a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

SyncState = Literal["synced", "syncing", "offline", "never"]
EntryKind = Literal["conflict", "refused"]
Keep = Literal["mine", "theirs"]


@dataclass(frozen=True)
class SyncStatus:
    """Where a replica stands: what the status bar says ("Synced 12:03", "Offline, 3 changes
    waiting", "2 conflicts")."""

    state: SyncState
    last_synced: datetime | None  # the last pull that reached the server (UTC, aware)
    waiting: int  # queued changes not yet on the server
    conflicts: int  # entries of kind "conflict" not yet settled
    refused: int  # entries of kind "refused" not yet dismissed


@dataclass(frozen=True)
class SyncReport:
    """One sync run: what `tracker-gui sync` prints (`synced: pushed N, pulled M, conflicts K,
    refused R`) and its JSON (`pushed`, `pulled`, `conflicts`, `refused`, `waiting`, `offline`)."""

    pushed: int
    pulled: int
    conflicts: int
    refused: int
    waiting: int
    offline: bool


@dataclass(frozen=True)
class ConflictEntry:
    """A queued change the server did not take as it was: a conflict (the server's value moved
    away from the base) or a refusal (with the server's own message). Field names and values are
    as `show --format json` names them; a refused create has `field` None."""

    id: int
    key: str
    field: str | None
    base: object
    mine: object
    theirs: object
    theirs_by: str | None
    theirs_at: datetime | None
    kind: EntryKind
    message: str


class SyncEngine(Protocol):
    """What the window needs from the engine behind a replica."""

    def status(self) -> SyncStatus: ...

    def conflicts(self) -> list[ConflictEntry]: ...

    def sync(self) -> SyncReport: ...

    def resolve(
        self,
        entry_id: int,
        *,
        keep: Keep | None = None,
        value: str | None = None,
        dismiss: bool = False,
    ) -> None:
        """Settle one entry: keep mine or theirs, or keep an edited `value` (a conflict), or
        dismiss (a refusal). Offline, the resolution is queued like any other change."""
        ...
