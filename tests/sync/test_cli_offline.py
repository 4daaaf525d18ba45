"""The two-client offline scenarios from the command line, as real processes against a real
server that is stopped (`pg_ctl stop`) and started again: the exact words of the contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import Result
from tests.support.attacks import PASSWORD
from tests.support.pgtcp import TcpCluster, started_tcp_cluster
from tests.support.secured import Secured, drop, make_secured
from tracker_gui.domain.models import NewIssue
from tracker_gui.services import open_services
from tracker_gui.storage.postgres import provision

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def cluster() -> Iterator[TcpCluster]:
    """A cluster of this module's own: the tests stop and start it."""
    yield from started_tcp_cluster()


@pytest.fixture
def team(cluster: TcpCluster) -> Iterator[Secured]:
    db = make_secured(cluster, password=PASSWORD, prefix="off_")
    adm = db.services("adm")
    adm.issues.create(NewIssue("TRK", "Login crash"))
    db.close()
    yield db
    if not cluster._running:
        cluster.resume()
    drop(db)


class Client:
    """One person's `tracker-gui` against the team database, with a data folder of its own."""

    def __init__(self, db: Secured, who: str, home: Path) -> None:
        assert isinstance(db.cluster, TcpCluster)
        self.url = db.cluster.tcp_url(db.name, db.logins[who])
        self.home = home

    def __call__(self, *argv: str) -> Result:
        env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB"}
        env.update(
            TRACKER_HOME=str(self.home),
            PGPASSWORD=PASSWORD,
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        )
        done = subprocess.run(
            [sys.executable, "-m", "tracker_gui", "--db", self.url, *argv],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        return Result(done.returncode, done.stdout, done.stderr)

    def show(self, key: str) -> dict[str, object]:
        result = self("show", key, "--format", "json")
        assert result.code == 0, result
        data = json.loads(result.out)
        assert isinstance(data, dict)
        return data


def _clients(db: Secured, tmp_path: Path) -> tuple[Client, Client]:
    a, b = Client(db, "mem", tmp_path / "a"), Client(db, "adm", tmp_path / "b")
    for client in (a, b):
        first = client("sync")
        assert first.code == 0, first
        assert first.out.startswith("synced: pushed 0, pulled ") and first.out.endswith(
            ", conflicts 0, refused 0\n"
        ), first.out
    return a, b


def _issue(data: dict[str, object]) -> dict[str, object]:
    inner = data.get("issue", data)
    assert isinstance(inner, dict)
    return inner


def test_title_and_priority_edited_offline_by_two_clients_are_both_kept(
    team: Secured, cluster: TcpCluster, tmp_path: Path
) -> None:
    a, b = _clients(team, tmp_path)
    cluster.halt()
    edit = a("edit", "TRK-1", "--title", "Login crash on Wayland")
    assert (edit.code, edit.out, edit.err) == (
        0, "TRK-1: changed title\n", "queued (offline): TRK-1: changed title\n",
    ), edit  # fmt: skip
    assert b("edit", "TRK-1", "--priority", "high").code == 0
    offline = a("sync")
    assert (offline.code, offline.out) == (1, "")
    assert offline.err == "tracker-gui: error: offline: 1 changes waiting\n"
    as_json = a("sync", "--format", "json")
    assert as_json.code == 1
    assert json.loads(as_json.out) == {"pushed": 0, "pulled": 0, "conflicts": 0, "refused": 0,
                                       "waiting": 1, "offline": True}  # fmt: skip
    shown = a("show", "TRK-1", "--format", "json")
    assert shown.code == 0 and shown.err.startswith("offline: showing the copy from 20")
    assert _issue(json.loads(shown.out))["title"] == "Login crash on Wayland"
    refused = a("delete", "TRK-1", "--yes")
    assert (refused.code, refused.err) == (
        1, "tracker-gui: error: offline: delete needs the server\n")  # fmt: skip
    cluster.resume()
    done = a("sync")
    assert done.code == 0 and done.out.startswith("synced: pushed 1, pulled "), done
    assert b("sync").out.startswith("synced: pushed 1, ")
    assert a("sync").code == 0
    for client in (a, b):
        issue = _issue(client.show("TRK-1"))
        assert (issue["title"], issue["priority"]) == ("Login crash on Wayland", "high")


def test_the_same_field_is_one_conflict_for_the_later_pusher_and_resolving_converges(
    team: Secured, cluster: TcpCluster, tmp_path: Path
) -> None:
    a, b = _clients(team, tmp_path)
    cluster.halt()
    assert a("edit", "TRK-1", "--title", "Title by A").code == 0
    assert b("edit", "TRK-1", "--title", "Title by B").code == 0
    cluster.resume()
    assert a("sync").out.endswith("conflicts 0, refused 0\n")
    later = b("sync")
    assert later.code == 0 and later.out.startswith("synced: pushed 1, pulled ")
    assert later.out.endswith(", conflicts 1, refused 0\n"), later.out
    listed = b("conflicts", "--format", "json")
    assert listed.code == 0
    [entry] = json.loads(listed.out)
    assert set(entry) == {"id", "key", "field", "base", "mine", "theirs", "theirs_by",
                          "theirs_at", "kind", "message"}  # fmt: skip
    assert (entry["key"], entry["field"], entry["kind"]) == ("TRK-1", "title", "conflict")
    assert (entry["base"], entry["mine"], entry["theirs"]) == (
        "Login crash", "Title by B", "Title by A")  # fmt: skip
    assert entry["theirs_by"] == team.logins["mem"]
    assert json.loads(a("conflicts", "--format", "json").out) == []
    cluster.halt()  # offline, a resolution is queued like any change
    settled = b("resolve", "TRK-1", "title", "--keep", "mine")
    assert (settled.code, settled.out, settled.err) == (
        0, "TRK-1 title: kept mine\n", "queued (offline): TRK-1 title: kept mine\n",
    ), settled  # fmt: skip
    assert json.loads(b("conflicts", "--format", "json").out) == []
    cluster.resume()
    assert b("sync").out.startswith("synced: pushed 1, ")
    assert a("sync").code == 0
    assert _issue(a.show("TRK-1"))["title"] == _issue(b.show("TRK-1"))["title"] == "Title by B"


def test_an_issue_made_offline_gets_a_real_key_everywhere(
    team: Secured, cluster: TcpCluster, tmp_path: Path
) -> None:
    a, b = _clients(team, tmp_path)
    cluster.halt()
    added = a("add", "--project", "TRK", "--title", "Made on the train", "--format", "json")
    assert added.code == 0, added
    data = json.loads(added.out)
    assert (data["key"], data["provisional"]) == ("TRK-~1", True)
    assert added.err.startswith("queued (offline): ")
    text = a("add", "--project", "TRK", "--title", "Second one")
    assert (text.out, text.err) == ("TRK-~2\n", "queued (offline): TRK-~2\n")
    assert a("link", "TRK-~1", "relates", "TRK-1").code == 0
    assert a("comment", "TRK-~1", "duplicate of TRK-~2?").code == 0
    found = a("list", "--query", "key:TRK-~1", "--format", "json")
    assert [i["key"] for i in json.loads(found.out)] == ["TRK-~1"]
    cluster.resume()
    report = a("sync")
    assert report.out.startswith("synced: pushed 4, ") and report.code == 0, report
    assert b("sync").code == 0
    for client in (a, b):
        detail = client.show("TRK-2")
        assert _issue(detail)["title"] == "Made on the train"
        comments = detail["comments"]
        assert isinstance(comments, list)
        assert [c["body"] for c in comments] == ["duplicate of TRK-3?"]
    old = a.show("TRK-~1")  # the provisional key still resolves on the client that made it
    assert _issue(old)["key"] == "TRK-2"
    linked = a("list", "--query", "key:TRK-~1", "--format", "json")
    assert [i["key"] for i in json.loads(linked.out)] == ["TRK-2"]
    online = a("comment", "TRK-~1", "written online")  # straight to the server, by its real key
    assert (online.code, online.out, online.err) == (0, "commented on TRK-2\n", "")
    comments = b.show("TRK-2")["comments"]
    assert isinstance(comments, list) and comments[-1]["body"] == "written online"


def test_a_member_demoted_while_offline_gets_refusals_and_the_servers_state(
    team: Secured, cluster: TcpCluster, tmp_path: Path
) -> None:
    a, _ = _clients(team, tmp_path)
    never = Client(team, "vie", tmp_path / "c")("conflicts")  # no copy made yet
    assert never.code == 1 and never.err.startswith("tracker-gui: error: no offline copy of ")
    cluster.halt()
    assert a("edit", "TRK-1", "--title", "Mine").code == 0
    assert a("comment", "TRK-1", "a comment").code == 0
    cluster.resume()
    boss = open_services(team.super_url)
    try:
        provision.grant(boss.database, team.logins["mem"], "TRK", "viewer")
    finally:
        boss.close()
    report = a("sync")
    assert report.code == 0 and report.out.endswith(", conflicts 0, refused 2\n"), report
    listed = json.loads(a("conflicts", "--format", "json").out)
    assert [(e["kind"], e["field"]) for e in listed] == [("refused", "title"), ("refused", None)]
    assert _issue(a.show("TRK-1"))["title"] == "Login crash"
    dismissed = a("resolve", str(listed[0]["id"]), "--dismiss")
    assert dismissed.code == 0, dismissed
    assert len(json.loads(a("conflicts", "--format", "json").out)) == 1
