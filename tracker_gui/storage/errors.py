"""Turn driver exceptions into the app's StorageError / ConflictError with a useful hint."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

import peewee

from tracker_gui.errors import (
    ConnectionFailedError,
    ConnectionLostError,
    PermissionDeniedError,
    StorageError,
    TransitionError,
    UserError,
    ValidationError,
)

# libpq words for failures that come before any SQLSTATE exists (no server answer yet).
_NO_HOST = ("could not translate host name", "name or service not known", "nodename nor servname")
_REFUSED = ("connection refused", "no such file or directory", "could not connect to server")
_TIMEOUT = ("timeout expired", "timed out")
_SSL = ("certificate", "ssl", "tls")
_LOST = (
    "server closed the connection",
    "terminating connection",
    "connection is closed",
    "connection is lost",
    "consuming input failed",
    "connection not open",
    "connection already closed",
    "the database system is shutting down",
    "the database system is starting up",
    "broken pipe",
    "connection reset",
    "ssl syscall error",
)
_LOST_STATES = ("57P01", "57P02", "57P03", "08000", "08003", "08006")


def _driver_error(exc: BaseException) -> BaseException:
    """The psycopg error under peewee's wrapper (which keeps it as its first argument)."""
    for inner in (exc.args[0] if exc.args else None, exc.__cause__, exc.__context__):
        if isinstance(inner, BaseException) and type(inner).__module__.startswith("psycopg"):
            return inner
    return exc


def _connection_error(exc: BaseException, where: str) -> StorageError | None:
    """Tell the ways of not reaching PostgreSQL apart, by SQLSTATE first and libpq's words next."""
    inner = _driver_error(exc)
    if not type(inner).__module__.startswith("psycopg"):
        return None
    state = str(getattr(inner, "sqlstate", None) or "")
    full = " ".join(str(inner).split())
    low = full.lower()
    if state == "42501" or "permission denied" in low or "row-level security" in low:
        first = full.split(" CONTEXT:")[0]
        if first.lower().startswith("permission denied: "):  # our own triggers say why
            return PermissionDeniedError(
                f"not allowed on {where}: {first[len('permission denied: ') :]}",
                "ask a project admin",
            )
        return PermissionDeniedError(
            f"your login may not do this on {where}",
            "your role in this project may have changed; ask a project admin",
        )
    if state == "28P01" or "password authentication failed" in low:
        return ConnectionFailedError(
            f"wrong password for {where}", "check the password and try again", "password"
        )
    if "no password supplied" in low or "password is required" in low:
        return ConnectionFailedError(
            f"{where} needs a password", "enter your password and try again", "password"
        )
    if "role" in low and "does not exist" in low:
        return ConnectionFailedError(
            f"there is no login of that name on {where}",
            "check the user name, or ask the database admin to create your login",
            "role",
        )
    if state == "3D000" or ('database "' in low and "does not exist" in low):
        return ConnectionFailedError(
            f"the database of {where} does not exist", "check the database name", "database"
        )
    if "pg_hba.conf" in low:
        return ConnectionFailedError(
            f"the server does not accept this connection to {where}",
            "ask the database admin to allow your login from this computer, or try sslmode require",
            "hba",
        )
    if any(w in low for w in _NO_HOST):
        return ConnectionFailedError(
            f"cannot find the server of {where}",
            "check the host name and your network connection",
            "host",
        )
    if state in _LOST_STATES or any(w in low for w in _LOST):
        return ConnectionLostError(
            f"lost the connection to {where}", "Tracker reconnects by itself when it can"
        )
    if any(w in low for w in _TIMEOUT):
        return ConnectionFailedError(
            f"the server of {where} did not answer in time",
            "check the network, VPN or firewall, then try again",
            "timeout",
        )
    if "does not match host name" in low:
        return ConnectionFailedError(
            f"the certificate of {where} is issued to another host name",
            "connect by the name the certificate shows (not its address); ask the database admin",
            "ssl",
        )
    if "certificate verify failed" in low:
        return ConnectionFailedError(
            f"the certificate of {where} is not signed by the CA you chose",
            "check the CA file, or ask the database admin for the right one",
            "ssl",
        )
    if "does not support ssl" in low:
        return ConnectionFailedError(
            f"the server of {where} does not offer an encrypted connection",
            "choose sslmode prefer, or ask the database admin to turn on SSL",
            "ssl",
        )
    if any(w in low for w in _SSL) and ("connection" in low or "failed" in low):
        return ConnectionFailedError(
            f"the encrypted connection to {where} failed ({full[:160]})",
            "check the sslmode and the CA file",
            "ssl",
        )
    if any(w in low for w in _REFUSED):
        return ConnectionFailedError(
            f"the server of {where} is not accepting connections",
            "it may be down, or the port is wrong; try again later",
            "refused",
        )
    return None


def _timeout_error(exc: BaseException, where: str) -> StorageError | None:
    """lock_timeout / statement_timeout ran out (storage.database sets both on connect)."""
    state = str(getattr(_driver_error(exc), "sqlstate", None) or "")
    if state == "55P03":
        return StorageError(
            f"the database is busy: another session holds a lock on {where} that this"
            " change or read needs",
            "try again in a moment; if it persists, ask the database admin to end the"
            " session holding the lock (pg_stat_activity)",
        )
    if state == "57014":
        return StorageError(
            f"the query took too long on {where} and was stopped",
            "try again, or narrow the filter; if it keeps happening, ask the database admin",
        )
    return None


def describe(exc: BaseException, where: str) -> StorageError | UserError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = text.lower()
    known = _timeout_error(exc, where) or _connection_error(exc, where)
    if known is not None:
        return known
    if low.startswith("workflow: "):  # a secured server's workflow trigger refused the move
        return TransitionError(text[len("workflow: ") :].split(" CONTEXT:")[0])
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
