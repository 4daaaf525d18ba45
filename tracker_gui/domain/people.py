"""How a person is shown: the login, with the display name they chose beside it.

A login is unique and made by the database admin; a display name is whatever its owner typed
(anyone may call themselves "Alice Smith"). So a person always appears with their login:
"Alice Smith (alice)", or "alice" alone when no other name is set. Initials come from the login
too. @mentions, `--assignee` and JSON keep using the bare login.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol


class Named(Protocol):
    """A person as the models hold one (domain.models.User, which imports this module)."""

    @property
    def username(self) -> str: ...

    @property
    def display_name(self) -> str: ...


NAME_SHOWN_MAX = 40  # a long display name must not push the login out of sight


def shown(login: str, display_name: str | None = "") -> str:
    """ "Alice Smith (alice)", or the login alone when the display name is empty or the same."""
    name = " ".join((display_name or "").split())  # one line, whatever was typed
    if not name or name == login:
        return login
    if len(name) > NAME_SHOWN_MAX:
        name = name[: NAME_SHOWN_MAX - 1].rstrip() + "…"
    return f"{name} ({login})"


def user_shown(user: Named) -> str:
    return shown(user.username, user.display_name)


def initials(login: str) -> str:
    """Two letters of the login: "alice.smith" -> "AS", "alice" -> "AL"."""
    parts = [p for p in re.split(r"[._\-\s@]+", login) if p]
    if len(parts) >= 2:
        return (parts[0][0] + parts[1][0]).upper()
    return login[:2].upper()


class People:
    """Logins to how they are shown, from a list of users; an unknown login shows as itself."""

    def __init__(self, users: Iterable[Named] = ()) -> None:
        self._names = {u.username: u.display_name for u in users}

    def shown(self, login: str | None) -> str:
        return shown(login, self._names.get(login, "")) if login else ""
