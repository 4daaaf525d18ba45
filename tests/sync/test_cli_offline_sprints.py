"""Sprints from the command line on a team database whose server is stopped: read from the copy,
issues planned there and queued, sprint admin refused in plain words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.attacks import PASSWORD
from tests.support.pgtcp import TcpCluster, started_tcp_cluster
from tests.support.secured import Secured, drop, make_secured
from tests.sync.test_cli_offline import Client
from tracker_gui.domain.models import NewIssue

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def cluster() -> Iterator[TcpCluster]:
    """A cluster of this module's own: the test stops and starts it."""
    yield from started_tcp_cluster()


@pytest.fixture
def team(cluster: TcpCluster) -> Iterator[Secured]:
    db = make_secured(cluster, password=PASSWORD, prefix="ofs_")
    adm = db.services("adm")
    adm.sprints.add("TRK", "Sprint 1", "2026-01-05", "2026-01-16")
    one = adm.issues.create(NewIssue("TRK", "Login crash"))
    adm.issues.create(NewIssue("TRK", "Export is slow"))
    adm.sprints.set_sprint([one.id], "Sprint 1")
    adm.sprints.start("TRK", "Sprint 1")
    db.close()
    yield db
    if not cluster._running:
        cluster.resume()
    drop(db)


def test_offline_sprints_are_read_and_planning_is_queued(
    team: Secured, cluster: TcpCluster, tmp_path: Path
) -> None:
    mem = Client(team, "mem", tmp_path / "mem")
    assert mem("sync").code == 0
    cluster.halt()
    current = mem("list", "--query", "sprint:current")
    assert current.code == 0 and "Login crash" in current.out and "Export" not in current.out
    assert mem.show("TRK-1")["sprint"] == "Sprint 1"
    planned = mem("edit", "TRK-2", "--title", "Export is slow on Wayland", "--sprint", "sprint 1")
    assert (planned.code, planned.out, planned.err) == (
        0, "TRK-2: changed title, sprint\n", "queued (offline): TRK-2: changed title, sprint\n",
    )  # fmt: skip
    assert mem.show("TRK-2")["sprint"] == "Sprint 1"  # the copy shows it at once
    for argv in (("sprint", "list", "--project", "TRK"), ("bulk", "--query", "x", "--yes")):
        refused = mem(*argv)
        assert (refused.code, refused.err) == (
            1, f"tracker-gui: error: offline: {argv[0]} needs the server\n")  # fmt: skip
    waiting = mem("sync")
    assert (waiting.code, waiting.err) == (1, "tracker-gui: error: offline: 2 changes waiting\n")
    cluster.resume()
    done = mem("sync")
    assert done.code == 0 and done.out.startswith("synced: pushed 2, "), done
    adm = Client(team, "adm", tmp_path / "adm")
    assert adm("sync").code == 0
    shown = adm.show("TRK-2")
    assert (shown["title"], shown["sprint"]) == ("Export is slow on Wayland", "Sprint 1")
