"""Row-level security that stays cheap: what a member's reads cost under the policies.

Checked on the plan, not on a clock: a read of a few issues' labels probes the issue index
once per row (the policy is correlated on the issue's key), and the membership function is
called once per statement (an init plan), never once per row. The old `issue_id IN (SELECT
id FROM issue ...)` policy hashed every visible issue for each such read (4.8 ms at 10,000
issues over TCP, against 0.2 ms now; see docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.domain.models import NewIssue

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster, projects=("TRK", "OPS"), prefix="plan_")
    member = db.services("mem")
    for n in range(30):
        member.issues.create(NewIssue("TRK", f"issue {n}", labels=("ui",) if n % 3 else ()))
    db.services("out").issues.create(NewIssue("OPS", "not for mem"))
    # A team's size (the plan is a cost choice: over a few hundred issues hashing them all
    # is the cheaper plan, and the planner rightly takes it), written in one statement.
    with superuser(db) as conn:
        conn.execute(
            """INSERT INTO issue (uid, project_id, number, type, title, description, status_id,
                                  priority, reporter_id, rank, version, archived)
               SELECT gen_random_uuid()::text, p.id, 0, 'task', 'bulk ' || g, '', s.id, 3, u.id,
                      'e' || lpad(g::text, 5, '0'), 1, false
               FROM generate_series(1, 10000) AS g, project AS p, status AS s, app_user AS u
               WHERE p.key = 'TRK' AND s.project_id = p.id AND s.position = 0
                 AND u.username = 'plan_mem'"""
        )
        conn.execute("ANALYZE")  # what a real server's autovacuum does after a bulk load
    yield db
    drop(db)


def plan(secured: Secured, who: str, sql: str, params: tuple[object, ...]) -> str:
    with secured.raw(who) as conn:
        rows = conn.execute("EXPLAIN (COSTS OFF) " + sql, params).fetchall()
    return "\n".join(str(r[0]) for r in rows)


def test_a_members_label_read_probes_the_issue_key_instead_of_hashing_every_issue(
    secured: Secured,
) -> None:
    ids = tuple(range(1, 11))
    shown = plan(
        secured,
        "mem",
        "SELECT il.issue_id, l.name FROM issue_label AS il JOIN label AS l ON l.id = il.label_id"
        " WHERE il.issue_id = ANY(%s)",
        (list(ids),),
    )
    assert "issue_pkey" in shown, shown
    assert "hashed SubPlan" not in shown, shown


def test_the_membership_function_runs_once_per_statement(secured: Secured) -> None:
    shown = plan(secured, "mem", "SELECT id FROM issue WHERE status_id IS NOT NULL", ())
    assert "InitPlan" in shown, shown
    # And the policy still hides what mem may not read: mem is not in OPS.
    with secured.raw("mem") as conn:
        keys = {r[0] for r in conn.execute("SELECT DISTINCT p.key FROM issue JOIN project AS p"
                                           " ON p.id = issue.project_id").fetchall()}  # fmt: skip
    assert keys == {"TRK"}
