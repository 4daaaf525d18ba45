"""A second attacker's pass over team mode: row locks, timeouts, definer deletes and own rows.

Each test logs in over TCP with an ordinary login's own password (raw psycopg) against a
database set up by `admin setup-postgres`, and asserts what another session can still do or
what is stored afterwards. Attacks that still work are `xfail(strict=True)` with the hole named.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.support.attacks import attempt, login
from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.domain.models import NewIssue

pytestmark = pytest.mark.postgres

NEW_ISSUE = (
    "INSERT INTO issue (uid, project_id, type, title, description, status_id, priority, rank)"
    " SELECT %s, p.id, 'task', 'made raw', '', min(s.id), 3, 'a5' FROM project p"
    " JOIN status s ON s.project_id = p.id WHERE p.key = %s GROUP BY p.id"
)


@pytest.fixture
def secured(pg_tcp_cluster: TcpCluster) -> Iterator[Secured]:
    from tests.support.attacks import PASSWORD

    db = make_secured(pg_tcp_cluster, password=PASSWORD, prefix="rvw_")
    adm = db.services("adm")
    one = adm.issues.create(NewIssue("TRK", "Secret plan"))
    adm.issues.create(NewIssue("TRK", "Second"))
    adm.issues.comment(one.id, "admin's comment")
    adm.issues.attach(one.id, "plan.txt", b"secret")
    db.close()
    with login(db, "adm") as conn:
        conn.execute(
            "INSERT INTO label (project_id, name, colour) SELECT id, 'bug', '#ff0000'"
            " FROM project WHERE key = 'TRK'"
        )
        conn.execute(
            "INSERT INTO issue_label (issue_id, label_id) SELECT %s, id FROM label"
            " WHERE name = 'bug'",
            (one.id,),
        )
        conn.execute(
            "INSERT INTO watcher (issue_id, user_id) SELECT %s, id FROM app_user"
            " WHERE username = session_user",
            (one.id,),
        )
        conn.execute(
            "INSERT INTO issue_link (kind, source_id, target_id) SELECT 'blocks', %s, i.id"
            " FROM issue i WHERE i.title = 'Second'",
            (one.id,),
        )
        conn.execute(
            "INSERT INTO saved_filter (owner_id, name, query) SELECT id, 'mine', 'status:open'"
            " FROM app_user WHERE username = session_user"
        )
    with login(db, "out") as conn:
        conn.execute(NEW_ISSUE, ("ops-1", "OPS"))
    yield db
    drop(db)


def _victim(db: Secured) -> psycopg.Connection[tuple[Any, ...]]:
    """The admin's own session, waiting for a lock no longer than the app would (shorter here)."""
    conn = login(db, "adm")
    conn.execute("SET lock_timeout = '300ms'")
    return conn


def _victim_writes(db: Secured) -> dict[str, str]:
    """What the app does all day, as the admin: each write 'ok' or the error's name."""
    with _victim(db) as conn:
        return {
            "edit issue": attempt(
                conn, "UPDATE issue SET title = title || '!' WHERE title LIKE 'Secret plan%%'"
            ),
            "comment": attempt(
                conn,
                "INSERT INTO comment (issue_id, body) SELECT id, 'again' FROM issue"
                " WHERE title LIKE 'Secret plan%%'",
            ),
            "create issue": attempt(conn, NEW_ISSUE, f"trk-victim-{id(conn)}", "TRK"),
            "rename project": attempt(conn, "UPDATE project SET name = name WHERE key = 'TRK'"),
            "rename status": attempt(conn, "UPDATE status SET name = name"),
            "own name": attempt(
                conn, "UPDATE app_user SET display_name = 'A' WHERE username = session_user"
            ),
        }


ALL_OK = dict.fromkeys(
    ["edit issue", "comment", "create issue", "rename project", "rename status", "own name"],
    "ok",
)

LOCKABLE = (
    "issue",
    "project",
    "status",
    "label",
    "comment",
    "app_user",
    "saved_filter",
    "project_member",
    "transition",
    "issue_label",
    "watcher",
    "issue_link",
    "attachment",
    "change",
    "issue_search",
    "tracker_meta",
    "schema_migration",
)
MODES = ("UPDATE", "NO KEY UPDATE", "SHARE", "KEY SHARE")


