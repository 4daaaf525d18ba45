"""The server ends a session (pg_terminate_backend): a clear error, nothing lost, reconnect."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.domain.models import NewIssue
from tracker_gui.errors import StorageError
from tracker_gui.services import Services

pytestmark = pytest.mark.postgres


@pytest.fixture
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster, projects=("TRK",))
    yield db
    drop(db)


def _kill(db: Secured, who: str) -> int:
    """Terminate every session of the login; returns how many there were."""
    with superuser(db) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
            (db.logins[who],),
        ).fetchall()
    return len(rows)


def _stored_title(db: Secured, issue_id: int) -> tuple[str, int]:
    with superuser(db) as conn:
        row = conn.execute("SELECT title, version FROM issue WHERE id = %s", (issue_id,)).fetchone()
    assert row is not None
    return str(row[0]), int(row[1])


def test_terminated_session_gives_a_storage_error_then_reconnects(secured: Secured) -> None:
    mem: Services = secured.services("mem")
    issue = mem.issues.create(NewIssue("TRK", "committed before the cut"))
    assert _kill(secured, "mem") == 1
    with pytest.raises(StorageError, match="lost the connection"):
        mem.issues.get(issue.id)
    # The next call connects again by itself; the committed issue is all there.
    assert mem.issues.get(issue.id).title == "committed before the cut"
    assert _stored_title(secured, issue.id) == ("committed before the cut", 1)

    assert _kill(secured, "mem") == 1
    with pytest.raises(StorageError, match="lost the connection"):
        mem.issues.edit(issue.id, 1, {"title": "first try"})
    assert _stored_title(secured, issue.id) == ("committed before the cut", 1)
    edited = mem.issues.edit(issue.id, 1, {"title": "second try"})
    assert edited.version == 2
    assert [c.field for c in mem.feed.history(issue.id)] == ["created", "title"]


def test_terminated_inside_a_transaction_rolls_back_and_recovers(secured: Secured) -> None:
    mem = secured.services("mem")
    issue = mem.issues.create(NewIssue("TRK", "kept"))
    db = mem.database
    with pytest.raises(StorageError, match="lost the connection"), db.transaction():
        db.peewee.execute_sql("UPDATE issue SET title = 'half done' WHERE id = %s", (issue.id,))
        _kill(secured, "mem")
        db.peewee.execute_sql("SELECT 1")
    assert not db.peewee.in_transaction()
    assert _stored_title(secured, issue.id) == ("kept", 1)
    assert db.ping() is True
    assert mem.issues.edit(issue.id, 1, {"title": "after"}).title == "after"


def test_ping_says_false_while_the_server_refuses_and_reconnect_recovers(
    secured: Secured,
) -> None:
    mem = secured.services("mem")
    with superuser(secured) as conn:
        conn.execute(f'ALTER ROLE "{secured.logins["mem"]}" NOLOGIN')
    try:
        _kill(secured, "mem")
        assert mem.database.ping() is False
        with pytest.raises(StorageError):
            mem.database.reconnect()
    finally:
        with superuser(secured) as conn:
            conn.execute(f'ALTER ROLE "{secured.logins["mem"]}" LOGIN')
    mem.database.reconnect()
    assert mem.database.ping() is True
    assert [p.key for p in mem.projects.projects()] == ["TRK"]


def test_a_login_never_migrates_a_secured_database(secured: Secured) -> None:
    """A newer app meeting an older secured schema says who must update it, and writes nothing."""
    from tracker_gui.services import open_services

    with superuser(secured) as conn:
        conn.execute("DELETE FROM schema_migration WHERE name = '0003_fulltext'")
    with pytest.raises(StorageError, match="only an administrator") as info:
        open_services(secured.url("mem"))
    assert "admin setup-postgres" in str(info.value)
    with superuser(secured) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM schema_migration ORDER BY name")]
    assert "0003_fulltext" not in names and "0001_initial" in names
