"""A sprint (cycle) as every layer reads it, and the rules of its name, dates and states."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from tracker_gui.errors import ValidationError

NAME_MAX = 60
GOAL_MAX = 10_000
# The `sprint:` word and a sprint-id history value that names no sprint one can see.
CURRENT = "current"
NONE = "none"


class SprintState(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Sprint:
    """One sprint; the figures are None until it starts (scope_start) or closes (the rest)."""

    id: int
    project_id: int
    name: str
    start: dt.date
    end: dt.date
    goal: str = ""
    state: SprintState = SprintState.PLANNED
    scope_start: int | None = None
    scope_close: int | None = None
    done_close: int | None = None
    started_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    issues: int = 0  # issues in it now (not archived), where the reader counted them


@dataclass(frozen=True, slots=True)
class Closed:
    """What closing a sprint did: the sprint as closed, where the unfinished issues went."""

    sprint: Sprint
    moved: tuple[str, ...]  # keys of the unfinished issues moved
    carried_to: str | None  # the sprint they went to; None: the backlog


def name(text: str) -> str:
    """A sprint name: one line, 1..60 characters, spaces at the ends dropped."""
    value = str(text).strip()
    if not value:
        raise ValidationError("name", "a sprint needs a name")
    if len(value) > NAME_MAX:
        raise ValidationError("name", f"a sprint name has at most {NAME_MAX} characters")
    if any(ord(c) < 32 for c in value):
        raise ValidationError("name", "a sprint name cannot hold control characters")
    return value


def day(text: str | dt.date, what: str) -> dt.date:
    """A YYYY-MM-DD day (a date passes as it is)."""
    if isinstance(text, dt.date) and not isinstance(text, dt.datetime):
        return text
    try:
        value = dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValidationError(what, f"{what} date {text!r} is not a YYYY-MM-DD day") from None
    if not 1900 <= value.year <= 9999:
        raise ValidationError(what, f"{what} date {text!r} is out of range")
    return value


def span(start: str | dt.date, end: str | dt.date) -> tuple[dt.date, dt.date]:
    first, last = day(start, "start"), day(end, "end")
    if last < first:
        raise ValidationError(
            "end", f"the sprint ends ({last}) before it starts ({first}); both days count"
        )
    return first, last


def goal(text: str) -> str:
    value = str(text or "")
    if len(value) > GOAL_MAX:
        raise ValidationError("goal", f"a sprint goal has at most {GOAL_MAX} characters")
    return value


def moved(old: str | None, new: str | None, names: dict[str, str]) -> str:
    """A `sprint` history row in words: the log holds sprint ids (text), shown by name."""

    def shown(value: str | None) -> str:
        return "the backlog" if value is None else names.get(value, f"sprint #{value}")

    return f"sprint: {shown(old)} -> {shown(new)}"


def same_name(a: str, b: str) -> bool:
    """Names are unique per project whatever their case."""
    return a.casefold() == b.casefold()
