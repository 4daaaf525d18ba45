"""`admin setup-postgres` re-run on a database secured by the old code upgrades it to the new rules.

The old database is a frozen dump (tests/fixtures/postgres/secured_v1.sql) of what the released
setup-postgres made. On it, break 1 still works and plants code as the owner; the upgrade must
drop what was planted, keep the data, and leave every attack refused.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import sql

from tests.support.attacks import PASSWORD, SPY, attempt, login, planted
from tests.support.catalog import function_problems, later_function_is_open, table_problems
from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured, drop, superuser
from tracker_gui.domain.models import NewIssue
from tracker_gui.errors import UserError
from tracker_gui.storage.postgres import provision

pytestmark = pytest.mark.postgres

DUMP = Path(__file__).parents[2] / "fixtures" / "postgres" / "secured_v1.sql"
LOGINS = {"adm": "up_adm", "mem": "up_mem", "vie": "up_vie", "out": "up_out"}
_numbers = itertools.count(1)


@pytest.fixture
def old(pg_tcp_cluster: TcpCluster) -> Iterator[Secured]:
    """A database as the old setup-postgres left it, with its logins (and their passwords)."""
    name = f"tracker_old_{os.getpid()}_{next(_numbers)}"
    with pg_tcp_cluster.admin() as conn:
        for role in ("tracker_owner", "tracker_users"):
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                conn.execute(f"CREATE ROLE {role} NOLOGIN")
        for login_name in LOGINS.values():
            if not conn.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", (login_name,)
            ).fetchone():
                conn.execute(
                    sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE tracker_users").format(
                        sql.Identifier(login_name), sql.Literal(PASSWORD)
                    )
                )
        conn.execute(f'CREATE DATABASE "{name}"')
        # What the old code granted on the database (a dump without --create leaves it out).
        conn.execute(f'REVOKE ALL ON DATABASE "{name}" FROM PUBLIC')
        conn.execute(f'GRANT CONNECT, TEMPORARY ON DATABASE "{name}" TO tracker_users')
    with pg_tcp_cluster.admin(name) as conn:
        conn.execute(DUMP.read_text(encoding="utf-8").encode())
    db = Secured(pg_tcp_cluster, name, dict(LOGINS))
    yield db
    drop(db)


def _trk(db: Secured) -> int:
    with superuser(db) as conn:
        row = conn.execute("SELECT id FROM project WHERE key = 'TRK'").fetchone()
    assert row is not None
    return int(row[0])


def _promote_through_a_temp_view(db: Secured, who: str) -> str:
    with login(db, who) as conn:
        conn.execute(SPY)
        conn.execute(
            "CREATE TEMP VIEW pg_roles AS SELECT r.oid, r.rolname,"
            " (pg_temp.spy() OR r.rolsuper OR r.rolname = session_user) AS rolsuper,"
            " r.rolcanlogin, r.rolinherit FROM pg_catalog.pg_roles AS r"
        )
        conn.execute("GRANT SELECT ON pg_temp.pg_roles TO PUBLIC")
        return attempt(conn, "SELECT tracker_set_member(%s, session_user::text, 'admin')", _trk(db))


def _plant_as_owner(db: Secured) -> None:
    """More of what code running as the owner could leave: a view, a trigger, a rule."""
    with superuser(db) as conn:
        conn.execute("BEGIN")
        conn.execute("SET LOCAL ROLE tracker_owner")
        conn.execute("CREATE VIEW public.peek AS SELECT title FROM public.issue")
        conn.execute(
            "CREATE FUNCTION public.tap() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RETURN NEW; END $$"
        )
        conn.execute(
            "CREATE TRIGGER zz_tap BEFORE UPDATE ON public.issue"
            " FOR EACH ROW EXECUTE FUNCTION public.tap()"
        )
        conn.execute("CREATE RULE tap_rule AS ON INSERT TO public.comment DO ALSO SELECT 1")
        conn.execute("COMMIT")


def _counts(db: Secured) -> dict[str, int]:
    with superuser(db) as conn:
        return {
            t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])  # type: ignore[index]
            for t in ("issue", "comment", "attachment", "project_member", "issue_link", "change")
        }


def test_upgrade_drops_what_was_planted_keeps_the_data_and_closes_the_holes(old: Secured) -> None:
    # The old database is as open as the issue says: a viewer makes itself admin, as the owner.
    assert _promote_through_a_temp_view(old, "vie") == "ok"
    with superuser(old) as conn:
        assert planted(conn) == ["planted()"]
        assert conn.execute("SELECT count(*) FROM change WHERE new = 'forged'").fetchone() == (1,)
        conn.execute("UPDATE project_member SET role = 'viewer' WHERE username = 'up_vie'")
    _plant_as_owner(old)
    with superuser(old) as conn:  # poison values the old database accepted (break 5)
        conn.execute("UPDATE issue SET priority = 99 WHERE title = 'Secret plan'")
        conn.execute("UPDATE issue SET rank = 'zz!' WHERE title = 'Ops work'")
    before = _counts(old)

    report = provision.setup_postgres(old.super_url)

    assert {"0007_bigint_ids", "0008_value_checks"} <= set(report.migrations)
    assert set(report.dropped) >= {
        "function planted()",
        "function tap()",
        "view peek",
        "trigger zz_tap on issue",
        "rule tap_rule on comment",
    }
    with superuser(old) as conn:
        assert planted(conn) == []
        assert function_problems(conn) == []
        assert table_problems(conn) == []
        assert not later_function_is_open(conn)
        assert conn.execute("SELECT body FROM comment ORDER BY id LIMIT 1").fetchone() == (
            "a comment from before the upgrade",
        )
    # Changes grow by the one the upgrade logged when it set the poisoned priority safe.
    assert {**_counts(old), "change": 0} == {**before, "change": 0}
    with superuser(old) as conn:
        fixed = conn.execute("SELECT title, priority, rank FROM issue ORDER BY id").fetchall()
        checks = dict(
            conn.execute(
                "SELECT conname, convalidated FROM pg_constraint"
                " WHERE conname IN ('issue_priority_known', 'issue_rank_format')"
            ).fetchall()
        )
    # A safe value where there is one; a row with no safe value is kept, checked from now on.
    assert fixed[0][:2] == ("Secret plan", 3) and fixed[2][::2] == ("Ops work", "zz!")
    assert checks == {"issue_priority_known": True, "issue_rank_format": False}
    # Even with TEMPORARY granted back, the attack is refused now.
    with superuser(old) as conn:
        conn.execute(f'GRANT TEMPORARY ON DATABASE "{old.name}" TO up_vie')
    assert _promote_through_a_temp_view(old, "vie") == "InsufficientPrivilege"
    with superuser(old) as conn:
        assert planted(conn) == []
    with login(old, "vie") as conn:
        conn.execute("BEGIN")
        assert attempt(conn, "LOCK TABLE issue IN ACCESS EXCLUSIVE MODE") == "InsufficientPrivilege"
        conn.execute("ROLLBACK")
        assert attempt(conn, "SELECT nextval('issue_id_seq')") in (
            "InsufficientPrivilege",
            "UndefinedTable",
        )
    # The app works on the upgraded database, and a second run has nothing left to do.
    mem = old.services("mem")
    made = mem.issues.create(NewIssue("TRK", "after the upgrade"))
    mem.issues.comment(made.id, "still works")
    assert made.key == "TRK-3"
    old.close()
    again = provision.setup_postgres(old.super_url)
    assert again.migrations == () and again.dropped == ()


def test_upgrade_refuses_a_table_it_does_not_know_and_changes_nothing(old: Secured) -> None:
    with superuser(old) as conn:
        conn.execute("CREATE TABLE public.stash (secret text)")
        conn.execute("INSERT INTO public.stash VALUES ('keep me')")
    with pytest.raises(UserError, match="stash"):
        provision.setup_postgres(old.super_url)
    with superuser(old) as conn:
        assert conn.execute("SELECT secret FROM stash").fetchone() == ("keep me",)
        assert conn.execute("SELECT count(*) FROM schema_migration").fetchone() == (4,)


def test_upgrade_waits_for_a_client_lock_then_retries(
    old: Secured, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client's open read holds a lock the migration needs: the upgrade gives up after its
    lock_timeout instead of queueing every client behind it, and tries again."""
    blocker = login(old, "vie")
    blocker.execute("BEGIN")
    blocker.execute("SELECT count(*) FROM issue")
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        blocker.execute("ROLLBACK")  # the client finishes its read meanwhile

    monkeypatch.setattr(provision, "LOCK_TIMEOUT", "100ms")
    monkeypatch.setattr(provision.time, "sleep", sleep)
    try:
        report = provision.setup_postgres(old.super_url)
    finally:
        blocker.close()
    assert len(waits) == 1
    assert "0007_bigint_ids" in report.migrations


def test_upgrade_keeps_an_extension_installed_in_the_schema(old: Secured) -> None:
    with superuser(old) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    report = provision.setup_postgres(old.super_url)
    assert not [d for d in report.dropped if "trgm" in d or "similarity" in d]
    with superuser(old) as conn:
        assert conn.execute("SELECT similarity('plan', 'plans') > 0").fetchone() == (True,)


def test_setup_bounds_sessions_and_new_logins(old: Secured) -> None:
    provision.setup_postgres(old.super_url)
    admin = old.services("postgres")
    provision.add_user(admin.database, "up_new", "pw")
    with superuser(old) as conn:
        settings = conn.execute(
            "SELECT setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase"
            " WHERE d.datname = current_database() AND s.setrole = 0"
        ).fetchone()
        limit = conn.execute(
            "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'up_new'"
        ).fetchone()
        conn.execute("DROP ROLE up_new")
    assert settings is not None
    assert {s.split("=")[0] for s in settings[0]} >= {
        "idle_in_transaction_session_timeout",
        "temp_file_limit",
    }
    assert limit == (provision.LOGIN_CONNECTION_LIMIT,)
