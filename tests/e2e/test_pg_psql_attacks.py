"""Breaks 1, 2, 4 and 9 of issue 13 typed into the real `psql` binary, with the login's password."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.e2e.test_pg_psql_isolation import _psql_binary
from tests.support.attacks import PASSWORD, SPY, planted
from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.domain.models import NewIssue

pytestmark = pytest.mark.postgres


@pytest.fixture
def secured() -> Iterator[Secured]:
    cluster = TcpCluster()
    cluster.start()
    try:
        db = make_secured(cluster, password=PASSWORD, prefix="psq_")
        db.services("adm").issues.create(NewIssue("TRK", "Secret plan"))
        db.close()
        yield db
        drop(db)
    finally:
        cluster.stop()


def psql(db: Secured, who: str, script: str) -> str:
    """`script` through psql as `who` on 127.0.0.1 (scram: the password is checked)."""
    assert isinstance(db.cluster, TcpCluster)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PGPASSWORD"] = PASSWORD
    done = subprocess.run(
        [_psql_binary(db.cluster), "--no-psqlrc", "-X", "-A", "-t", "-h", "127.0.0.1",
         "-p", str(db.cluster.port_number), "-U", db.logins[who], "-d", db.name,
         "-v", "ON_ERROR_STOP=0"],
        input=script, capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    return done.stdout + done.stderr


def test_a_viewer_in_psql_neither_becomes_admin_nor_locks_the_others(secured: Secured) -> None:
    with superuser(secured) as conn:
        conn.execute(f'GRANT TEMPORARY ON DATABASE "{secured.name}" TO psq_vie')
        project = conn.execute("SELECT id FROM project WHERE key = 'TRK'").fetchone()
    assert project is not None
    out = psql(
        secured,
        "vie",
        f"""{SPY};
        CREATE TEMP VIEW pg_roles AS SELECT r.oid, r.rolname,
            (pg_temp.spy() OR r.rolsuper OR r.rolname = session_user) AS rolsuper,
            r.rolcanlogin, r.rolinherit FROM pg_catalog.pg_roles AS r;
        GRANT SELECT ON pg_temp.pg_roles TO PUBLIC;
        SELECT tracker_set_member({project[0]}, session_user::text, 'admin');
        SELECT 'role: ' || tracker_my_role({project[0]});
        BEGIN;
        LOCK TABLE issue IN ACCESS EXCLUSIVE MODE;
        ROLLBACK;
        SELECT nextval('issue_id_seq');
        SELECT lo_create(0);
        """,
    )
    assert "permission denied: only an admin of the project may change members" in out, out
    assert "role: viewer" in out
    assert "permission denied for table issue" in out
    assert "permission denied for sequence issue_id_seq" in out
    assert "permission denied for function lo_create" in out
    with superuser(secured) as conn:
        assert planted(conn) == []
        assert conn.execute("SELECT count(*) FROM change WHERE new = 'forged'").fetchone() == (0,)
