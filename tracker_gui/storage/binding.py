"""Which database the table classes use, chosen per thread.

peewee keeps a model's database on the class, so binding the tables for one block
(`bind_ctx`) points every thread at that database meanwhile. With one database open that
never mattered; a team window has two at once: the offline copy it reads on the GUI thread
and the server a sync reads on a worker. So the tables are bound once, to this proxy, and
each thread chooses what the proxy stands for (`Database.bound()`).
"""

from __future__ import annotations

import threading
from typing import Any

import peewee


class PerThread(peewee.DatabaseProxy):
    """A DatabaseProxy whose target is a per-thread setting (None until a thread sets it)."""

    __slots__ = ("_local",)

    def __init__(self) -> None:
        object.__setattr__(self, "_local", threading.local())
        object.__setattr__(self, "_callbacks", [])

    @property
    def obj(self) -> Any:
        return getattr(self._local, "db", None)

    def initialize(self, obj: Any) -> None:
        self._local.db = obj

    def __setattr__(self, attr: str, value: Any) -> None:
        if attr == "obj":
            self._local.db = value
            return
        raise AttributeError("Cannot set attribute on proxy.")


TABLES_DB = PerThread()


def target(database: Any) -> Any:
    """The database a table class's `_meta.database` stands for in this thread."""
    return database.obj if isinstance(database, PerThread) else database
