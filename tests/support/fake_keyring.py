"""An in-memory keyring backend for tests (set with keyring.set_keyring)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import keyring
from keyring.backend import KeyringBackend

from tracker_gui import credentials


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps its entries in a dict."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@contextlib.contextmanager
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A MemoryKeyring installed for the block; passwords kept for the session are forgotten."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    credentials._session_passwords.clear()
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
        credentials._session_passwords.clear()
