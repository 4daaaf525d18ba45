"""The server side of sync: Change rows name origin and op, applied ops are recorded once,
and the pull cursor never skips a transaction that commits late."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from tests.support.attacks import attempt, login
from tests.support.secured import Secured, superuser
from tracker_gui.domain.models import NewIssue
from tracker_gui.storage.replica import server

pytestmark = pytest.mark.postgres


def _rows(db: Secured, issue_id: int) -> list[tuple[object, ...]]:
    with superuser(db) as conn:
        return conn.execute(
            "SELECT field, origin, op_id, txid IS NOT NULL FROM change WHERE issue_id = %s"
            " ORDER BY id",
            (issue_id,),
        ).fetchall()


def test_a_pushed_action_tags_its_change_rows_and_a_direct_write_does_not(
    secured: Secured,
) -> None:
    mem = secured.services("mem")
    issue = mem.issues.create(NewIssue("TRK", "Login crash"))
    origin, op = str(uuid.uuid4()), str(uuid.uuid4())
    with mem.database.transaction(origin=origin, op_id=op):
        assert server.record_op(mem.database, op)
        mem.issues.edit(issue.id, issue.version, {"title": "Login crash on Wayland"})
    rows = _rows(secured, issue.id)
    assert rows[0][:3] == ("created", None, None)  # a direct write: no origin, no op
    assert ("title", origin, op, True) in rows
    assert all(r[3] for r in rows)  # every new row has its transaction id


def test_an_op_is_recorded_once_and_only_with_its_transaction(secured: Secured) -> None:
    mem = secured.services("mem")
    issue = mem.issues.create(NewIssue("TRK", "Once"))
    op = str(uuid.uuid4())
    with pytest.raises(RuntimeError), mem.database.transaction(op_id=op):
        assert server.record_op(mem.database, op)
        mem.issues.edit(issue.id, issue.version, {"priority": "high"})
        raise RuntimeError("connection cut before COMMIT")
    assert not server.op_applied(mem.database, op)  # rolled back with the edit
    assert mem.issues.get(issue.id).priority.name == "MEDIUM"
    with mem.database.transaction(op_id=op):
        assert server.record_op(mem.database, op)
    with mem.database.transaction(op_id=op):
        assert not server.record_op(mem.database, op)  # the retry sees it applied
    assert server.op_applied(mem.database, op)


def test_attacker_cannot_forge_or_read_another_logins_ops(secured: Secured) -> None:
    from tests.support.pgtcp import TcpCluster

    if not isinstance(secured.cluster, TcpCluster):
        pytest.fail("the attack needs the TCP cluster")
    mem = secured.services("mem")
    issue = mem.issues.create(NewIssue("TRK", "Secret plan"))
    mine = str(uuid.uuid4())
    with mem.database.transaction(op_id=mine):
        server.record_op(mem.database, mine)
        mem.issues.edit(issue.id, issue.version, {"title": "Secret plan v2"})
    victim = secured.logins["mem"]
    planted = str(uuid.uuid4())
    with login(secured, "out") as conn:
        # Another login's name, by column or by an UPDATE: refused.
        results = {
            "insert as mem": attempt(
                conn, "INSERT INTO sync_op (login, op_id) VALUES (%s, %s)", victim, planted
            ),
            "update": attempt(conn, "UPDATE sync_op SET login = %s", victim),
            "delete": attempt(conn, "DELETE FROM sync_op"),
            "truncate": attempt(conn, "TRUNCATE sync_op"),
            "txid": attempt(conn, "INSERT INTO sync_op (op_id, txid) VALUES (%s, '1')", planted),
        }
        assert set(results.values()) == {"InsufficientPrivilege"}, results
        # Its own: allowed, and it lands under its own name whatever it claims.
        assert attempt(conn, "INSERT INTO sync_op (op_id) VALUES (%s)", mine) == "ok"
        seen = conn.execute("SELECT login, op_id FROM sync_op").fetchall()
        assert seen == [(secured.logins["out"], mine)]  # not mem's row
        # The new columns of TRK's history are as unreadable as the rest of it.
        assert conn.execute("SELECT count(*) FROM change WHERE op_id = %s", (mine,)).fetchone() == (
            0,
        )
        assert attempt(conn, "SELECT pg_snapshot_xmin(pg_current_snapshot())") == "ok"
        # Tagging its own rows with mem's op id: possible, and harmless to mem's record.
        conn.execute("SELECT set_config('tracker.op_id', %s, false)", (mine,))
    with superuser(secured) as conn:
        owners = conn.execute("SELECT login FROM sync_op WHERE op_id = %s ORDER BY 1", (mine,))
        assert [r[0] for r in owners.fetchall()] == sorted([secured.logins["out"], victim])
        forged = conn.execute("SELECT count(*) FROM sync_op WHERE op_id = %s", (planted,))
        assert forged.fetchone() == (0,)
    assert server.op_applied(mem.database, mine)
    assert not server.op_applied(mem.database, planted)


def test_the_cursor_never_passes_a_transaction_that_commits_late(secured: Secured) -> None:
    """T1 writes first (smaller Change id) and commits after T2: a pull between sees T2's
    row, and the next pull still finds T1's."""
    adm = secured.services("adm")
    one = adm.issues.create(NewIssue("TRK", "One"))
    two = adm.issues.create(NewIssue("TRK", "Two"))
    reader = secured.services("vie").database
    with reader.snapshot():
        cursor = server.horizon(reader)
    late = psycopg.connect(secured.super_url)
    try:
        late.execute("UPDATE issue SET title = 'One (late)' WHERE id = %s", (one.id,))
        row = late.execute("SELECT pg_current_xact_id()::text::bigint").fetchone()
        assert row is not None
        late_txid = int(row[0])
        adm.issues.edit(two.id, two.version, {"title": "Two (early)"})
        with reader.snapshot():
            seen = server.changes_from(reader, cursor)
            new_cursor = server.horizon(reader)
        assert [(c.issue_id, c.field) for c in seen] == [(two.id, "title")]
        assert new_cursor <= late_txid  # the horizon stops at the open transaction
        late.commit()
    finally:
        late.close()
    with reader.snapshot():
        again = server.changes_from(reader, new_cursor)
    late_rows = [c for c in again if c.issue_id == one.id and c.field == "title"]
    assert late_rows, "the late transaction's row was skipped"
    assert late_rows[0].id < max(c.id for c in seen)  # it really had the smaller id


def test_changes_are_read_past_the_cursor_a_page_at_a_time_without_a_gap(
    secured: Secured,
) -> None:
    adm = secured.services("adm")
    reader = secured.services("vie").database
    with reader.snapshot():
        cursor = server.horizon(reader)
    for n in range(5):
        adm.issues.create(NewIssue("TRK", f"Issue {n}"))
    with reader.snapshot():
        whole = server.changes_from(reader, cursor)
        paged = server.changes_from(reader, cursor, page=2)
    assert len(whole) >= 5 and paged == whole
