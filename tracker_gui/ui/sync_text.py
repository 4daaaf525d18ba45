"""The words the status bar uses for a replica's sync state ("Synced 12:03", "2 conflicts")."""

from __future__ import annotations

import datetime as dt

from tracker_gui.services.sync_types import SyncStatus

SYNCING = "Syncing…"


def plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def waiting_text(n: int) -> str:
    return plural(n, "change waiting", "changes waiting")


def clock(when: dt.datetime, now: dt.datetime | None = None) -> str:
    """'12:03' in local time today, 'Dec 6, 12:03' on another day (`when` is aware UTC)."""
    local = when.astimezone()
    today = (now or dt.datetime.now(dt.UTC)).astimezone().date()
    if local.date() == today:
        return f"{local:%H:%M}"
    day = f"{local:%b} {local.day}"
    if local.year != today.year:
        day += f" {local.year}"
    return f"{day}, {local:%H:%M}"


def state_text(status: SyncStatus, syncing: bool, now: dt.datetime | None = None) -> str:
    """The state word: "Syncing…", "Offline, 3 changes waiting", "Synced 12:03", ..."""
    if syncing or status.state == "syncing":
        return SYNCING
    waiting = f", {waiting_text(status.waiting)}" if status.waiting else ""
    if status.state == "offline":
        return f"Offline{waiting}"
    if status.state == "never" or status.last_synced is None:
        return f"Not synced yet{waiting}"
    return f"Synced {clock(status.last_synced, now)}{waiting}"


def state_tip(status: SyncStatus, now: dt.datetime | None = None) -> str:
    """The longer story behind the state, for its tooltip."""
    last = clock(status.last_synced, now) if status.last_synced else None
    waiting = waiting_text(status.waiting)
    if status.state == "offline":
        copy = f"the copy from {last}" if last else "this computer's copy"
        kept = f"{waiting}, sent when it is back" if status.waiting else "nothing waiting"
        return f"The server cannot be reached: showing {copy}; {kept}."
    if status.state == "never" or last is None:
        return "This copy of the team database has not reached the server yet."
    if status.waiting:
        return f"Up to date with the server as of {last}; {waiting} for the next sync."
    return f"Everything you changed is on the server (last sync {last})."


def entries_text(status: SyncStatus) -> str:
    """ "2 conflicts", "1 conflict, 1 refused", "1 refused"; "" when there is nothing to settle."""
    parts = []
    if status.conflicts:
        parts.append(plural(status.conflicts, "conflict", "conflicts"))
    if status.refused:
        parts.append(f"{status.refused:,} refused")
    return ", ".join(parts)
