"""The error tree: user errors are the user's to fix, storage errors the environment's."""

from __future__ import annotations

from typing import Any


class TrackerError(Exception):
    """Base of every error the app raises on purpose."""


class UserError(TrackerError):
    """Bad input or a forbidden action: shown inline, the user can fix it."""


class ValidationError(UserError):
    """A field value breaks a rule; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(UserError):
    """The named project, issue, status or user does not exist (or is not visible)."""


class TransitionError(UserError):
    """The workflow does not allow this status change."""


class ConflictError(UserError):
    """Someone else changed (or removed) the row since it was read.

    `current` holds the row as it is now, or None when it is gone.
    """

    def __init__(self, message: str, current: Any = None) -> None:
        super().__init__(message)
        self.current = current


class StorageError(TrackerError):
    """The environment failed: locked, full, unreachable, corrupt. `hint` says what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base} ({self.hint})" if self.hint else base


class NotADatabaseError(StorageError):
    """The file exists but is not a SQLite database; it is never written."""


class ForeignDatabaseError(NotADatabaseError):
    """A file or database that belongs to another program; nothing in it was changed."""


class PermissionDeniedError(StorageError):
    """The database refused the action for this login."""


class ConnectionFailedError(StorageError):
    """No session with the database server; `reason` says which known cause it was.

    Reasons: password, role, database, host, refused, timeout, ssl, hba, lost, other.
    """

    UNREACHABLE = frozenset({"host", "refused", "timeout", "lost"})

    def __init__(self, message: str, hint: str = "", reason: str = "other") -> None:
        super().__init__(message, hint)
        self.reason = reason

    @property
    def unreachable(self) -> bool:
        """The server could not be reached (it may come back): the app goes offline."""
        return self.reason in self.UNREACHABLE


class ConnectionLostError(ConnectionFailedError):
    """The server went away mid-session (terminated, restarted, network gone)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message, hint, "lost")
