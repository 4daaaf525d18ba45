"""Enumerations shared by every layer; their values are what the database stores."""

from __future__ import annotations

from enum import Enum, IntEnum, StrEnum
from typing import TypeVar

E = TypeVar("E", bound=Enum)


class IssueType(StrEnum):
    TASK = "task"
    BUG = "bug"
    STORY = "story"
    EPIC = "epic"
    SUBTASK = "subtask"


class Priority(IntEnum):
    LOWEST = 1
    LOW = 2
    MEDIUM = 3
    HIGH = 4
    HIGHEST = 5

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Priority:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(p.label for p in cls)
            raise ValueError(f"unknown priority {text!r} (use one of: {names})") from None


class StatusCategory(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class LinkKind(StrEnum):
    BLOCKS = "blocks"
    RELATES = "relates"
    DUPLICATES = "duplicates"


class Role(StrEnum):
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
