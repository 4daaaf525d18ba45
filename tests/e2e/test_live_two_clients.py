"""Two real clients on one database: B (another process) drags, A's board and notifier follow.

Client A is this process: the real Qt store, one ColumnModel per status (offscreen), and the
notification bridge with a recording backend. Client B is `tests.e2e.live_client` run as a
separate process. Latencies (B's commit to A's model showing it) are printed: run with -s.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from PySide6.QtWidgets import QApplication

from tests.support.notify_recorder import RecordingBackend
from tracker_gui.domain.models import NewIssue
from tracker_gui.notify.notifier import Notifier
from tracker_gui.services import Services, open_services
from tracker_gui.ui.board.column_model import ColumnModel, IssueRole
from tracker_gui.ui.live_feed import LIVE, LOCAL, POLLING, LiveFeed
from tracker_gui.ui.notify_bridge import NATIVE, NotifyBridge
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

ROOT = Path(__file__).resolve().parents[2]
BUDGET_S = {"postgres": 1.0, "sqlite": 2.0}
BURST = 30
QUIET_S = 1.0  # how long "no further notification" is watched for


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(backend, target) of one database both clients open."""
    if request.param == "sqlite":
        path = tmp_path / "shared.db"
        open_services(str(path), create=True).close()
        yield "sqlite", str(path)
        return
    databases = request.getfixturevalue("pg_databases")
    name, url = databases.create()
    yield "postgres", url
    databases.release(name)


@dataclass
class ClientA:
    backend: str
    target: str
    services: Services
    store: Store
    columns: dict[str, ColumnModel]
    bridge: NotifyBridge
    recorder: RecordingBackend
    resets: list[str]

    def keys_in(self, status: str) -> set[str]:
        model = self.columns[status]
        return {model.index(r, 0).data(IssueRole).key for r in range(model.rowCount())}

    def column_of(self, issue_id: int) -> str | None:
        for name, model in self.columns.items():
            if model.row_of(issue_id) >= 0:
                return name
        return None


@pytest.fixture
def client_a(qapp: QApplication, shared: tuple[str, str], tmp_path: Path) -> Iterator[ClientA]:
    backend, target = shared
    services = open_services(target, actor="alice")
    services.projects.ensure_project("TRK", "Tracker")
    for n in range(3 + BURST):
        services.issues.create(NewIssue("TRK", f"Issue number {n + 1}"))
    store = Store(services)
    project = services.projects.project("TRK")
    columns = {s.name: ColumnModel(store, s) for s in store.statuses(project.id)}
    resets: list[str] = []
    for name, model in columns.items():
        model.modelReset.connect(lambda name=name: resets.append(name))
    recorder = RecordingBackend()
    bridge = NotifyBridge(store, Settings(tmp_path / "a.ini"), Notifier(recorder))
    store.start_live_feed()
    bridge.start()
    client = ClientA(backend, target, services, store, columns, bridge, recorder, resets)
    wait_for(lambda: bridge.channel == NATIVE, 5.0)
    yield client
    bridge.close()
    store.close()
    services.close()


def wait_for(condition: Callable[[], bool], timeout: float) -> float | None:
    """Pump Qt events until `condition` holds; the wall-clock time it first held, or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if condition():
            return time.time()
        time.sleep(0.002)
    return None


def client_b(target: str, status: str, *keys: str) -> subprocess.Popen[str]:
    """Start client B (a separate process, acting as bob) moving `keys` to `status`."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.live_client", target, "bob", status, *keys],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def committed_at(proc: subprocess.Popen[str]) -> float:
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return float(json.loads(out.strip().splitlines()[-1])["committed"])


def move_elsewhere(a: ClientA, status: str, key: str, label: str) -> float:
    """B moves `key`; waits for A's column model to show it; returns and prints the latency."""
    issue = a.services.issues.by_key(key)
    proc = client_b(a.target, status, key)
    # Pump A's events while B runs: B's startup takes longer than the budget.
    seen = wait_for(lambda: a.column_of(issue.id) == status, 30.0)
    committed = committed_at(proc)
    assert seen is not None, f"{key} never showed in {status} on client A"
    return report_latency(a.backend, label, seen - committed)


