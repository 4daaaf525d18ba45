"""Per-project roles enforced by PostgreSQL: through the app's services and through raw psycopg."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import errors as pgerr

from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.domain.enums import LinkKind, Role, StatusCategory
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.errors import ConflictError, NotFoundError, PermissionDeniedError, TransitionError

pytestmark = pytest.mark.postgres

# Every app table, and how to find the rows that belong to project TRK.
IN_TRK = "(SELECT id FROM issue WHERE project_id = {p})"
TRK_ROWS = {
    "project": "SELECT id FROM project WHERE key = 'TRK'",
    "status": "SELECT id FROM status WHERE project_id = {p}",
    "transition": "SELECT id FROM transition WHERE project_id = {p}",
    "issue": "SELECT id FROM issue WHERE project_id = {p}",
    "label": "SELECT id FROM label WHERE project_id = {p}",
    "comment": "SELECT id FROM comment WHERE issue_id IN " + IN_TRK,
    "issue_link": "SELECT id FROM issue_link WHERE source_id IN " + IN_TRK,
    "attachment": "SELECT id FROM attachment WHERE issue_id IN " + IN_TRK,
    "change": "SELECT id FROM change WHERE project_id = {p}",
    "project_member": "SELECT project_id FROM project_member WHERE project_id = {p}",
    "issue_label": "SELECT issue_id FROM issue_label WHERE issue_id IN " + IN_TRK,
    "watcher": "SELECT issue_id FROM watcher WHERE issue_id IN " + IN_TRK,
    "issue_search": "SELECT issue_id FROM issue_search WHERE issue_id IN " + IN_TRK,
}
KEY_COLUMN = {
    "project_member": "project_id",
    "issue_label": "issue_id",
    "watcher": "issue_id",
    "issue_search": "issue_id",
}


@pytest.fixture(scope="module")
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster)
    adm = db.services("adm")
    trk = adm.projects.project("TRK")
    adm.projects.set_transitions(trk.id, [])
    one = adm.issues.create(NewIssue("TRK", "Secret plan", labels=("x",), watchers=()))
    two = adm.issues.create(NewIssue("TRK", "Second"))
    adm.issues.comment(one.id, "a comment")
    adm.issues.link(one.id, LinkKind.BLOCKS, two.key)
    adm.issues.watch(one.id)
    adm.issues.attach(one.id, "notes.txt", b"hello")
    statuses = adm.projects.statuses(trk.id)
    adm.projects.set_transitions(trk.id, [(statuses[0].id, statuses[1].id)])
    out = db.services("out")
    out.issues.create(NewIssue("OPS", "Ops work"))
    db.close()
    yield db
    drop(db)


def _trk(db: Secured) -> int:
    with superuser(db) as conn:
        row = conn.execute("SELECT id FROM project WHERE key = 'TRK'").fetchone()
        assert row is not None
        return int(row[0])


def _snapshot(db: Secured) -> dict[str, Any]:
    """Every row of every table, read as the superuser: what a refused write must not move."""
    out = {}
    with superuser(db) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND relkind = 'r' AND relname <> 'history_pending'"
            )
        ]
        for table in tables:
            out[table] = sorted(map(repr, conn.execute(f'SELECT * FROM "{table}"').fetchall()))
    return out


def _refused(conn: psycopg.Connection[Any], statement: str, *args: Any) -> str:
    """Run a write that must raise; return the error class name."""
    with pytest.raises(psycopg.Error) as info:
        conn.execute(statement, args or None)
    return type(info.value).__name__


# -- catalog ---------------------------------------------------------------------------------
def test_every_table_has_row_level_security_forced(secured: Secured) -> None:
    with superuser(secured) as conn:
        rows = conn.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner)"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
        ).fetchall()
    names = {r[0] for r in rows}
    assert {"issue", "change", "comment", "project_member", "schema_migration"} <= names
    assert [r[0] for r in rows if not (r[1] and r[2])] == []
    assert {r[3] for r in rows} == {"tracker_owner"}


def test_no_definer_function_can_be_run_by_public(secured: Secured) -> None:
    with superuser(secured) as conn:
        definers = conn.execute(
            "SELECT p.oid::regprocedure::text, has_function_privilege('public', p.oid, 'EXECUTE')"
            " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = 'public' AND p.prosecdef"
        ).fetchall()
        connect = conn.execute(
            "SELECT has_database_privilege('public', current_database(), 'CONNECT')"
        ).fetchone()
    assert len(definers) > 10
    assert [name for name, public in definers if public] == []
    assert connect == (False,)


# -- a login with no role in TRK ---------------------------------------------------------------
def test_non_member_sees_nothing_of_another_project_through_the_app(secured: Secured) -> None:
    out = secured.services("out")
    assert [p.key for p in out.projects.projects()] == ["OPS"]
    assert {i.project_key for i in out.issues.search(IssueFilter())} == {"OPS"}
    assert out.issues.search(IssueFilter(query="secret plan")) == []
    with pytest.raises(NotFoundError):
        out.issues.by_key("TRK-1")
    assert {c.project_id for c in out.feed.recent(500)} == {out.projects.project("OPS").id}
    assert out.projects.my_role(_trk(secured)) is None
    before = _snapshot(secured)
    with pytest.raises(ConflictError):
        out.issues.edit(1, 1, {"title": "mine now"})
    with pytest.raises(NotFoundError, match="no project with key 'TRK'"):
        out.issues.create(NewIssue("TRK", "sneaked in"))
    assert _snapshot(secured) == before


def test_non_member_cannot_read_or_write_any_table_with_raw_psycopg(secured: Secured) -> None:
    project = _trk(secured)
    with superuser(secured) as conn:
        owned = {t: [r[0] for r in conn.execute(q.format(p=project))] for t, q in TRK_ROWS.items()}
    assert all(owned.values()), {t: ids for t, ids in owned.items() if not ids}
    before = _snapshot(secured)
    with secured.raw("out") as conn:
        for table, ids in owned.items():
            column = KEY_COLUMN.get(table, "id")
            seen = conn.execute(
                f'SELECT count(*) FROM "{table}" WHERE {column} = ANY(%s)', (ids,)
            ).fetchone()
            assert seen == (0,), table
            if table in ("change", "project", "project_member", "issue_search"):
                continue
            # No login holds DELETE on any table: deletes go through definer functions.
            deleted = _refused(conn, f'DELETE FROM "{table}" WHERE {column} = ANY(%s)', ids)
            assert deleted == "InsufficientPrivilege", table
        for function, ids in (
            ("tracker_delete_issue(%s, 1)", owned["issue"]),
            ("tracker_delete_comment(%s)", owned["comment"]),
            ("tracker_delete_link(%s)", owned["issue_link"]),
            ("tracker_delete_status(%s)", owned["status"]),
            ("tracker_delete_label(%s)", owned["label"]),
            ("tracker_delete_attachment(%s)", owned["attachment"]),
            ("tracker_delete_transitions(%s)", [project]),
            ("tracker_delete_issue_labels(%s)", owned["issue"]),
        ):
            # A row the login cannot see is as good as absent: nothing deleted, nothing said.
            assert conn.execute(f"SELECT {function}", (ids[0],)).fetchone() == (0,), function
        issue = owned["issue"][0]
        status = owned["status"][0]
        updates = [
            ("issue", "title = 'pwned'"),
            ("comment", "body = 'pwned'"),
            ("status", "name = 'pwned'"),
            ("label", "name = 'pwned'"),
        ]
        for table, assignment in updates:
            cur = conn.execute(
                f'UPDATE "{table}" SET {assignment} WHERE id = ANY(%s)', (owned[table],)
            )
            assert cur.rowcount == 0, table
        refused = [
            _refused(
                conn,
                "INSERT INTO issue (uid, project_id, type, title, status_id, priority, rank)"
                " VALUES ('u1', %s, 'task', 'x', %s, 3, 'a0')",
                project,
                status,
            ),
            _refused(conn, "INSERT INTO comment (issue_id, body) VALUES (%s, 'x')", issue),
            _refused(
                conn,
                "INSERT INTO issue_label (issue_id, label_id) VALUES (%s, %s)",
                issue,
                owned["label"][0],
            ),
            _refused(conn, "INSERT INTO watcher (issue_id, user_id) VALUES (%s, 1)", issue),
            _refused(
                conn,
                "INSERT INTO issue_link (kind, source_id, target_id) VALUES ('blocks', %s, %s)",
                issue,
                owned["issue"][1],
            ),
            _refused(conn, "INSERT INTO label (project_id, name) VALUES (%s, 'x2')", project),
            _refused(
                conn,
                "INSERT INTO status (project_id, name, category, position)"
                " VALUES (%s, 'S', 'todo', 9)",
                project,
            ),
            _refused(
                conn,
                "INSERT INTO transition (project_id, from_status_id, to_status_id)"
                " VALUES (%s, %s, %s)",
                project,
                status,
                owned["status"][2],
            ),
            _refused(
                conn,
                "INSERT INTO change (project_id, issue_id, actor, at, field)"
                " VALUES (%s, %s, 'x', now(), 'title')",
                project,
                issue,
            ),
            _refused(
                conn, "INSERT INTO project_member VALUES (%s, current_user, 'admin')", project
            ),
            _refused(conn, "SELECT tracker_set_member(%s, current_user::text, 'admin')", project),
            _refused(conn, "UPDATE change SET new = 'forged'"),
            _refused(conn, "DELETE FROM change"),
        ]
    assert set(refused) <= {"InsufficientPrivilege", "CheckViolation"}, refused
    assert _snapshot(secured) == before


# -- a viewer ----------------------------------------------------------------------------------
def test_viewer_reads_but_cannot_write(secured: Secured) -> None:
    vie = secured.services("vie")
    issue = vie.issues.by_key("TRK-1")
    assert issue.title == "Secret plan"
    assert [i.key for i in vie.issues.search(IssueFilter(query="secret plan"))] == ["TRK-1"]
    assert vie.projects.my_role(issue.project_id) is Role.VIEWER
    before = _snapshot(secured)
    with pytest.raises(PermissionDeniedError):
        vie.issues.create(NewIssue("TRK", "viewer's idea"))
    with pytest.raises(PermissionDeniedError):
        vie.issues.edit(issue.id, issue.version, {"title": "viewer edit"})
    with pytest.raises(PermissionDeniedError):
        vie.issues.comment(issue.id, "viewer comment")
    with pytest.raises(PermissionDeniedError):
        vie.issues.move(issue.id, issue.version, vie.projects.statuses(issue.project_id)[1].id)
    with secured.raw("vie") as conn:
        assert (
            conn.execute("UPDATE issue SET title = 'raw' WHERE id = %s", (issue.id,)).rowcount == 0
        )
        _refused(conn, "INSERT INTO comment (issue_id, body) VALUES (%s, 'x')", issue.id)
    assert _snapshot(secured) == before


# -- a member ----------------------------------------------------------------------------------
def test_member_works_on_issues_but_not_on_membership_workflow_or_history(
    secured: Secured,
) -> None:
    mem = secured.services("mem")
    project = mem.projects.project("TRK")
    made = mem.issues.create(NewIssue("TRK", "member's issue", labels=("m",)))
    edited = mem.issues.edit(made.id, made.version, {"title": "member's issue, edited"})
    mem.issues.comment(made.id, "member comment")
    assert edited.version == 2 and edited.reporter == "sec_mem"
    before = _snapshot(secured)
    with pytest.raises(PermissionDeniedError):
        mem.projects.set_member_role(project.id, "sec_vie", Role.ADMIN)
    with pytest.raises(PermissionDeniedError):
        mem.projects.set_transitions(project.id, [])
    with pytest.raises(PermissionDeniedError):
        mem.projects.update_status(mem.projects.statuses(project.id)[0].id, wip_limit=1)
    with pytest.raises(PermissionDeniedError):
        mem.projects.add_status(project.id, "Blocked", StatusCategory.IN_PROGRESS)
    with pytest.raises(PermissionDeniedError):
        mem.issues.delete(edited.id, edited.version)
    with pytest.raises(PermissionDeniedError):
        mem.issues.archive(edited.id, edited.version)
    with secured.raw("mem") as conn:
        refused = [
            _refused(conn, "UPDATE issue SET version = 99 WHERE id = %s", made.id),
            _refused(conn, "UPDATE issue SET updated_at = now() WHERE id = %s", made.id),
            _refused(conn, "UPDATE issue SET reporter_id = 1 WHERE id = %s", made.id),
            _refused(conn, "UPDATE issue SET number = 999 WHERE id = %s", made.id),
            _refused(conn, "UPDATE change SET new = 'forged' WHERE issue_id = %s", made.id),
            _refused(conn, "DELETE FROM change WHERE issue_id = %s", made.id),
            _refused(conn, "TRUNCATE change"),
            _refused(
                conn,
                "INSERT INTO change (project_id, issue_id, actor, at, field, new)"
                " VALUES (%s, %s, 'sec_adm', now(), 'title', 'forged')",
                project.id,
                made.id,
            ),
            _refused(conn, "SELECT tracker_log(%s, %s, 'title', 'a', 'b')", project.id, made.id),
            _refused(
                conn, "INSERT INTO project_member VALUES (%s, 'sec_vie', 'admin')", project.id
            ),
            _refused(conn, "SELECT tracker_set_member(%s, 'sec_vie', 'admin')", project.id),
            _refused(
                conn,
                "INSERT INTO transition (project_id, from_status_id, to_status_id)"
                " SELECT project_id, id, id FROM status WHERE project_id = %s LIMIT 1",
                project.id,
            ),
        ]
        refused += [
            _refused(conn, "DELETE FROM transition WHERE project_id = %s", project.id),
            _refused(conn, "SELECT tracker_delete_transitions(%s)", project.id),
            _refused(conn, "SELECT tracker_delete_issue(%s, %s)", made.id, edited.version),
        ]
    assert set(refused) == {"InsufficientPrivilege"}, refused
    assert _snapshot(secured) == before


def test_the_workflow_is_enforced_by_the_database_too(secured: Secured) -> None:
    """A raw UPDATE that skips the app's transition and WIP checks is refused by the trigger."""
    mem = secured.services("mem")
    issue = mem.issues.create(NewIssue("TRK", "follow the workflow"))
    statuses = mem.projects.statuses(issue.project_id)
    with secured.raw("mem") as conn:
        # Only To Do -> In Progress is allowed (set by the fixture).
        err = _refused(
            conn, "UPDATE issue SET status_id = %s WHERE id = %s", statuses[3].id, issue.id
        )
        assert err == "CheckViolation"
        conn.execute("UPDATE issue SET status_id = %s WHERE id = %s", (statuses[1].id, issue.id))
    assert mem.issues.get(issue.id).status_id == statuses[1].id
    assert [c.field for c in mem.feed.history(issue.id)][-1] == "status"


