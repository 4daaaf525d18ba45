"""History lines for time tracking's Change rows (`logged`, `remaining`): an issue's own
history says them without its key ("logged 1h30m"); the activity pane names the issue, in the
same words ("logged 1h30m on TRK-4", ui/models/activity_model.py)."""

from __future__ import annotations

from tracker_gui.domain.durations import hours_minutes

FIELDS = frozenset({"logged", "remaining"})


def describe(field: str, old: str | None, new: str | None, key: str | None = None) -> str:
    """The sentence without the actor; `field` is one of FIELDS."""
    if field == "logged":
        if new is not None:
            return f"logged {hours_minutes(new)}" + (f" on {key}" if key else "")
        return f"removed {hours_minutes(old)} of logged time" + (f" from {key}" if key else "")
    on = f" on {key}" if key else ""
    if new is None:
        return f"cleared the time remaining{on}"
    return f"set the time remaining{on} to {hours_minutes(new)}"
