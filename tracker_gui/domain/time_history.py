"""History lines for time tracking's Change rows (`logged`, `remaining`), for the activity
pane (`key` given: "logged 1h30m on TRK-4") and an issue's own history (no key)."""

from __future__ import annotations

from tracker_gui.domain.durations import hours_minutes

FIELDS = frozenset({"logged", "remaining"})


def describe(field: str, old: str | None, new: str | None, key: str | None = None) -> str:
    """The sentence without the actor; `field` is one of FIELDS."""
    if field == "logged":
        if new is not None:
            return f"logged {hours_minutes(new)}" + (f" on {key}" if key else "")
        return f"removed {hours_minutes(old)} logged" + (f" on {key}" if key else "")
    of = f" of {key}" if key else ""
    if new is None:
        return f"cleared the remaining time{of}"
    return f"set the remaining time{of} to {hours_minutes(new)}"