def _lock_rows(conn: psycopg.Connection[Any], table: str, mode: str) -> str | int:
    """Inside the open transaction: lock what `table` shows; rows locked, or the error's name."""
    conn.execute("SAVEPOINT try_lock")
    try:
        rows = conn.execute(f"SELECT 1 FROM {table} FOR {mode}").fetchall()
    except psycopg.Error as exc:
        conn.execute("ROLLBACK TO SAVEPOINT try_lock")
        return type(exc).__name__
    conn.execute("RELEASE SAVEPOINT try_lock")
    return len(rows)


@pytest.mark.parametrize("who", ["vie", "out"])
def test_a_viewer_or_outsider_row_locks_nothing_the_app_writes(secured: Secured, who: str) -> None:
    with login(secured, who) as conn:
        conn.execute("BEGIN")
        got = {(t, m): _lock_rows(conn, t, m) for t in LOCKABLE for m in MODES}
        # Held while the admin works.
        writes = _victim_writes(secured)
        conn.execute("ROLLBACK")
    locked = {k: v for k, v in got.items() if isinstance(v, int) and v > 0}
    # Only their own user row is theirs to lock (they may update it), and for `out` the issue
    # of OPS, where it is a member.
    mine = {"app_user"} | ({"issue"} if who == "out" else set())
    assert {t for t, _m in locked} <= mine, locked
    assert all(v == 1 for v in locked.values()), locked
    assert writes == ALL_OK


def test_a_member_cannot_lock_what_it_may_not_write(secured: Secured) -> None:
    with login(secured, "mem") as conn:
        conn.execute("BEGIN")
        got = {(t, m): _lock_rows(conn, t, m) for t in LOCKABLE for m in MODES}
        conn.execute("ROLLBACK")
    locked = {t for (t, _m), v in got.items() if isinstance(v, int) and v > 0}
    assert locked <= {"issue", "comment", "app_user"}, locked


@pytest.mark.xfail(
    strict=True,
    reason="HOLE (medium): a member's SELECT ... FOR UPDATE on its project's issues, held in an"
    " open transaction, makes every other writer of those issues (edits, comments via the FK"
    " check) fail with a lock timeout; nothing bounds how long it is held (see the timeouts"
    " test: the login lifts idle_in_transaction_session_timeout itself).",
)
def test_a_member_holding_row_locks_does_not_lock_the_others_out(secured: Secured) -> None:
    with login(secured, "mem") as conn:
        conn.execute("BEGIN")
        assert _lock_rows(conn, "issue", "UPDATE") == 2
        writes = _victim_writes(secured)
        conn.execute("ROLLBACK")
    assert writes == ALL_OK


@pytest.mark.xfail(
    strict=True,
    reason="HOLE (medium): creating an issue bumps project.next_number as the owner, so a member"
    " who inserts one issue and keeps the transaction open row-locks the project: nobody else can"
    " create an issue in that project (or rename/archive it) until it ends.",
)
def test_a_member_holding_an_issue_insert_does_not_stop_the_project(secured: Secured) -> None:
    with login(secured, "mem") as conn:
        conn.execute("BEGIN")
        conn.execute(NEW_ISSUE, ("held-open", "TRK"))
        writes = _victim_writes(secured)
        conn.execute("ROLLBACK")
    assert writes == ALL_OK


def test_a_held_issue_insert_in_one_project_does_not_touch_another(secured: Secured) -> None:
    with login(secured, "out") as conn:  # member of OPS only
        conn.execute("BEGIN")
        conn.execute(NEW_ISSUE, ("held-open-ops", "OPS"))
        conn.execute("SELECT 1 FROM issue FOR UPDATE").fetchall()
        writes = _victim_writes(secured)
        conn.execute("ROLLBACK")
    assert writes == ALL_OK


@pytest.mark.xfail(
    strict=True,
    reason="HOLE (medium, makes the lock-outs above unbounded): the database-level"
    " idle_in_transaction_session_timeout and statement_timeout are user-settable, so any login"
    " turns them off for its own session (SET ... = 0) and holds its locks as long as it likes.",
)
@pytest.mark.parametrize("setting", ["idle_in_transaction_session_timeout", "statement_timeout"])
def test_a_login_cannot_lift_the_databases_timeouts(secured: Secured, setting: str) -> None:
    with login(secured, "vie") as conn:
        assert attempt(conn, f"SET {setting} = 0") == "InsufficientPrivilege"