def report_latency(backend: str, label: str, seconds: float) -> float:
    print(f"\n[live latency] {backend:8} {label:34} {seconds * 1000:7.1f} ms")
    return seconds


def test_a_move_by_another_process_shows_and_notifies_once(client_a: ClientA) -> None:
    a = client_a
    assert a.store.live_feed.mode == (LOCAL if a.backend == "sqlite" else LIVE)
    latency = move_elsewhere(a, "Done", "TRK-1", "first move")
    assert latency < BUDGET_S[a.backend]
    assert a.resets == [], "the board reloaded instead of moving one card"

    assert wait_for(lambda: len(a.recorder.sent) >= 1, 3.0) is not None
    wait_for(lambda: False, QUIET_S)
    [note] = a.recorder.sent
    assert note.summary == "TRK-1 moved to Done"
    assert "bob" in note.body
    assert "Issue number 1" in note.body
    assert note.issue_id == a.services.issues.by_key("TRK-1").id

    # A's own move shows at once and never notifies.
    mine = a.services.issues.by_key("TRK-2")
    a.store.move_issue(mine, a.store.workflow(mine.project_id).statuses[1].id)
    assert a.column_of(mine.id) == "In Progress"
    wait_for(lambda: False, QUIET_S)
    assert len(a.recorder.sent) == 1


def test_a_bulk_move_elsewhere_is_one_notification(client_a: ClientA) -> None:
    a = client_a
    keys = [f"TRK-{n}" for n in range(4, 4 + BURST)]
    proc = client_b(a.target, "In Review", *keys)
    seen = wait_for(lambda: len(a.keys_in("In Review")) == BURST, 30.0)
    committed = committed_at(proc)
    assert seen is not None
    print(
        f"\n[live latency] {a.backend:8} {'bulk move of 30':34} {(seen - committed) * 1000:7.1f} ms"
    )
    assert wait_for(lambda: len(a.recorder.sent) >= 1, 3.0) is not None
    wait_for(lambda: False, QUIET_S)
    [note] = a.recorder.sent
    assert note.summary == f"{BURST} issues changed status"
    assert note.kind == "batch"
    assert "bob" in note.body and "In Review" in note.body
    assert len(note.issue_ids) == BURST


@pytest.mark.postgres
@pytest.mark.parametrize("shared", ["postgres"], indirect=True)
def test_killing_the_listen_connection_loses_nothing(
    client_a: ClientA, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only PostgreSQL has a LISTEN connection to kill."""
    a = client_a
    # The first reconnect waits long enough for client B's move to land while polling.
    monkeypatch.setattr(LiveFeed, "BACKOFF_S", (6.0, 1.0))
    feed = a.store.live_feed
    listener = feed.listener
    assert listener is not None
    with psycopg.connect(a.target, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (listener.backend_pid,))
    assert wait_for(lambda: feed.mode == POLLING, 5.0) is not None

    # The next change still arrives: polled in while the link is down.
    latency = move_elsewhere(a, "In Progress", "TRK-3", "polling after pg_terminate_backend")
    assert feed.mode == POLLING
    assert latency < 2 * LiveFeed.FALLBACK_POLL_MS / 1000
    # It reconnects (backoff starts at 1 s) and is live again.
    assert wait_for(lambda: feed.mode == LIVE, 10.0) is not None
    assert feed.listener is not None and feed.listener.backend_pid != listener.backend_pid
    latency = move_elsewhere(a, "Done", "TRK-3", "after reconnecting")
    assert latency < BUDGET_S["postgres"]
    assert wait_for(lambda: len(a.recorder.sent) >= 2, 3.0) is not None
    wait_for(lambda: False, QUIET_S)
    assert [n.summary for n in a.recorder.sent] == [
        "TRK-3 moved to In Progress",
        "TRK-3 moved to Done",
    ]
