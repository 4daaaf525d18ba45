"""Time tracking in offline team mode: the copy holds the logs and remaining times a login may
read; time logged offline is queued and pushed; removing a log or setting the remaining
time needs the server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.secured import Secured, superuser
from tests.sync.helpers import engine, replica_view, server_view
from tracker_gui.domain.models import NewIssue
from tracker_gui.errors import UserError
from tracker_gui.services.sync import SyncService
from tracker_gui.services.worklogs import WorklogService

pytestmark = pytest.mark.postgres


@pytest.fixture
def logged(secured: Secured) -> Secured:
    adm = secured.services("adm")
    issue = adm.issues.create(NewIssue("TRK", "Login crash", estimate=4.0))
    WorklogService.of(adm).log(issue.id, "1h30m", note="reproduced")
    secured.close()
    return secured


def _spent(sync: SyncService, key: str) -> tuple[list[tuple[str, int, str]], int, int | None]:
    local = sync.local_services()
    try:
        time = WorklogService.of(local)
        issue = local.issues.by_key(key)
        spent = time.spent_on(issue.id)
        logs = [(w.user, w.minutes, w.note) for w in time.entries(issue.id)]
        return logs, spent.logged, spent.remaining
    finally:
        local.close()


def test_the_copy_holds_the_logs_and_follows_the_server(logged: Secured, tmp_path: Path) -> None:
    mem = engine(logged, "mem", tmp_path / "mem")
    mem.sync()
    assert _spent(mem, "TRK-1") == ([(logged.logins["adm"], 90, "reproduced")], 90, 150)
    adm = logged.services("adm")
    time = WorklogService.of(adm)
    issue = adm.issues.by_key("TRK-1")
    time.set_remaining(issue.id, "1h")
    time.log(issue.id, "30m")
    mem.sync()
    assert _spent(mem, "TRK-1")[1:] == (120, 60)
    assert replica_view(mem) == server_view(logged, "mem")
    outsider = engine(logged, "out", tmp_path / "out")
    outsider.sync()
    assert replica_view(outsider)["worklog"] == [] == server_view(logged, "out")["worklog"]


def test_time_logged_offline_is_queued_and_pushed_as_the_login(
    logged: Secured, tmp_path: Path
) -> None:
    mem = engine(logged, "mem", tmp_path / "mem")
    mem.sync()
    local = mem.local_services()  # no server behind it: as when offline
    try:
        time = WorklogService.of(local)
        issue = local.issues.by_key("TRK-1")
        time.log(issue.id, "45m", note="on the train")
        assert [w.minutes for w in time.entries(issue.id)] == [90, 45]  # seen at once
        with pytest.raises(UserError, match="setting the remaining time needs the server"):
            time.set_remaining(issue.id, "1h")
        with pytest.raises(UserError, match="removing a work log needs the server"):
            time.remove(time.entries(issue.id)[0].id)
    finally:
        local.close()
    assert mem.status().waiting == 1
    report = mem.sync()
    assert (report.pushed, report.conflicts, report.refused) == (1, 0, 0)
    with superuser(logged) as conn:
        rows = conn.execute(
            "SELECT u.username, w.minutes, w.note FROM worklog w"
            " JOIN app_user u ON u.id = w.user_id ORDER BY w.id"
        ).fetchall()
    assert rows == [
        (logged.logins["adm"], 90, "reproduced"),
        (logged.logins["mem"], 45, "on the train"),
    ]
    mem.sync()
    assert replica_view(mem) == server_view(logged, "mem")


def test_a_viewers_offline_log_is_refused_by_the_server_and_leaves_the_copy(
    logged: Secured, tmp_path: Path
) -> None:
    vie = engine(logged, "vie", tmp_path / "vie")
    vie.sync()
    local = vie.local_services()
    try:
        issue = local.issues.by_key("TRK-1")
        WorklogService.of(local).log(issue.id, "1h")
    finally:
        local.close()
    report = vie.sync()
    assert (report.pushed, report.refused) == (0, 1)
    [entry] = vie.conflicts()
    assert (entry.key, entry.kind, entry.mine) == ("TRK-1", "refused", 60)
    vie.sync()
    assert _spent(vie, "TRK-1")[1] == 90
    assert replica_view(vie) == server_view(logged, "vie")
