"""The one place where a service call's error becomes a message: `run` (writes), `read` (reads).

The error tree (tracker_gui.errors) says who fixes what: a UserError is the user's (shown as
it is), a StorageError the environment's (its text carries what to do), a ConflictError is
settled in the window's conflict dialog, and anything else is a bug for the excepthook.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import SignalInstance

from tracker_gui.domain.models import ChangeEvent
from tracker_gui.errors import (
    ConflictError,
    ConnectionFailedError,
    PermissionDeniedError,
    TrackerError,
)
from tracker_gui.services import Services

T = TypeVar("T")
V_co = TypeVar("V_co", covariant=True)  # a result of a Comment may be read as a result of object
OFFLINE_WRITE = (
    "Not saved: Tracker is offline (the database server cannot be reached). "
    "What you entered is kept; save again once it reconnects."
)


@dataclass(frozen=True, slots=True)
class OpResult(Generic[V_co]):
    """How one operation ended: its `value`, or the `message` to show the user.

    `conflict` is set when someone else changed the row first (the window's conflict dialog
    takes over; `message` is empty then); `changes` are the Change rows the write logged.
    """

    value: V_co | None = None
    message: str = ""
    conflict: ConflictError | None = None
    changes: tuple[ChangeEvent, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.message and self.conflict is None


class Host(Protocol):
    """What an operation needs of the store (ui.store.Store is one): the services and the
    signals through which the window hears about failures."""

    services: Services
    offline: bool

    @property
    def errorOccurred(self) -> SignalInstance: ...

    @property
    def conflictOccurred(self) -> SignalInstance: ...

    @property
    def busyChanged(self) -> SignalInstance: ...

    @property
    def connectionLost(self) -> SignalInstance: ...

    def forget_roles(self) -> None: ...


def message_for(exc: TrackerError) -> str:
    """The one-line message a person is shown for an error of the tree."""
    return str(exc)


def file_message(path: str | os.PathLike[str], exc: OSError) -> str:
    """A file that could not be read or written: which, and the system's reason."""
    return f"{os.fspath(path)}: {exc.strerror or exc}"


class Reachable(Protocol):
    """Anything that can tell the window its server is gone (the store)."""

    @property
    def connectionLost(self) -> SignalInstance: ...


def unreachable(host: Reachable, exc: TrackerError) -> None:
    """A server that cannot be reached puts the window offline (ui/connection_monitor.py)."""
    if isinstance(exc, ConnectionFailedError) and exc.unreachable:
        host.connectionLost.emit(str(exc))


def run(host: Host, fn: Callable[[Services], T]) -> OpResult[T]:
    """Run one service write; every failure comes back as a message (and goes to the window).

    A conflict raises the window's conflict flow; a refusal by the database (the login was
    demoted) makes every pane re-read what it may do; an unreachable server goes offline.
    """
    if host.offline:
        host.errorOccurred.emit(OFFLINE_WRITE)
        return OpResult(message=OFFLINE_WRITE)
    changes: list[ChangeEvent] = []
    release = host.services.bus.subscribe(changes.extend)
    host.busyChanged.emit(True)
    try:
        value = fn(host.services)
    except ConflictError as exc:
        host.conflictOccurred.emit(exc)
        return OpResult(conflict=exc)
    except PermissionDeniedError as exc:
        message = message_for(exc)
        host.errorOccurred.emit(message)
        host.forget_roles()  # demoted mid-session: the UI asks again and hides what it must
        return OpResult(message=message)
    except TrackerError as exc:
        unreachable(host, exc)
        message = OFFLINE_WRITE if host.offline else message_for(exc)
        host.errorOccurred.emit(message)
        return OpResult(message=message)
    finally:
        release()
        host.busyChanged.emit(False)
    return OpResult(value, changes=tuple(changes))


def read(host: Host, fn: Callable[[Services], T]) -> OpResult[T]:
    """Run one service read; offline, nothing is read (what is loaded stays on screen)."""
    if host.offline:  # no wait on a dead network
        return OpResult(message=OFFLINE_WRITE)
    try:
        return OpResult(fn(host.services))
    except TrackerError as exc:
        unreachable(host, exc)
        message = message_for(exc)
        host.errorOccurred.emit(message)
        return OpResult(message=message)
