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
