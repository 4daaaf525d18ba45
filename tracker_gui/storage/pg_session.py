"""A PostgreSQL connection whose BEGIN carries the transaction's settings in the same round trip.

Every user action on a secured database opens with `set_config('tracker.change_set', ...)`
(and a push of a queued action with the replica and op id): the history triggers' column
DEFAULTs read them. Sent on their own they cost a round trip per action; sent after BEGIN in
one simple-protocol query (psycopg uses it for a statement without parameters, and then
allows several) they cost nothing. The values are UUIDs, checked and written as literals: a
value that is not one is left to the parametrised statement instead.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import peewee

# peewee's translation of driver errors into its own (the stubs do not list it).
_ERRORS: Any = vars(peewee)["__exception_wrapper__"]


def _canonical(value: str | None) -> str | None:
    """The UUID's canonical text, or None when `value` is not a UUID (never a literal then)."""
    if not value:
        return ""
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return None
    return value if str(parsed) == value else None


def settings_sql(change_set: str, origin: str | None, op_id: str | None) -> str | None:
    """`SELECT set_config(...)` of one action's settings as literals; None if any is not a UUID."""
    values = [_canonical(change_set), _canonical(origin), _canonical(op_id)]
    if any(v is None for v in values) or not values[0]:
        return None
    parts = [f"set_config('tracker.change_set', '{values[0]}', true)"]
    if origin or op_id:
        parts.append(f"set_config('tracker.origin', '{values[1]}', true)")
        parts.append(f"set_config('tracker.op_id', '{values[2]}', true)")
    return "SELECT " + ", ".join(parts)


class PgDatabase(peewee.PostgresqlDatabase):
    """peewee's PostgreSQL database; `arm` makes the next BEGIN on this thread carry settings."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._armed = threading.local()

    def arm(self, settings: str | None) -> None:
        self._armed.sql, self._armed.sent = settings, False

    def disarm(self) -> bool:
        """Forget the armed settings; True when a BEGIN has sent them."""
        sent = bool(getattr(self._armed, "sent", False))
        self._armed.sql, self._armed.sent = None, False
        return sent

    def carried(self) -> bool:
        return bool(getattr(self._armed, "sent", False))

    def begin(self, isolation_level: Any = None) -> None:
        settings = getattr(self._armed, "sql", None)
        if settings is None or isolation_level is not None or vars(self).get("_isolation_level"):
            super().begin(isolation_level)
            return
        self._armed.sql = None
        with _ERRORS:
            self.cursor().execute(f"BEGIN; {settings}")
        self._armed.sent = True
