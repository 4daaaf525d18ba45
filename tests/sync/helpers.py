"""What the sync tests share: a canonical dump of what a login reads, and engines per client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.attacks import PASSWORD
from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured
from tracker_gui.services.sync import SyncService
from tracker_gui.storage.database import Database, open_database
from tracker_gui.storage.replica import copy

# Columns the replica keeps as the server has them, but whose text differs by backend only.
_SKIP_TABLES = ("attachment",)


def canonical(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every Tracker table `database` shows (through its login's rights on a
    server), values as the replica stores them, sorted: equal dumps = equal contents."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with database.reading():
        for model in copy.ORDER:
            if copy.table(model) in _SKIP_TABLES:
                continue
            rows = copy.read(database, model)
            times = copy.timestamps(model)
            out[copy.table(model)] = sorted(
                (tuple(_norm(copy.stored(v, t)) for v, t in zip(r, times, strict=True))
                 for r in rows),
                key=repr,
            )  # fmt: skip
    return out


def _norm(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == " ":
        return value[:26].ljust(26, "0") if "." in value else value + ".000000"
    return value


def tcp_url(db: Secured, who: str) -> str:
    cluster = db.cluster
    assert isinstance(cluster, TcpCluster)
    return cluster.tcp_url(db.name, db.logins[who])


def engine(db: Secured, who: str, folder: Path) -> SyncService:
    """`who`'s sync engine with its replica under `folder` (its own data folder)."""
    return SyncService(tcp_url(db, who), password=PASSWORD, folder=folder)


def server_view(db: Secured, who: str) -> dict[str, list[tuple[Any, ...]]]:
    """The canonical dump of the server as `who` reads it."""
    database = open_database(tcp_url(db, who), password=PASSWORD)
    try:
        return canonical(database)
    finally:
        database.close()


def replica_view(sync: SyncService) -> dict[str, list[tuple[Any, ...]]]:
    database = sync.open_replica()
    try:
        return canonical(database)
    finally:
        database.close()