def test_wip_limit_is_enforced_by_the_database(secured: Secured) -> None:
    adm = secured.services("adm")
    project = adm.projects.project("TRK")
    doing = adm.projects.statuses(project.id)[1]
    in_doing = adm.issues.count(IssueFilter(project_ids=(project.id,), status_ids=(doing.id,)))
    adm.projects.update_status(doing.id, wip_limit=in_doing + 1)
    try:
        first = adm.issues.create(NewIssue("TRK", "fills the column"))
        second = adm.issues.create(NewIssue("TRK", "one too many"))
        adm.issues.move(first.id, first.version, doing.id)
        with pytest.raises(TransitionError, match="WIP limit"):
            adm.issues.move(second.id, second.version, doing.id)
        assert adm.issues.get(second.id).status_id != doing.id
    finally:
        adm.projects.update_status(doing.id, wip_limit=None)


# -- an admin ----------------------------------------------------------------------------------
def test_admin_manages_members_workflow_and_deletes(secured: Secured) -> None:
    adm = secured.services("adm")
    project = adm.projects.project("TRK")
    adm.projects.set_member_role(project.id, "sec_out", Role.VIEWER)
    out = secured.services("out")
    assert [p.key for p in out.projects.projects()] == ["OPS", "TRK"]
    assert out.projects.my_role(project.id) is Role.VIEWER
    assert {m.username: m.role for m in adm.projects.members(project.id)}["sec_out"] is Role.VIEWER
    adm.projects.set_member_role(project.id, "sec_out", None)
    assert [p.key for p in out.projects.projects()] == ["OPS"]
    assert "sec_out" not in {m.username for m in adm.projects.members(project.id)}
    victim = adm.issues.create(NewIssue("TRK", "to be archived and deleted"))
    archived = adm.issues.archive(victim.id, victim.version)
    assert archived.archived and archived.version == 2
    adm.issues.delete(archived.id, archived.version)
    fields = [c.field for c in adm.feed.history(victim.id)]
    assert fields == ["created", "archived", "deleted"]
    with secured.raw("adm") as conn:
        assert (
            _refused(conn, "DELETE FROM change WHERE issue_id = %s", victim.id)
            == "InsufficientPrivilege"
        )