def test_a_login_cannot_lift_the_temp_file_limit_or_switch_role(secured: Secured) -> None:
    with login(secured, "out") as conn:
        outcomes = [
            attempt(conn, "SET temp_file_limit = -1"),
            attempt(conn, "SET ROLE tracker_owner"),
            attempt(conn, "SET SESSION AUTHORIZATION postgres"),
            attempt(conn, "CREATE SCHEMA mine"),
            attempt(conn, "ALTER TABLE issue DISABLE TRIGGER USER"),
            attempt(conn, "CREATE INDEX ON issue (title)"),
            attempt(conn, "VACUUM FULL issue"),
        ]
    # VACUUM of a table one does not own is a warning and a no-op, never a lock.
    assert outcomes[:6] == ["InsufficientPrivilege"] * 6, outcomes
    with superuser(secured) as conn:
        assert conn.execute(
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'mine'"
        ).fetchone() == (0,)


def test_a_login_cannot_cancel_or_terminate_another_session(secured: Secured) -> None:
    with _victim(secured) as victim, login(secured, "vie") as conn:
        pid = victim.execute("SELECT pg_backend_pid()").fetchone()
        assert pid is not None
        outcomes = [
            attempt(conn, "SELECT pg_cancel_backend(%s)", pid[0]),
            attempt(conn, "SELECT pg_terminate_backend(%s)", pid[0]),
        ]
        assert victim.execute("SELECT 1").fetchone() == (1,)
    assert outcomes == ["InsufficientPrivilege"] * 2


def test_lock_modes_a_login_may_take_do_not_block_the_app(secured: Secured) -> None:
    with login(secured, "mem") as conn:
        conn.execute("BEGIN")
        held = attempt(conn, "LOCK TABLE issue, comment IN ACCESS SHARE MODE NOWAIT")
        writes = _victim_writes(secured)
        conn.execute("ROLLBACK")
        conn.execute("BEGIN")
        refused = {
            mode: attempt(conn, f"LOCK TABLE issue IN {mode} MODE NOWAIT")
            for mode in ("ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE")
        }
        conn.execute("ROLLBACK")
    # ACCESS SHARE is what any SELECT takes; it conflicts only with ACCESS EXCLUSIVE (DDL).
    assert held == "ok"
    assert writes == ALL_OK
    assert set(refused.values()) <= {"InsufficientPrivilege", "InFailedSqlTransaction"}


def _snapshot(db: Secured) -> dict[str, Any]:
    tables = (
        "issue",
        "comment",
        "issue_link",
        "watcher",
        "issue_label",
        "transition",
        "status",
        "label",
        "attachment",
        "saved_filter",
        "change",
        "project_member",
    )
    with superuser(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone() for t in tables}


def _trk_ids(db: Secured) -> dict[str, list[int]]:
    with superuser(db) as conn:

        def col(sql: str) -> list[int]:
            return [int(r[0]) for r in conn.execute(sql).fetchall()]

        trk = "(SELECT id FROM project WHERE key = 'TRK')"
        return {
            "issue": col(f"SELECT id FROM issue WHERE project_id = {trk}"),
            "comment": col("SELECT id FROM comment"),
            "link": col("SELECT id FROM issue_link"),
            "label": col("SELECT id FROM label"),
            "status": col(f"SELECT id FROM status WHERE project_id = {trk}"),
            "transition": col("SELECT id FROM transition"),
            "attachment": col("SELECT id FROM attachment"),
            "filter": col("SELECT id FROM saved_filter"),
            "user": col("SELECT id FROM app_user"),
        }


def _every_delete(conn: psycopg.Connection[Any], ids: dict[str, list[int]]) -> list[str]:
    calls: list[tuple[str, tuple[int, ...]]] = []
    for i in ids["issue"]:
        calls += [("tracker_delete_issue(%s, 1)", (i,)), ("tracker_delete_issue_labels(%s)", (i,))]
        calls += [("tracker_delete_watcher(%s, %s)", (i, u)) for u in ids["user"]]
        calls += [("tracker_delete_issue_label(%s, %s)", (i, lab)) for lab in ids["label"]]
    calls += [("tracker_delete_comment(%s)", (c,)) for c in ids["comment"]]
    calls += [("tracker_delete_link(%s)", (x,)) for x in ids["link"]]
    calls += [("tracker_delete_label(%s)", (x,)) for x in ids["label"]]
    calls += [("tracker_delete_status(%s)", (x,)) for x in ids["status"]]
    calls += [("tracker_delete_transitions(%s)", (x,)) for x in ids["status"]]
    calls += [("tracker_delete_transition(%s)", (x,)) for x in ids["transition"]]
    calls += [("tracker_delete_attachment(%s)", (x,)) for x in ids["attachment"]]
    calls += [("tracker_delete_saved_filter(%s)", (x,)) for x in ids["filter"]]
    return [attempt(conn, f"SELECT {call}", *args) for call, args in calls]


