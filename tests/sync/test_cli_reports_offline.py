"""`report` on a team database reads the offline copy, as `list` does: the server's numbers
while it answers, the copy's (with the same words as `list`) when it does not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured
from tests.sync.test_cli_offline import Client, cluster, team

pytestmark = pytest.mark.postgres
__all__ = ["cluster", "team"]  # the fixtures, shared with test_cli_offline


def test_a_report_reads_the_copy_while_the_server_is_down(
    team: Secured, cluster: TcpCluster, tmp_path: Path
) -> None:
    member = Client(team, "mem", tmp_path / "a")
    today = dt.datetime.now(dt.UTC).date().isoformat()
    args = ("report", "cfd", "--project", "TRK", "--from", today, "--tz", "UTC", "--format", "csv")
    online = member(*args)
    assert (online.code, online.out) == (0, f"date,todo,in_progress,done\n{today},1,0,0\n"), online
    assert member("sync").code == 0
    cluster.halt()
    try:
        offline = member(*args)
        assert (offline.code, offline.out) == (0, online.out), offline
        assert offline.err.startswith("offline: showing the copy from 20")
    finally:
        cluster.resume()
