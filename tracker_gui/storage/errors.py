"""Turn driver exceptions into the app's StorageError / ConflictError with a useful hint."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

import peewee

from tracker_gui.errors import PermissionDeniedError, StorageError, UserError, ValidationError


def describe(exc: BaseException, where: str) -> StorageError | UserError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = text.lower()
    if "database is locked" in low or "database table is locked" in low:
        return StorageError(
            f"{where} is locked by another program", "close it or try again in a moment"
        )
    if "disk is full" in low or "no space left" in low:
        return StorageError(f"the disk holding {where} is full", "free some space and try again")
    if "readonly" in low or "read-only" in low:
        return StorageError(f"{where} is read-only", "check the file and folder permissions")
    if "unable to open database" in low:
        return StorageError(f"cannot open {where}", "check that the folder exists and is writable")
    if "malformed" in low or "not a database" in low or "disk i/o error" in low:
        return StorageError(
            f"{where} could not be read or written ({text})",
            "run `tracker-gui check`; restore a backup if it reports damage",
        )
    if 'database "' in low and "does not exist" in low:
        return StorageError(
            f"the database of {where} does not exist", "check the database name in the URL"
        )
    if "password authentication failed" in low:
        return StorageError(f"wrong password for {where}", "check the password in the keychain")
    if "permission denied" in low or "row-level security" in low:
        return PermissionDeniedError(f"not allowed on {where}: {text}")
    if "unique constraint" in low or "duplicate key" in low:
        return ValidationError("unique", f"that already exists ({text})")
    if "connection" in low or "server closed" in low or "could not connect" in low:
        return StorageError(
            f"lost the connection to {where} ({text})", "check the network and the server"
        )
    return StorageError(f"database error on {where}: {text}")


@contextlib.contextmanager
def translated(where: str) -> Iterator[None]:
    """Re-raise driver errors as app errors; app errors pass through untouched."""
    try:
        yield
    except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
        raise describe(exc, where) from exc
    except Exception as exc:
        module = type(exc).__module__ or ""
        if module.startswith("psycopg"):
            raise describe(exc, where) from exc
        raise
