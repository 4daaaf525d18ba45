"""A lock someone holds or a runaway query ends in a plain StorageError, never a hang."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.e2e.helpers import assert_one_line_error, run_process
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.errors import StorageError
from tracker_gui.storage import database as database_module
from tracker_gui.storage.listen import Listener

pytestmark = pytest.mark.postgres


@pytest.fixture
def secured(pg_cluster: Any) -> Iterator[Secured]:
    db = make_secured(pg_cluster, projects=("TRK",))
    yield db
    drop(db)


@pytest.fixture
def held_lock(secured: Secured) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """A superuser session holding ACCESS EXCLUSIVE on `issue` (what an attacker's lock
    would do, were the grants not refusing it). It lets go by itself after 30 s, so a
    missing timeout fails the test instead of hanging it."""
    conn = superuser(secured)
    conn.execute("SET idle_in_transaction_session_timeout = '30s'")
    conn.autocommit = False
    conn.execute("LOCK TABLE issue IN ACCESS EXCLUSIVE MODE")
    yield conn
    conn.rollback()
    conn.close()


def _backend(services: Any) -> int:
    with services.database.reading():
        return int(services.database.peewee.execute_sql("SELECT pg_backend_pid()").fetchone()[0])


def test_every_app_connection_has_the_interactive_timeouts_also_after_a_reconnect(
    secured: Secured,
) -> None:
    mem = secured.services("mem")
    assert mem.database.timeouts() == ("3s", "15s")
    pid = _backend(mem)
    with superuser(secured) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(StorageError):
        mem.database.timeouts()
    assert mem.database.timeouts() == ("3s", "15s")
    assert _backend(mem) != pid


def test_the_listen_connection_has_no_timeouts(secured: Secured) -> None:
    mem = secured.services("mem")
    listener = Listener.open(mem.database)
    try:
        conn = listener._conn
        row = conn.execute(
            "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')"
        ).fetchone()
        assert row == ("0", "0")
    finally:
        listener.close()


def test_long_running_work_gets_minutes_and_gives_them_back(secured: Secured) -> None:
    mem = secured.services("mem")
    with mem.database.long_running():
        assert mem.database.timeouts() == ("1min", "15min")
        with mem.database.long_running():  # nested: still long
            mem.issues.create(NewIssue("TRK", "made in a long block"))
        assert mem.database.timeouts() == ("1min", "15min")
    assert mem.database.timeouts() == ("3s", "15s")
    with pytest.raises(StorageError), mem.database.long_running(), mem.database.transaction():
        mem.database.peewee.execute_sql("SELECT 1/0")
    assert mem.database.timeouts() == ("3s", "15s")


def test_a_read_under_a_held_lock_is_a_plain_storage_error(
    secured: Secured, held_lock: object
) -> None:
    mem = secured.services("mem")
    mem.projects.project("TRK")  # connected before the lock matters
    started = time.monotonic()
    with pytest.raises(StorageError, match="the database is busy: another session holds a lock"):
        mem.issues.search(IssueFilter())
    assert time.monotonic() - started < 20  # the held lock lets go after 30 s
    # The lock gone, the same connection works again.
    held_lock.rollback()  # type: ignore[attr-defined]
    assert mem.issues.create(NewIssue("TRK", "after the lock")).number == 1


def test_the_cli_under_a_held_lock_exits_1_with_the_plain_message(
    secured: Secured, held_lock: object, tmp_path: Path
) -> None:
    result = run_process("--db", secured.url("vie"), "list", cwd=tmp_path)
    line = assert_one_line_error(result)
    assert "the database is busy: another session holds a lock" in line


def test_a_query_over_the_statement_timeout_is_stopped_with_a_plain_message(
    secured: Secured, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "STATEMENT_TIMEOUT", "200ms")
    mem = secured.services("mem")
    assert mem.database.timeouts()[1] == "200ms"
    reading = mem.database.reading()
    with pytest.raises(StorageError, match="the query took too long"), reading:
        mem.database.peewee.execute_sql("SELECT pg_sleep(5)").fetchone()
    assert mem.projects.project("TRK").key == "TRK"