@pytest.mark.parametrize("who", ["out", "vie"])
def test_no_definer_delete_removes_anything_for_a_viewer_or_outsider(
    secured: Secured, who: str
) -> None:
    ids = _trk_ids(secured)
    before = _snapshot(secured)
    with login(secured, who) as conn:
        outcomes = _every_delete(conn, ids)
    assert len(outcomes) > 20
    assert _snapshot(secured) == before


def test_a_member_deletes_none_of_the_admins_things(secured: Secured) -> None:
    ids = _trk_ids(secured)
    before = _snapshot(secured)
    with login(secured, "mem") as conn:
        # Everything but issues, issue labels and links, which a member may delete.
        outcomes = [
            attempt(conn, f"SELECT {call}(%s)", x)
            for call, key in (
                ("tracker_delete_comment", "comment"),
                ("tracker_delete_label", "label"),
                ("tracker_delete_status", "status"),
                ("tracker_delete_transitions", "status"),
                ("tracker_delete_transition", "transition"),
                ("tracker_delete_saved_filter", "filter"),
            )
            for x in ids[key]
        ]
        outcomes += [
            attempt(conn, "SELECT tracker_delete_watcher(%s, %s)", i, u)
            for i in ids["issue"]
            for u in ids["user"]
        ]
    assert outcomes
    after = _snapshot(secured)
    for table in ("comment", "label", "status", "transition", "saved_filter", "watcher"):
        assert after[table] == before[table], table


def test_nobody_writes_another_persons_rows_or_history(secured: Secured) -> None:
    with superuser(secured) as conn:
        adm = conn.execute("SELECT id FROM app_user WHERE username = 'rvw_adm'").fetchone()
    assert adm is not None
    before = _snapshot(secured)
    with login(secured, "mem") as conn:
        outcomes = {
            "filter for adm": attempt(
                conn,
                "INSERT INTO saved_filter (owner_id, name, query) VALUES (%s, 'x', 'y')",
                adm[0],
            ),
            "user row for another": attempt(
                conn, "INSERT INTO app_user (username, display_name, email) VALUES ('zz', '', '')"
            ),
            "history": attempt(
                conn,
                "INSERT INTO change (project_id, actor, field) SELECT id, 'x', 'y' FROM project",
            ),
            "make self admin": attempt(
                conn,
                "SELECT tracker_set_member(id, session_user::text, 'admin') FROM project"
                " WHERE key = 'TRK'",
            ),
        }
        updated = {
            "adm's filter": conn.execute("UPDATE saved_filter SET query = 'forged'").rowcount,
            "adm's comment": conn.execute("UPDATE comment SET body = 'forged'").rowcount,
            "adm's user row": conn.execute(
                "UPDATE app_user SET display_name = 'forged' WHERE username <> session_user"
            ).rowcount,
        }
    assert set(outcomes.values()) == {"InsufficientPrivilege"}, outcomes
    assert updated == {"adm's filter": 0, "adm's comment": 0, "adm's user row": 0}
    assert _snapshot(secured) == before


POISON_OWN = [
    "UPDATE app_user SET display_name = repeat('x', 5000000) WHERE username = session_user",
    "UPDATE app_user SET email = repeat('x', 5000000) WHERE username = session_user",
    "UPDATE app_user SET display_name = E'Alice Admin (rvw_adm)\\n' WHERE username = session_user",
    "UPDATE app_user SET display_name = E'bell\\x07' WHERE username = session_user",
    "UPDATE saved_filter SET query = repeat('q', 5000000)",
    "UPDATE saved_filter SET name = repeat('n', 5000000)",
    "UPDATE saved_filter SET name = ''",
]


@pytest.mark.parametrize("statement", POISON_OWN)
def test_a_login_cannot_store_a_poison_value_in_its_own_rows(
    secured: Secured, statement: str
) -> None:
    with login(secured, "adm") as conn:
        outcome = attempt(conn, statement)
    # A CHECK or a length-limited type: either way the value is not stored.
    assert outcome in ("CheckViolation", "StringDataRightTruncation")