def test_history_is_immutable_even_for_its_owner_and_the_superuser(secured: Secured) -> None:
    with superuser(secured) as conn:
        assert _refused(conn, "UPDATE change SET new = 'x'") == "InsufficientPrivilege"
        assert _refused(conn, "DELETE FROM change") == "InsufficientPrivilege"
        assert _refused(conn, "TRUNCATE change") == "InsufficientPrivilege"
        conn.execute("SET ROLE tracker_owner")
        assert _refused(conn, "DELETE FROM change") == "InsufficientPrivilege"
        row = conn.execute("SELECT count(*) FROM change").fetchone()
        assert row is not None and row[0] > 10


def test_setup_is_idempotent_and_keeps_the_data(secured: Secured) -> None:
    from tracker_gui.storage.postgres.provision import setup_postgres

    before = _snapshot(secured)
    report = setup_postgres(secured.super_url)
    assert report.migrations == ()
    assert _snapshot(secured) == before
    assert pgerr.InsufficientPrivilege is not None


def test_own_issue_cannot_reach_into_another_project(secured: Secured) -> None:
    """Labels and parents of another project would leak its names into one's own history."""
    project = _trk(secured)
    with superuser(secured) as conn:
        label = conn.execute("SELECT id FROM label WHERE project_id = %s", (project,)).fetchone()
        theirs = conn.execute("SELECT id FROM issue WHERE project_id = %s", (project,)).fetchone()
        mine = conn.execute(
            "SELECT i.id FROM issue i JOIN project p ON p.id = i.project_id WHERE p.key = 'OPS'"
        ).fetchone()
    assert label and theirs and mine
    before = _snapshot(secured)
    with secured.raw("out") as conn:
        errors = [
            _refused(conn, "INSERT INTO issue_label VALUES (%s, %s)", mine[0], label[0]),
            _refused(conn, "UPDATE issue SET parent_id = %s WHERE id = %s", theirs[0], mine[0]),
            _refused(
                conn,
                "INSERT INTO issue_link (kind, source_id, target_id) VALUES ('blocks', %s, %s)",
                mine[0],
                theirs[0],
            ),
        ]
    assert errors == ["InsufficientPrivilege", "CheckViolation", "InsufficientPrivilege"]
    assert _snapshot(secured) == before
