"""Import peewee without psycopg, and hand psycopg to peewee only when PostgreSQL is opened.

peewee imports psycopg (and with it asyncio) at import time: ~170 ms of every start, or
about a fifth of a `tracker-gui list` on a local file, which never talks to PostgreSQL.
So peewee is imported with psycopg hidden, and `enable_psycopg()` later sets the few
names peewee 4.5 reads from its module (and the adapter's class attributes) exactly as
its own import would have. tests/unit/storage run every PostgreSQL test through it.
"""

from __future__ import annotations

import sys
from typing import Any


def import_peewee_without_psycopg() -> None:
    """Import peewee with `import psycopg` failing, unless psycopg is already loaded."""
    if "peewee" in sys.modules or "psycopg" in sys.modules:
        return
    sys.modules["psycopg"] = None  # type: ignore[assignment]  # makes the import fail
    try:
        import peewee  # noqa: F401
    finally:
        del sys.modules["psycopg"]


def enable_psycopg() -> None:
    """Give peewee the psycopg 3 driver (idempotent); call before opening PostgreSQL."""
    import peewee as loaded

    peewee: Any = loaded  # the stubs do not list the driver globals set below
    if peewee.psycopg is not None:
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    peewee.psycopg = psycopg
    peewee.TransactionStatus = TransactionStatus
    peewee.Json_pg3 = Json
    peewee.Jsonb_pg3 = Jsonb
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN
