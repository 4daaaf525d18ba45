"""The issue's attacks, typed as an ordinary login would: raw psycopg over TCP, its own password.

Each test is one break of the issue, run against a database set up by `admin setup-postgres`,
and asserts what is stored afterwards: no role gained, no history rewritten, nothing planted.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from tests.support.attacks import SPY, attempt, login, planted
from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.domain.models import NewIssue

pytestmark = pytest.mark.postgres


@pytest.fixture
def secured(pg_tcp_cluster: TcpCluster) -> Iterator[Secured]:
    from tests.support.attacks import PASSWORD

    db = make_secured(pg_tcp_cluster, password=PASSWORD, prefix="atk_")
    adm = db.services("adm")
    one = adm.issues.create(NewIssue("TRK", "Secret plan"))
    adm.issues.create(NewIssue("TRK", "Second", parent_key=one.key))
    adm.issues.comment(one.id, "first comment")
    db.close()
    yield db
    drop(db)


def _allow_temp(db: Secured, who: str) -> None:
    """What a DBA might re-grant: the definer functions must hold even then."""
    with superuser(db) as conn:
        conn.execute(f'GRANT TEMPORARY ON DATABASE "{db.name}" TO "{db.logins[who]}"')


def _damage(db: Secured) -> dict[str, object]:
    """What the owner-rights payload would leave behind, read as the superuser."""
    with superuser(db) as conn:
        forged = conn.execute("SELECT count(*) FROM change WHERE new = 'forged'").fetchone()
        roles = conn.execute(
            "SELECT m.username, m.role FROM project_member m JOIN project p ON p.id = m.project_id"
            " WHERE p.key = 'TRK' ORDER BY 1"
        ).fetchall()
        triggers = conn.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.change'::regclass"
            " AND tgenabled = 'D'"
        ).fetchone()
        return {
            "planted": planted(conn),
            "forged": forged,
            "trk": roles,
            "disabled triggers": triggers,
        }


def _trk_id(db: Secured) -> int:
    with superuser(db) as conn:
        row = conn.execute("SELECT id FROM project WHERE key = 'TRK'").fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize("who", ["out", "vie"])
def test_break1_temp_view_pg_roles_neither_promotes_nor_runs_code_as_owner(
    secured: Secured, who: str
) -> None:
    _allow_temp(secured, who)
    before = _damage(secured)
    project = _trk_id(secured)
    with login(secured, who) as conn:
        conn.execute(SPY)
        conn.execute(
            "CREATE TEMP VIEW pg_roles AS SELECT r.oid, r.rolname,"
            " (pg_temp.spy() OR r.rolsuper OR r.rolname = session_user) AS rolsuper,"
            " r.rolcanlogin, r.rolinherit FROM pg_catalog.pg_roles AS r"
        )
        conn.execute("GRANT SELECT ON pg_temp.pg_roles TO PUBLIC")
        outcome = attempt(
            conn, "SELECT tracker_set_member(%s, session_user::text, 'admin')", project
        )
        role = conn.execute("SELECT tracker_my_role(%s)", (project,)).fetchone()
    assert outcome == "InsufficientPrivilege"
    assert role == ((None,) if who == "out" else ("viewer",))
    assert _damage(secured) == before
    assert before["planted"] == [] and before["forged"] == (0,)


def test_break1_temp_table_issue_search_does_not_reach_owner_rights(secured: Secured) -> None:
    _allow_temp(secured, "mem")
    before = _damage(secured)
    with login(secured, "mem") as conn:
        conn.execute(SPY)
        conn.execute(
            "CREATE TEMP TABLE issue_search (issue_id bigint PRIMARY KEY, document tsvector)"
        )
        conn.execute(
            "CREATE FUNCTION pg_temp.spy_row() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN PERFORM pg_temp.spy(); RETURN NEW; END $$"
        )
        conn.execute(
            "CREATE TRIGGER spy BEFORE INSERT OR UPDATE ON pg_temp.issue_search"
            " FOR EACH ROW EXECUTE FUNCTION pg_temp.spy_row()"
        )
        conn.execute("GRANT ALL ON pg_temp.issue_search TO PUBLIC")
        issue = conn.execute("SELECT id FROM issue WHERE title = 'Secret plan'").fetchone()
        assert issue is not None
        edit = attempt(conn, "UPDATE issue SET title = 'renamed plan' WHERE id = %s", issue[0])
        comment = attempt(
            conn, "INSERT INTO comment (issue_id, body) VALUES (%s, 'zebra')", issue[0]
        )
        mine = conn.execute("SELECT count(*) FROM pg_temp.issue_search").fetchone()
    assert (edit, comment) == ("ok", "ok")
    assert mine == (0,)
    assert _damage(secured) == before
    # The real index took both writes.
    with superuser(secured) as conn:
        found = conn.execute(
            "SELECT count(*) FROM public.issue_search"
            " WHERE document @@ to_tsquery('english', 'renamed & zebra')"
        ).fetchone()
    assert found == (1,)


def test_break1_temp_domain_text_does_not_reach_owner_rights(secured: Secured) -> None:
    _allow_temp(secured, "mem")
    before = _damage(secured)
    with login(secured, "mem") as conn:
        conn.execute(SPY)
        conn.execute(
            "CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (pg_temp.spy() IS NOT NULL)"
        )
        child = conn.execute("SELECT id FROM issue WHERE title = 'Second'").fetchone()
        statuses = conn.execute(
            "SELECT s.id FROM status s JOIN project p ON p.id = s.project_id"
            " WHERE p.key = 'TRK' ORDER BY s.position"
        ).fetchall()
        assert child is not None
        moved = attempt(
            conn,
            "UPDATE issue SET status_id = %s, parent_id = NULL WHERE id = %s",
            statuses[1][0],
            child[0],
        )
        history = conn.execute(
            "SELECT field, old, new FROM change WHERE issue_id = %s AND field IN"
            " ('status', 'parent') ORDER BY id",
            (child[0],),
        ).fetchall()
    assert moved == "ok"
    assert [h[0] for h in history] == ["parent", "status"]
    assert _damage(secured) == before


def test_without_a_regrant_no_login_may_create_temporary_objects(secured: Secured) -> None:
    for who in ("out", "vie", "mem", "adm"):
        with login(secured, who) as conn:
            assert attempt(conn, "CREATE TEMP TABLE t (x int)") == "InsufficientPrivilege", who
            assert attempt(conn, SPY) == "InsufficientPrivilege", who


def test_the_attacker_really_logs_in_with_a_password(secured: Secured) -> None:
    cluster = secured.cluster
    assert isinstance(cluster, TcpCluster)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(
            host="127.0.0.1",
            port=cluster.port_number,
            dbname=secured.name,
            user=secured.logins["vie"],
            password="wrong",
        ).close()


@pytest.mark.parametrize("who", ["vie", "mem", "adm", "out"])
def test_break2_no_login_may_lock_a_table_against_the_others(secured: Secured, who: str) -> None:
    with login(secured, who) as conn:
        conn.execute("BEGIN")
        for mode in ("ACCESS EXCLUSIVE", "EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE"):
            for table in ("issue", "change", "comment", "project_member"):
                got = attempt(conn, f"LOCK TABLE {table} IN {mode} MODE NOWAIT")
                assert got in ("InsufficientPrivilege", "InFailedSqlTransaction"), (mode, table)
        conn.execute("ROLLBACK")
    # Nobody holds a lock on the app's tables: another session reads at once.
    with superuser(secured) as conn:
        held = conn.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE c.relname = 'issue' AND l.mode = 'AccessExclusiveLock'"
        ).fetchone()
    assert held == (0,)


@pytest.mark.parametrize("who", ["vie", "mem"])
def test_break4_no_login_draws_from_a_sequence(secured: Secured, who: str) -> None:
    with superuser(secured) as conn:
        sequences = [
            r[0]
            for r in conn.execute(
                "SELECT pg_get_serial_sequence(quote_ident(table_name), 'id') FROM"
                " information_schema.columns WHERE table_schema = 'public' AND column_name = 'id'"
            )
        ]
    assert len(sequences) >= 10 and all(sequences)
    with login(secured, who) as conn:
        for sequence in sequences:
            assert attempt(conn, "SELECT nextval(%s)", sequence) == "InsufficientPrivilege"
            assert attempt(conn, "SELECT setval(%s, 2147483647)", sequence) == (
                "InsufficientPrivilege"
            )
        # A member still creates issues: the identity column draws the id as the owner.
        if who == "mem":
            conn.execute(
                "INSERT INTO issue (uid, project_id, type, title, description, status_id,"
                " priority, rank) SELECT 'made-by-mem', p.id, 'task', 'ok', '', min(s.id), 3, 'a5'"
                " FROM project p JOIN status s ON s.project_id = p.id WHERE p.key = 'TRK'"
                " GROUP BY p.id"
            )
            made = conn.execute("SELECT id FROM issue WHERE uid = 'made-by-mem'").fetchone()
            assert made is not None and made[0] > 2


@pytest.mark.parametrize("who", ["vie", "out"])
def test_break9_no_large_objects_temp_tables_or_advisory_locks(secured: Secured, who: str) -> None:
    with login(secured, who) as conn:
        refused = [
            attempt(conn, "SELECT lo_create(0)"),
            attempt(conn, "SELECT lo_creat(-1)"),
            attempt(conn, "SELECT lo_from_bytea(0, 'x'::bytea)"),
            attempt(conn, "SELECT pg_advisory_lock(1)"),
            attempt(conn, "SELECT pg_try_advisory_lock(1)"),
            attempt(conn, "SELECT pg_advisory_xact_lock_shared(1, 2)"),
            attempt(conn, "CREATE TEMP TABLE t (x int)"),
            attempt(conn, "CREATE TABLE public.mine (x int)"),
        ]
    assert set(refused) == {"InsufficientPrivilege"}, refused
    with superuser(secured) as conn:
        assert conn.execute("SELECT count(*) FROM pg_largeobject_metadata").fetchone() == (0,)


POISON = [
    ("issue", "priority = 99"),
    ("issue", "priority = 0"),
    ("issue", "type = 'weird'"),
    ("issue", "due = '0044-03-15 BC'"),
    ("issue", "due = '20000-01-01'"),
    ("issue", "estimate = 'NaN'"),
    ("issue", "estimate = -1"),
    ("issue", "rank = 'zz!'"),
    ("issue", "rank = 'a00'"),
    ("issue", "rank = ''"),
    ("issue", "title = repeat('x', 501)"),
    ("issue", "title = E'two\\nlines'"),
    ("issue", "description = repeat('x', 1000001)"),
    ("comment", "body = repeat('y', 1000001)"),
    ("comment", "body = '   '"),
]


def test_break5_and_7_a_member_cannot_store_a_value_the_app_does_not_know(
    secured: Secured,
) -> None:
    with superuser(secured) as conn:
        before = conn.execute("SELECT priority, type, due, rank, title FROM issue").fetchall()
        changes = conn.execute("SELECT count(*) FROM change").fetchone()
    with login(secured, "mem") as conn:
        conn.execute("INSERT INTO comment (issue_id, body) SELECT min(id), 'mine' FROM issue")
        outcomes = {
            assignment: attempt(
                conn,
                f"UPDATE {table} SET {assignment} WHERE id = (SELECT max(id) FROM {table})",
            )
            for table, assignment in POISON
        }
        link = attempt(
            conn,
            "INSERT INTO issue_link (kind, source_id, target_id)"
            " SELECT 'owns', min(id), max(id) FROM issue",
        )
        # A rank the app makes is accepted: the check is the app's own format, not stricter.
        fine = attempt(conn, "UPDATE issue SET rank = 'a0i' WHERE id = (SELECT min(id) FROM issue)")
    refused = {"CheckViolation", "StringDataRightTruncation"}  # a CHECK, or the column's size
    assert {a: o for a, o in outcomes.items() if o not in refused} == {}
    assert (link, fine) == ("CheckViolation", "ok")
    with superuser(secured) as conn:
        after = conn.execute("SELECT priority, type, due, rank, title FROM issue").fetchall()
        grown = conn.execute("SELECT count(*) FROM change").fetchone()
    assert sorted(map(repr, after)) != [] and len(after) == len(before)
    assert {r[0] for r in after} <= {1, 2, 3, 4, 5}
    # One change logged: the member's comment (its rank edit moved nothing: 'a0i' > 'a0').
    assert grown is not None and changes is not None and grown[0] - changes[0] in (1, 2)


def test_break5_an_admin_cannot_store_an_unknown_category_or_colour(secured: Secured) -> None:
    with login(secured, "adm") as conn:
        outcomes = [
            attempt(conn, "UPDATE status SET category = 'limbo'"),
            attempt(conn, "UPDATE status SET colour = 'red'"),
            attempt(conn, "UPDATE status SET wip_limit = 0"),
            attempt(conn, "UPDATE status SET colour = '#12345z'"),
        ]
    assert outcomes == ["CheckViolation"] * 4


def _ids(db: Secured) -> dict[str, int]:
    with superuser(db) as conn:
        rows = conn.execute(
            "SELECT p.key || '-' || i.number, i.id FROM issue i JOIN project p"
            " ON p.id = i.project_id"
        ).fetchall()
        users = conn.execute("SELECT username, id FROM app_user").fetchall()
    return {**{k: int(v) for k, v in rows}, **{u: int(v) for u, v in users}}


def test_break6_a_link_is_made_and_removed_only_by_who_may_write_both_ends(
    secured: Secured,
) -> None:
    with login(secured, "out") as conn:
        conn.execute(
            "INSERT INTO issue (uid, project_id, type, title, description, status_id, priority,"
            " rank) SELECT 'ops-1', p.id, 'task', 'Ops work', '', min(s.id), 3, 'a5' FROM project p"
            " JOIN status s ON s.project_id = p.id WHERE p.key = 'OPS' GROUP BY p.id"
        )
    ids = _ids(secured)
    with superuser(secured) as conn:  # made when someone held both roles
        link = conn.execute(
            "INSERT INTO issue_link (kind, source_id, target_id) VALUES ('blocks', %s, %s)"
            " RETURNING id",
            (ids["OPS-1"], ids["TRK-1"]),
        ).fetchone()
        conn.execute("SELECT tracker_set_member(id, 'atk_vie', 'member') FROM project"
                     " WHERE key = 'OPS'")  # fmt: skip
    assert link is not None
    with login(secured, "out") as conn:  # member of OPS, nothing in TRK
        hidden = conn.execute("SELECT tracker_delete_link(%s)", link).fetchone()
        raw = attempt(conn, "DELETE FROM issue_link WHERE id = %s", link[0])
        made = attempt(
            conn,
            "INSERT INTO issue_link (kind, source_id, target_id) VALUES ('relates', %s, %s)",
            ids["OPS-1"],
            ids["TRK-2"],
        )
    with login(secured, "vie") as conn:  # member of OPS, viewer of TRK
        removed = attempt(conn, "SELECT tracker_delete_link(%s)", link[0])
        made_too = attempt(
            conn,
            "INSERT INTO issue_link (kind, source_id, target_id) VALUES ('relates', %s, %s)",
            ids["OPS-1"],
            ids["TRK-2"],
        )
    assert hidden == (0,)
    assert (raw, made, removed, made_too) == ("InsufficientPrivilege",) * 4
    with superuser(secured) as conn:
        assert conn.execute("SELECT count(*) FROM issue_link").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM change WHERE field = 'unlink'").fetchone() == (0,)


def test_break9_watchers_are_members_and_only_an_admin_handles_others(
    secured: Secured,
) -> None:
    ids = _ids(secured)
    issue = ids["TRK-1"]
    add = "INSERT INTO watcher (issue_id, user_id) VALUES (%s, %s)"
    with login(secured, "mem") as conn:
        outcomes = [
            attempt(conn, add, issue, ids["atk_mem"]),
            attempt(conn, add, issue, ids["atk_adm"]),
        ]
    with login(secured, "adm") as conn:
        outcomes += [
            attempt(conn, add, issue, ids["atk_adm"]),
            attempt(conn, add, issue, ids["atk_vie"]),
            # `out` has no role in TRK: nobody may make it watch TRK's issues.
            attempt(conn, add, issue, ids["atk_out"]),
        ]
    with login(secured, "mem") as conn:
        outcomes += [
            attempt(conn, "SELECT tracker_delete_watcher(%s, %s)", issue, ids["atk_adm"]),
            attempt(conn, "SELECT tracker_delete_watcher(%s, %s)", issue, ids["atk_mem"]),
        ]
    assert outcomes == [
        "ok",
        "InsufficientPrivilege",
        "ok",
        "ok",
        "InsufficientPrivilege",
        "InsufficientPrivilege",
        "ok",
    ]
    with superuser(secured) as conn:
        watching = conn.execute(
            "SELECT u.username FROM watcher w JOIN app_user u ON u.id = w.user_id"
            " WHERE w.issue_id = %s ORDER BY 1",
            (issue,),
        ).fetchall()
    assert watching == [("atk_adm",), ("atk_vie",)]


def test_break9_roles_attachment_deletions_and_archiving_are_history(secured: Secured) -> None:
    ids = _ids(secured)
    project = _trk_id(secured)
    adm = secured.services("adm")
    adm.issues.attach(ids["TRK-1"], "plan.txt", b"secret")
    secured.close()
    with login(secured, "adm") as conn:
        conn.execute("SELECT tracker_set_member(%s, 'atk_out', 'viewer')", (project,))
        conn.execute("SELECT tracker_set_member(%s, 'atk_out', NULL)", (project,))
        conn.execute("SELECT tracker_delete_attachment(id) FROM attachment WHERE name = 'plan.txt'")
        conn.execute("UPDATE project SET archived = true WHERE id = %s", (project,))
    with superuser(secured) as conn:
        rows = conn.execute(
            "SELECT actor, field, old, new FROM change WHERE field IN"
            " ('member', 'attachment.deleted', 'project.archived') AND project_id = %s"
            " AND actor = 'atk_adm' ORDER BY id",
            (project,),
        ).fetchall()
    assert rows == [
        ("atk_adm", "member", None, "atk_out viewer"),
        ("atk_adm", "member", "atk_out viewer", None),
        ("atk_adm", "attachment.deleted", "plan.txt", None),
        ("atk_adm", "project.archived", "false", "true"),
    ]


def test_break8_a_display_name_cannot_be_someone_elses(secured: Secured) -> None:
    with superuser(secured) as conn:
        conn.execute("UPDATE app_user SET display_name = 'Alice Admin' WHERE username = 'atk_adm'")
    with login(secured, "vie") as conn:
        me = "UPDATE app_user SET display_name = %s WHERE username = session_user"
        outcomes = [
            attempt(conn, me, "atk_adm"),
            attempt(conn, me, "ATK_ADM"),
            attempt(conn, me, "alice admin"),
            attempt(conn, me, "postgres"),
            attempt(conn, me, "Victor Viewer"),
            attempt(conn, me, "atk_vie"),
        ]
    assert outcomes == ["InsufficientPrivilege"] * 4 + ["ok", "ok"]


def test_break9_a_new_comment_does_not_reread_the_thread(secured: Secured) -> None:
    """The search index takes the new comment's words; the issue's other comments are not read."""
    issue = _ids(secured)["TRK-1"]
    with superuser(secured) as conn:
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO comment (issue_id, author_id, body)"
            " SELECT %s, 1, 'comment number ' || n FROM generate_series(1, 300) AS n",
            (issue,),
        )
        # 300 comments in one statement: the issue's document is rewritten once, not 300 times.
        rewrites = conn.execute(
            "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'issue_search'"
        ).fetchone()
        conn.execute("COMMIT")
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO comment (issue_id, author_id, body) VALUES (%s, 1, 'xylophone')",
            (issue,),
        )
        read = conn.execute(
            "SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)"
            " FROM pg_stat_xact_user_tables WHERE relname = 'comment'"
        ).fetchone()
        found = conn.execute(
            "SELECT count(*) FROM issue_search WHERE issue_id = %s"
            " AND document @@ to_tsquery('english', 'xylophone & number')",
            (issue,),
        ).fetchone()
        conn.execute("COMMIT")
    assert rewrites == (1,)
    assert read is not None and read[0] < 10
    assert found == (1,)


def test_no_function_takes_its_time_from_the_transaction_start(secured: Secured) -> None:
    with superuser(secured) as conn:
        users = conn.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p"
            " JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = 'public' AND p.prosrc ~* '\\m(now|current_timestamp)\\M'"
        ).fetchall()
    assert users == []


def test_break9_an_admin_cannot_join_another_projects_status_into_the_workflow(
    secured: Secured,
) -> None:
    with superuser(secured) as conn:
        statuses = dict(
            conn.execute(
                "SELECT p.key || s.position, s.id FROM status s JOIN project p"
                " ON p.id = s.project_id"
            ).fetchall()
        )
        conn.execute("SELECT tracker_set_member(id, 'atk_adm', 'admin') FROM project"
                     " WHERE key = 'OPS'")  # fmt: skip
    add = (
        "INSERT INTO transition (project_id, from_status_id, to_status_id)"
        " SELECT id, %s, %s FROM project WHERE key = 'TRK'"
    )
    with login(secured, "adm") as conn:
        outcomes = [
            attempt(conn, add, statuses["TRK0"], statuses["OPS1"]),
            attempt(conn, add, statuses["OPS0"], statuses["OPS1"]),
            attempt(conn, add, statuses["TRK0"], statuses["TRK1"]),
        ]
    assert outcomes == ["CheckViolation", "CheckViolation", "ok"]
