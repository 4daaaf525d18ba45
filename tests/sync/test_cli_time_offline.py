"""Time tracking from the command line with the server stopped: `log` is queued and pushed,
`show` reads logged and remaining time from the copy, `edit --remaining` needs the server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured
from tests.sync.test_cli_offline import _clients, _issue, cluster, team

pytestmark = pytest.mark.postgres
__all__ = ["cluster", "team"]  # fixtures of the offline CLI tests, used here too


def test_time_logged_offline_is_queued_shown_and_pushed(
    team: Secured, cluster: TcpCluster, tmp_path: Path
) -> None:
    a, b = _clients(team, tmp_path)
    cluster.halt()
    logged = a("log", "TRK-1", "1h30m", "--note", "on the train")
    assert (logged.code, logged.err) == (0, f"queued (offline): {logged.out}"), logged
    assert logged.out.startswith("logged 1h30m on TRK-1 (")
    shown = a("show", "TRK-1", "--format", "json")
    assert shown.code == 0 and shown.err.startswith("offline: showing the copy from 20")
    assert _issue(json.loads(shown.out))["logged_minutes"] == 90
    refused = a("edit", "TRK-1", "--remaining", "2h")
    assert (refused.code, refused.err) == (
        1, "tracker-gui: error: setting the remaining time needs the server: connect and try"
        " again\n",
    )  # fmt: skip
    cluster.resume()
    done = a("sync")
    assert done.code == 0 and done.out.startswith("synced: pushed 1, "), done
    assert b("sync").code == 0
    listed = b("worklog", "TRK-1", "--format", "json")
    assert [(e["user"], e["minutes"], e["note"]) for e in json.loads(listed.out)] == [
        (team.logins["mem"], 90, "on the train")
    ]
    assert b("edit", "TRK-1", "--remaining", "2h").code == 0
    assert a("sync").code == 0
    assert _issue(a.show("TRK-1"))["remaining_minutes"] == 120
