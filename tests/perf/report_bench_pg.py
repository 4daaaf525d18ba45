"""report_bench.py on PostgreSQL: copies the seeded SQLite bench file into a migrated database
(COPY, so 1,000,000 Change rows take seconds), or starts a throwaway cluster for it."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg

from tests.support.pgcluster import PgCluster
from tracker_gui.storage.database import open_database

EPOCH = dt.datetime(1970, 1, 1)


@contextlib.contextmanager
def throwaway_database() -> Iterator[str]:
    """A migrated database on a cluster that lives for the block (TRACKER_PG_BINDIR or the
    system's server binaries)."""
    with PgCluster(durable=False) as cluster:
        url = cluster.create_database("report_bench")
        open_database(url, create=True).close()
        yield url


def seed_postgres(url: str, source: Path) -> None:
    """Fill the database at `url` (migrated; its project, status, user, issue and change rows
    are replaced) with exactly the rows of the SQLite bench file."""
    lite = sqlite3.connect(source)
    tables = {
        "app_user": "id, username, display_name, email, created_at",
        "project": "id, key, name, description, next_number, archived, created_at",
        "status": "id, project_id, name, category, position, wip_limit, colour",
        "issue": "id, uid, project_id, number, type, title, description, status_id, priority,"
        " reporter_id, rank, created_at, updated_at, version, archived",
        "change": "id, project_id, issue_id, actor, at, field, old, new",
    }
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")  # no triggers while copying
        conn.execute('TRUNCATE "change", issue, status, project, app_user CASCADE')
        for table, columns in tables.items():
            rows = lite.execute(f'SELECT {columns} FROM "{table}"')
            with conn.cursor().copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(_pg_row(table, columns, row))
        for table in tables:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                f' (SELECT MAX(id) FROM "{table}"))'
            )
        conn.execute("VACUUM ANALYZE")  # as autovacuum leaves a table that has settled
    lite.close()


def _pg_row(table: str, columns: str, row: tuple[object, ...]) -> tuple[object, ...]:
    names = [c.strip() for c in columns.split(",")]
    out: list[object] = []
    for name, value in zip(names, row, strict=True):
        if name in ("created_at", "updated_at", "at") and isinstance(value, int):
            out.append(EPOCH + dt.timedelta(microseconds=value))
        else:
            out.append(bool(value) if name == "archived" else value)
    return tuple(out)
