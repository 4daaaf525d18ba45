"""Sprints on a secured database, tried as the attacker: raw psycopg over TCP, own password.

Only a project admin plans, starts and closes sprints; members put issues in them; nobody
sees another project's sprints, starts a second active one, or writes the figures of a start
or close (the database counts them), and the history is the triggers', not the client's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.attacks import attempt, login
from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.errors import PermissionDeniedError
from tracker_gui.services import open_services

pytestmark = pytest.mark.postgres


@pytest.fixture
def secured(pg_tcp_cluster: TcpCluster) -> Iterator[Secured]:
    from tests.support.attacks import PASSWORD

    db = make_secured(pg_tcp_cluster, password=PASSWORD, prefix="spr_")
    adm = db.services("adm")
    adm.sprints.add("TRK", "Sprint 1", "2026-01-05", "2026-01-16")
    adm.sprints.add("TRK", "Sprint 2", "2026-01-19", "2026-01-30")
    for n in range(5):
        adm.issues.create(NewIssue("TRK", f"Issue {n + 1}"))
    db.close()
    yield db
    drop(db)


def _one(secured: Secured, sql: str, *args: Any) -> Any:
    with superuser(secured) as conn:
        row = conn.execute(sql, args or None).fetchone()
    return None if row is None else (row[0] if len(row) == 1 else tuple(row))


def _ids(secured: Secured) -> dict[str, int]:
    with superuser(secured) as conn:
        rows = conn.execute("SELECT name, id FROM sprint").fetchall()
    return {str(n): int(i) for n, i in rows}


def test_only_an_admin_of_the_project_writes_sprints(secured: Secured) -> None:
    trk = _one(secured, "SELECT id FROM project WHERE key = 'TRK'")
    ops = _one(secured, "SELECT id FROM project WHERE key = 'OPS'")
    sprint = _ids(secured)["Sprint 1"]
    insert = (
        "INSERT INTO sprint (project_id, name, start_date, end_date) "
        "VALUES (%s, 'Mine', '2026-03-01', '2026-03-02')"
    )
    for who in ("mem", "vie", "out"):
        with login(secured, who) as conn:
            assert attempt(conn, insert, trk) == "InsufficientPrivilege"
            conn.execute("UPDATE sprint SET state = 'active' WHERE id = %s", (sprint,))
            conn.execute("UPDATE sprint SET name = 'Renamed' WHERE id = %s", (sprint,))
    # `out` (member of OPS only) cannot even write one in OPS, and sees no TRK sprint.
    with login(secured, "out") as conn:
        assert attempt(conn, insert, ops) == "InsufficientPrivilege"
        assert conn.execute("SELECT count(*) FROM sprint").fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM issue WHERE sprint_id IS NOT NULL"
        ).fetchone() == (0,)
    assert _one(secured, "SELECT name, state FROM sprint WHERE id = %s", sprint) == (
        "Sprint 1",
        "planned",
    )
    assert _one(secured, "SELECT count(*) FROM sprint") == 2
    # Through the app, the same refusal in words.
    mem = secured.services("mem")
    with pytest.raises(PermissionDeniedError, match="needs admin"):
        mem.sprints.start("TRK", "Sprint 1")
    with pytest.raises(PermissionDeniedError, match="needs admin"):
        mem.sprints.add("TRK", "Sprint 3", "2026-02-01", "2026-02-10")
    # A viewer plans nothing, in SQL or through the app.
    vie = secured.services("vie")
    issue = vie.issues.by_key("TRK-1")
    with pytest.raises(PermissionDeniedError, match="needs member"):
        vie.sprints.set_sprint([issue.id], "Sprint 1")
    with login(secured, "vie") as conn:
        conn.execute("UPDATE issue SET sprint_id = %s WHERE number = 1", (sprint,))
    assert _one(secured, "SELECT count(*) FROM issue WHERE sprint_id IS NOT NULL") == 0


def test_no_second_active_sprint_and_no_forged_figures(secured: Secured) -> None:
    ids = _ids(secured)
    with login(secured, "mem") as conn:  # members plan issues
        conn.execute("UPDATE issue SET sprint_id = %s WHERE number <= 3", (ids["Sprint 1"],))
    with login(secured, "adm") as conn:
        # The figures are the database's: what the admin names is overwritten.
        conn.execute("UPDATE sprint SET state = 'active' WHERE id = %s", (ids["Sprint 1"],))
        assert (
            attempt(conn, "UPDATE sprint SET scope_start = 99 WHERE id = %s", ids["Sprint 1"])
            == "InsufficientPrivilege"
        )
        assert (
            attempt(conn, "UPDATE sprint SET state = 'active' WHERE id = %s", ids["Sprint 2"])
            == "UniqueViolation"
        )
        assert (
            attempt(
                conn,
                "INSERT INTO sprint (project_id, name, start_date, end_date, state)"
                " SELECT project_id, 'Also active', '2026-05-01', '2026-05-02', 'active'"
                " FROM sprint WHERE id = %s",
                ids["Sprint 1"],
            )
            == "UniqueViolation"
        )
        # Back to planned is not a move a sprint makes.
        assert (
            attempt(conn, "UPDATE sprint SET state = 'planned' WHERE id = %s", ids["Sprint 1"])
            == "CheckViolation"
        )
        assert (
            attempt(
                conn,
                "INSERT INTO sprint (project_id, name, start_date, end_date) SELECT project_id,"
                " 'sprint 1', '2026-05-01', '2026-05-02' FROM sprint WHERE id = %s",
                ids["Sprint 1"],
            )
            == "UniqueViolation"
        )  # names are unique whatever the case
        assert (
            attempt(
                conn,
                "INSERT INTO sprint (project_id, name, start_date, end_date) SELECT project_id,"
                " 'Backwards', '2026-05-02', '2026-05-01' FROM sprint WHERE id = %s",
                ids["Sprint 1"],
            )
            == "CheckViolation"
        )
    assert _one(
        secured, "SELECT state, scope_start FROM sprint WHERE id = %s", ids["Sprint 1"]
    ) == ("active", 3)
    assert _one(secured, "SELECT state FROM sprint WHERE id = %s", ids["Sprint 2"]) == "planned"
    # The history: three planned issues and the start, written by the triggers.
    with superuser(secured) as conn:
        rows = conn.execute(
            "SELECT field, old, new, actor FROM change"
            " WHERE field IN ('sprint', 'sprint_state') ORDER BY id"
        ).fetchall()
    one = str(ids["Sprint 1"])
    assert rows == [("sprint_state", None, "planned", "spr_adm")] * 2 + [
        ("sprint", None, one, "spr_mem")
    ] * 3 + [("sprint_state", "planned", "active", "spr_adm")]


def test_an_issue_joins_only_an_open_sprint_of_its_project(secured: Secured) -> None:
    ids = _ids(secured)
    adm = secured.services("adm")
    root = open_services(secured.super_url)
    secured.opened.append(root)
    root.sprints.add("OPS", "Ops sprint", "2026-01-05", "2026-01-16")
    ops_sprint = _ids(secured)["Ops sprint"]
    with login(secured, "mem") as conn:
        assert (
            attempt(conn, "UPDATE issue SET sprint_id = %s WHERE number = 1", ops_sprint)
            == "CheckViolation"
        )
    adm.sprints.start("TRK", "Sprint 2")
    adm.sprints.close("TRK", "Sprint 2")
    with login(secured, "mem") as conn:
        assert (
            attempt(conn, "UPDATE issue SET sprint_id = %s WHERE number = 1", ids["Sprint 2"])
            == "CheckViolation"
        )
    assert _one(secured, "SELECT count(*) FROM issue WHERE sprint_id IS NOT NULL") == 0


def test_the_done_when_flow_on_a_secured_database(secured: Secured) -> None:
    """The members plan and finish the work; the admin starts and closes the sprint."""
    mem, adm = secured.services("mem"), secured.services("adm")
    issues = mem.issues.search(IssueFilter(), sort="key")
    mem.sprints.set_sprint([i.id for i in issues], "Sprint 1")
    assert adm.sprints.start("TRK", "Sprint 1").scope_start == 5
    done = next(s for s in mem.projects.statuses(issues[0].project_id) if s.name == "Done")
    for issue in issues[:3]:
        mem.issues.move(issue.id, mem.issues.get(issue.id).version, done.id)
    closed = adm.sprints.close("TRK", "Sprint 1", carry_to="Sprint 2")
    sprint = closed.sprint
    assert (sprint.scope_start, sprint.scope_close, sprint.done_close) == (5, 5, 3)
    assert closed.moved == tuple(i.key for i in issues[3:])
    ids = _ids(secured)
    one, two = str(ids["Sprint 1"]), str(ids["Sprint 2"])
    with superuser(secured) as conn:
        rows = conn.execute(
            "SELECT issue_id, field, old, new FROM change"
            " WHERE field IN ('sprint', 'sprint_state') ORDER BY id"
        ).fetchall()
    assert (
        rows
        == (
            [(None, "sprint_state", None, "planned")] * 2  # the fixture's two adds
            + [(i.id, "sprint", None, one) for i in issues]
            + [
                (None, "sprint_state", "planned", "active"),
                (None, "sprint_state", "active", "closed"),
            ]
            + [(i.id, "sprint", one, two) for i in issues[3:]]
        )
    )


def test_an_issue_made_into_a_sprint_logs_created_then_sprint(secured: Secured) -> None:
    mem = secured.services("mem")
    made = mem.sprints.create_in(mem.issues, NewIssue("TRK", "Planned"), "sprint 1")
    with login(secured, "mem") as conn:  # raw: made with its sprint in the INSERT
        conn.execute(
            "INSERT INTO issue (uid, project_id, type, title, description, status_id, priority,"
            " rank, sprint_id) SELECT 'e0b9c6a4-3e2f-4a53-9d51-0f1c0c3d9a11', project_id,"
            " 'task', 'Raw', '', status_id, 3, 'a5', sprint_id FROM issue WHERE id = %s",
            (made.id,),
        )
    raw = _one(secured, "SELECT id FROM issue WHERE title = 'Raw'")
    one = str(_ids(secured)["Sprint 1"])
    with superuser(secured) as conn:
        rows = conn.execute(
            "SELECT issue_id, field, new FROM change WHERE issue_id IN (%s, %s)"
            " AND field IN ('created', 'sprint') ORDER BY id",
            (made.id, raw),
        ).fetchall()
    assert [(i, f) for i, f, _ in rows] == [
        (made.id, "created"),
        (made.id, "sprint"),
        (raw, "created"),
        (raw, "sprint"),
    ]
    assert [n for _, f, n in rows if f == "sprint"] == [one, one]


def test_a_new_sprint_is_logged_by_the_database_and_cannot_be_forged(secured: Secured) -> None:
    """Adding a sprint writes the project's `sprint_state` row (old NULL) in the trigger, as
    the login that added it; a member can neither add a sprint nor write such a row itself."""
    trk = _one(secured, "SELECT id FROM project WHERE key = 'TRK'")
    fields = "project_id, issue_id, actor, at, field, old, new"
    forged = (
        f"INSERT INTO change ({fields}) VALUES (%s, NULL, 'spr_adm', now(), 'sprint_state',"
        " NULL, 'planned')"
    )
    log = "SELECT actor, old, new FROM change WHERE field = 'sprint_state' ORDER BY id"
    with superuser(secured) as conn:
        before = conn.execute(log).fetchall()
    assert before == [("spr_adm", None, "planned")] * 2  # the fixture's adds, by the app
    for who in ("mem", "vie", "out"):
        with login(secured, who) as conn:
            assert attempt(conn, forged, trk) == "InsufficientPrivilege"
            assert (
                attempt(
                    conn,
                    "INSERT INTO sprint (project_id, name, start_date, end_date)"
                    " VALUES (%s, 'Forged', '2026-03-01', '2026-03-02')",
                    trk,
                )
                == "InsufficientPrivilege"
            )
    with login(secured, "adm") as conn:  # raw SQL, as the CLI of an older client would
        conn.execute(
            "INSERT INTO sprint (project_id, name, start_date, end_date)"
            " VALUES (%s, 'Raw', '2026-03-01', '2026-03-02')",
            (trk,),
        )
        # What the admin's own session reads back is the row the trigger wrote.
        assert conn.execute(
            "SELECT project_id, issue_id, actor, old, new FROM change"
            " WHERE field = 'sprint_state' ORDER BY id DESC LIMIT 1"
        ).fetchone() == (trk, None, "spr_adm", None, "planned")
    with superuser(secured) as conn:
        assert conn.execute(log).fetchall() == [*before, ("spr_adm", None, "planned")]
    # Through the app on a secured database, the add reports the row it wrote.
    adm = secured.services("adm")
    last = adm.feed.last_id()
    adm.sprints.add("TRK", "Sprint 3", "2026-02-02", "2026-02-13")
    assert [(c.field, c.old, c.new, c.issue_id) for c in adm.feed.changes_since(last)] == [
        ("sprint_state", None, "planned", None)
    ]