def _ops_ids(db: Secured) -> dict[str, int]:
    with superuser(db) as conn:
        rows = conn.execute(
            "SELECT 'issue', i.id FROM issue i JOIN project p ON p.id = i.project_id"
            " WHERE p.key = 'OPS' UNION ALL SELECT 'status', min(s.id) FROM status s"
            " JOIN project p ON p.id = s.project_id WHERE p.key = 'OPS'"
            " UNION ALL SELECT 'out', id FROM app_user WHERE username = 'rvw_out'"
        ).fetchall()
    return {k: int(v) for k, v in rows}


def test_a_member_cannot_point_its_issue_into_another_project(secured: Secured) -> None:
    ops = _ops_ids(secured)
    with login(secured, "mem") as conn:
        set_ = "UPDATE issue SET {} = %s WHERE title = 'Second'"
        outcomes = {
            "status": attempt(conn, set_.format("status_id"), ops["status"]),
            "parent": attempt(conn, set_.format("parent_id"), ops["issue"]),
        }
        # The same statements with ids that exist nowhere: the answer must not tell them apart.
        missing = {
            "status": attempt(conn, set_.format("status_id"), 10**9),
            "parent": attempt(conn, set_.format("parent_id"), 10**9),
        }
    assert "ok" not in (outcomes["status"], outcomes["parent"]), outcomes
    assert outcomes["status"] == missing["status"]
    assert outcomes["parent"] == missing["parent"]
    with superuser(secured) as conn:
        row = conn.execute(
            "SELECT i.status_id IN (SELECT id FROM status WHERE project_id = i.project_id),"
            " i.parent_id FROM issue i WHERE title = 'Second'"
        ).fetchone()
    assert row == (True, None)


@pytest.mark.xfail(
    strict=True,
    reason="HOLE (low): a member may make a login with no role in the project the assignee of"
    " its issue (the app only offers members); the assignee still cannot read the issue.",
)
def test_a_member_cannot_assign_an_issue_to_a_non_member(secured: Secured) -> None:
    ops = _ops_ids(secured)
    with login(secured, "mem") as conn:
        outcome = attempt(
            conn, "UPDATE issue SET assignee_id = %s WHERE title = 'Second'", ops["out"]
        )
    with login(secured, "out") as conn:
        seen = conn.execute("SELECT count(*) FROM issue WHERE title = 'Second'").fetchone()
    assert seen == (0,)
    assert outcome != "ok"


@pytest.mark.xfail(
    strict=True,
    reason="HOLE (low): any member may set tracker.change_set to a set id it read from the"
    " history and so fold its own change into another person's action (one notification, one"
    " activity entry); each row still carries its true actor. Migration 0006 says this is"
    " documented, but docs/team-setup.md does not mention it.",
)
def test_a_member_cannot_join_its_change_to_another_persons_change_set(secured: Secured) -> None:
    forged = "0b0e5f4c-1d2a-4c5b-9e8f-7a6b5c4d3e2f"
    with login(secured, "adm") as conn, conn.transaction():
        conn.execute("SELECT set_config('tracker.change_set', %s, true)", (forged,))
        conn.execute("UPDATE issue SET priority = 2 WHERE title LIKE 'Secret plan%%'")
    with login(secured, "mem") as conn:
        seen = conn.execute("SELECT DISTINCT change_set FROM change WHERE actor = 'rvw_adm'")
        assert (forged,) in seen.fetchall()
        with conn.transaction():
            conn.execute("SELECT set_config('tracker.change_set', %s, true)", (forged,))
            conn.execute("UPDATE issue SET priority = 4 WHERE title = 'Second'")
    with superuser(secured) as conn:
        actors = conn.execute(
            "SELECT DISTINCT actor FROM change WHERE change_set = %s ORDER BY 1", (forged,)
        ).fetchall()
    assert actors == [("rvw_adm",)]


def test_a_login_does_not_read_what_another_session_is_running(secured: Secured) -> None:
    with _victim(secured) as victim, login(secured, "out") as conn:
        victim.execute("BEGIN")
        victim.execute("SELECT title FROM issue WHERE title = 'Secret plan'").fetchall()
        pid = victim.execute("SELECT pg_backend_pid()").fetchone()
        assert pid is not None
        shown = conn.execute(
            "SELECT query FROM pg_stat_activity WHERE pid = %s", (pid[0],)
        ).fetchone()
        victim.execute("ROLLBACK")
    assert shown is not None and "Secret" not in str(shown[0])
