"""Enumerations shared by every layer; their values are what the database stores.

A value read back that the app did not write (a row changed with raw SQL, a newer version's
type) becomes a stand-in member named UNKNOWN by `stored()`: it keeps the value, is not
`known`, and its `label` says "unknown (99)", so lists and the board show it instead of
failing. Lookups by value (`Priority(99)`, `parse_enum`) still refuse it.
"""

from __future__ import annotations

from enum import Enum, IntEnum, StrEnum
from typing import Any, TypeVar, cast

E = TypeVar("E", bound=Enum)


class _Stored:
    """What every stored enum offers: whether the value is one of its members, and a label."""

    _name_: str
    _value_: Any

    @property
    def known(self) -> bool:
        members: Any = type(self)
        return self._name_ in members.__members__

    @property
    def label(self) -> str:
        """How a person reads it: the lower-case name, or "unknown (value)"."""
        return self._name_.lower() if self.known else f"unknown ({self._value_})"


class IssueType(_Stored, StrEnum):
    TASK = "task"
    BUG = "bug"
    STORY = "story"
    EPIC = "epic"
    SUBTASK = "subtask"


class Priority(_Stored, IntEnum):
    LOWEST = 1
    LOW = 2
    MEDIUM = 3
    HIGH = 4
    HIGHEST = 5

    @classmethod
    def parse(cls, text: str) -> Priority:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(p.label for p in cls)
            raise ValueError(f"unknown priority {text!r} (use one of: {names})") from None


class StatusCategory(_Stored, StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"


# The words the window shows for each category (status pickers, filters, settings).
CATEGORY_LABELS = {
    StatusCategory.TODO: "To do",
    StatusCategory.IN_PROGRESS: "In progress",
    StatusCategory.DONE: "Done",
}


class LinkKind(_Stored, StrEnum):
    BLOCKS = "blocks"
    RELATES = "relates"
    DUPLICATES = "duplicates"


class Role(_Stored, StrEnum):
    VIEWER = "viewer"
    MEMBER = "member"
    ADMIN = "admin"


ROLE_RANK = {Role.VIEWER: 1, Role.MEMBER: 2, Role.ADMIN: 3}


def parse_enum(cls: type[E], text: str, what: str) -> E:
    """Look an enum member up by value, with an error that lists the choices."""
    try:
        return cls(text.strip().lower())
    except ValueError:
        choices = ", ".join(str(m.value) for m in cls)
        raise ValueError(f"unknown {what} {text!r} (use one of: {choices})") from None


_STAND_INS: dict[tuple[type[Enum], object], Enum] = {}


def stored(cls: type[E], value: object) -> E:
    """A value read from the database as its member, or as an UNKNOWN stand-in keeping it."""
    try:
        return cls(value)
    except ValueError:
        pass
    key = (cls, value)
    found: Any = _STAND_INS.get(key)
    if found is None:
        # Built past the enum's own constructor, which refuses the value (that is the point).
        target: Any = cls
        if issubclass(cls, IntEnum):  # sorts as its number; a non-number (SQLite allows one) first
            found = int.__new__(target, value if isinstance(value, int) else 0)
        else:
            found = str.__new__(target, str(value))
        found._name_ = "UNKNOWN"
        found._value_ = value
        _STAND_INS[key] = found
    return cast(E, found)
