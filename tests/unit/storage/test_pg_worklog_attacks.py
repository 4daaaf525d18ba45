"""Work logs on a secured database, attacked as an ordinary login would: raw psycopg over TCP
with its own password. Each test asserts what is stored afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.attacks import attempt, login
from tests.support.pgtcp import TcpCluster
from tests.support.secured import LOGINS, Secured, drop, make_secured, superuser
from tracker_gui.domain.durations import WorkCalendar
from tracker_gui.domain.models import NewIssue
from tracker_gui.errors import PermissionDeniedError
from tracker_gui.services.worklogs import WorklogService

pytestmark = pytest.mark.postgres


@pytest.fixture
def secured(pg_tcp_cluster: TcpCluster) -> Iterator[Secured]:
    from tests.support.attacks import PASSWORD

    logins = {**LOGINS, "mat": ("TRK", "member")}
    db = make_secured(pg_tcp_cluster, password=PASSWORD, prefix="wla_", logins=logins)
    adm = db.services("adm")
    issue = adm.issues.create(NewIssue("TRK", "Secret plan"))
    WorklogService.of(adm).log(issue.id, "2h", note="admin's time")
    db.close()
    yield db
    drop(db)


def _logs(db: Secured) -> list[tuple[Any, ...]]:
    """Every log as the superuser sees it: (id, issue title, user, minutes, note)."""
    with superuser(db) as conn:
        return conn.execute(
            "SELECT w.id, i.title, u.username, w.minutes, w.note FROM worklog w"
            " JOIN issue i ON i.id = w.issue_id JOIN app_user u ON u.id = w.user_id ORDER BY w.id"
        ).fetchall()


def _id(db: Secured, sql: str) -> int:
    with superuser(db) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def _issue(db: Secured, title: str = "Secret plan") -> int:
    return _id(db, f"SELECT id FROM issue WHERE title = '{title}'")


def test_a_member_cannot_log_time_as_someone_else(secured: Secured) -> None:
    issue = _issue(secured)
    admin = _id(secured, f"SELECT id FROM app_user WHERE username = '{secured.logins['adm']}'")
    before = _logs(secured)
    with login(secured, "mem") as conn:
        named = attempt(
            conn,
            "INSERT INTO worklog (issue_id, user_id, on_date, minutes) VALUES (%s, %s, %s, 60)",
            issue,
            admin,
            "2026-12-01",
        )
        own = attempt(
            conn,
            "INSERT INTO worklog (issue_id, on_date, minutes, note) VALUES (%s, %s, 30, 'mine')",
            issue,
            "2026-12-01",
        )
        moved = attempt(conn, "UPDATE worklog SET user_id = %s, minutes = 1", admin)
    assert (named, own, moved) == ("InsufficientPrivilege", "ok", "InsufficientPrivilege")
    after = _logs(secured)
    assert after[: len(before)] == before
    assert [row[2:] for row in after[len(before) :]] == [(secured.logins["mem"], 30, "mine")]


def test_a_member_cannot_remove_another_persons_log_but_removes_its_own(
    secured: Secured,
) -> None:
    theirs = _id(secured, "SELECT min(id) FROM worklog")
    with login(secured, "mem") as conn:
        through = attempt(conn, "SELECT tracker_delete_worklog(%s)", theirs)
        direct = attempt(conn, "DELETE FROM worklog WHERE id = %s", theirs)
        conn.execute(
            "INSERT INTO worklog (issue_id, on_date, minutes) VALUES (%s, '2026-12-02', 15)",
            (_issue(secured),),
        )
        mine = _id(secured, "SELECT max(id) FROM worklog")
        removed = conn.execute("SELECT tracker_delete_worklog(%s)", (mine,)).fetchone()
    assert (through, direct) == ("InsufficientPrivilege", "InsufficientPrivilege")
    assert removed == (1,)
    assert [row[0] for row in _logs(secured)] == [theirs]


def test_a_project_admin_removes_a_members_log(secured: Secured) -> None:
    with login(secured, "mat") as conn:
        conn.execute(
            "INSERT INTO worklog (issue_id, on_date, minutes) VALUES (%s, '2026-12-02', 15)",
            (_issue(secured),),
        )
    theirs = _id(secured, "SELECT max(id) FROM worklog")
    with login(secured, "mem") as conn:
        refused = attempt(conn, "SELECT tracker_delete_worklog(%s)", theirs)
    with login(secured, "adm") as conn:
        removed = conn.execute("SELECT tracker_delete_worklog(%s)", (theirs,)).fetchone()
    assert (refused, removed) == ("InsufficientPrivilege", (1,))
    assert theirs not in [row[0] for row in _logs(secured)]


def test_a_login_cannot_read_or_touch_logs_of_a_project_it_cannot_see(secured: Secured) -> None:
    before = _logs(secured)
    assert before  # TRK has a log to hide
    theirs = before[0][0]
    with login(secured, "out") as conn:
        seen = conn.execute("SELECT count(*) FROM worklog").fetchone()
        hidden_history = conn.execute(
            "SELECT count(*) FROM change WHERE field = 'logged'"
        ).fetchone()
        removed = conn.execute("SELECT tracker_delete_worklog(%s)", (theirs,)).fetchone()
        planted = attempt(
            conn,
            "INSERT INTO worklog (issue_id, on_date, minutes) VALUES (%s, '2026-12-01', 60)",
            _issue(secured),
        )
    assert (seen, hidden_history, removed) == ((0,), (0,), (0,))
    assert planted == "InsufficientPrivilege"
    assert _logs(secured) == before


def test_a_viewer_reads_logs_but_cannot_log_time(secured: Secured) -> None:
    before = _logs(secured)
    with login(secured, "vie") as conn:
        seen = conn.execute("SELECT minutes, note FROM worklog").fetchall()
        logged = attempt(
            conn,
            "INSERT INTO worklog (issue_id, on_date, minutes) VALUES (%s, '2026-12-01', 60)",
            _issue(secured),
        )
    assert seen == [(120, "admin's time")]
    assert logged == "InsufficientPrivilege"
    assert _logs(secured) == before


@pytest.mark.parametrize(
    ("minutes", "note", "day"),
    [
        (0, "", "2026-12-01"),
        (100001, "", "2026-12-01"),
        (60, "x" * 2001, "2026-12-01"),
        (60, "", "0001-01-01"),
    ],
)
def test_the_database_checks_a_logs_size_and_day(
    secured: Secured, minutes: int, note: str, day: str
) -> None:
    before = _logs(secured)
    with login(secured, "mem") as conn:
        outcome = attempt(
            conn,
            "INSERT INTO worklog (issue_id, on_date, minutes, note) VALUES (%s, %s, %s, %s)",
            _issue(secured),
            day,
            minutes,
            note,
        )
        remaining = attempt(conn, "UPDATE issue SET remaining_minutes = -5")
    assert (outcome, remaining) == ("CheckViolation", "CheckViolation")
    assert _logs(secured) == before


def test_the_app_logs_as_the_session_login_and_the_history_names_it(secured: Secured) -> None:
    mem = secured.services("mem")
    time = WorklogService.of(mem)
    issue = mem.issues.by_key("TRK-1")
    before = mem.feed.last_id()
    entry = time.log(issue.id, "1h15m", note="pairing")
    left = time.set_remaining(issue.id, "3h")
    assert entry.user == secured.logins["mem"]
    assert (left.logged, left.remaining, left.remaining_set) == (195, 180, True)
    history = [(c.actor, c.field, c.old, c.new) for c in mem.feed.changes_since(before)]
    who = secured.logins["mem"]
    assert history == [(who, "logged", None, "75"), (who, "remaining", None, "180")]
    first = time.entries(issue.id)[0]
    with pytest.raises(PermissionDeniedError):
        time.remove(first.id)
    viewer = WorklogService.of(secured.services("vie"))
    with pytest.raises(PermissionDeniedError):
        viewer.set_remaining(issue.id, "1h")
    assert time.spent_on(issue.id).remaining == 180
    with pytest.raises(PermissionDeniedError, match="needs the project's admin"):
        time.set_calendar(issue.project_id, WorkCalendar(day_minutes=360))
    admin = WorklogService.of(secured.services("adm"))
    admin.set_calendar(issue.project_id, WorkCalendar(day_minutes=360))
    assert time.calendar(issue.project_id) == WorkCalendar(day_minutes=360)
