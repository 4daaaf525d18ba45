"""A 30-card drop by another user is ONE notification in the window, 20 times in a row, under load.

Issue 14 item 10: on PostgreSQL a bulk move of 30 arrived as two notifications (28 + 2) under
load, because a drop was 30 transactions and only a 0.4 s window joined them. Now a drop is
one change set, and the window tells a change set once, whole.

Client A is the real window of this process (MainWindow, its live feed and its notification
wiring, with a recording backend instead of D-Bus). Client B is another process acting as
bob (`tests.e2e.live_client --serve`): its own board, dropping the same 30 cards back and
forth between two columns. Meanwhile busy-loop processes keep both cores loaded. One
database, window and client B serve all 20 runs of a backend (the runs are parametrised so
that each shows in the report; they share state on purpose and must run in order).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.support.notify_recorder import RecordingBackend
from tracker_gui.domain.models import NewIssue
from tracker_gui.notify.notifier import Notifier
from tracker_gui.notify.policy import Note
from tracker_gui.services import Services, open_services
from tracker_gui.ui import live_setup
from tracker_gui.ui.board.column_model import IssueRole
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.notify_bridge import NATIVE
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

ROOT = Path(__file__).resolve().parents[2]
CARDS = 30
RUNS = 20
TARGETS = ("In Review", "Done")  # run n drops the cards on TARGETS[n % 2]
WAIT_S = 60.0  # generous: both cores are busy on purpose


@pytest.fixture(scope="module")
def busy_cores() -> Iterator[list[subprocess.Popen[bytes]]]:
    """A stress-style busy loop on every core for as long as the module's runs last."""
    spinners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 2)
    ]
    yield spinners
    for proc in spinners:
        proc.kill()
        proc.wait()


@dataclass
class Scene:
    backend: str
    services: Services
    window: MainWindow
    wiring: live_setup.LiveWiring
    recorder: RecordingBackend
    notes: list[Note]
    client_b: subprocess.Popen[str]
    keys: list[str]

    def keys_in(self, status: str) -> set[str]:
        board = self.window.main_board()
        assert board is not None
        for st, _lane, model, _view in board.cells():
            if st.name == status:
                while model.canFetchMore():
                    model.fetchMore()
                rows = range(model.rowCount())
                return {model.index(r, 0).data(IssueRole).key for r in rows}
        raise AssertionError(f"no column {status}")

    def drop(self, status: str) -> float:
        """Client B drops the 30 cards on `status`; returns when B's commit happened."""
        assert self.client_b.stdin is not None and self.client_b.stdout is not None
        self.client_b.stdin.write(json.dumps({"status": status, "keys": self.keys}) + "\n")
        self.client_b.stdin.flush()
        line = self.client_b.stdout.readline()
        assert line, f"client B died: {self.client_b.stderr.read() if self.client_b.stderr else ''}"
        return float(json.loads(line)["committed"])


def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if condition():
            return True
        time.sleep(0.005)
    return False


def _target(
    backend: str, tmp: Path, request: pytest.FixtureRequest
) -> tuple[str, Callable[[], None]]:
    if backend == "sqlite":
        path = tmp / "shared.db"
        open_services(str(path), create=True).close()
        return str(path), lambda: None
    databases = request.getfixturevalue("pg_databases")
    name, url = databases.create()
    return url, lambda: databases.release(name)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def scene(
    request: pytest.FixtureRequest,
    qapp: QApplication,
    tmp_path_factory: pytest.TempPathFactory,
    busy_cores: list[subprocess.Popen[bytes]],
) -> Iterator[Scene]:
    tmp = tmp_path_factory.mktemp(f"bulk-{request.param}")
    target, release = _target(request.param, tmp, request)
    services = open_services(target, actor="alice")
    services.projects.ensure_project("TRK", "Tracker")
    keys = [services.issues.create(NewIssue("TRK", f"Card {n + 1}")).key for n in range(CARDS)]
    store = Store(services)
    settings = Settings(tmp / "a.ini")
    window = MainWindow(store, settings)
    window.resize(1400, 900)
    window.show()
    store.start_live_feed()
    recorder = RecordingBackend()
    wiring = live_setup.install(store, window, settings, Notifier(recorder))
    notes: list[Note] = []
    wiring.bridge.noteShown.connect(notes.append)
    client_b = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.live_client", "--serve", target, "bob"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    scene = Scene(request.param, services, window, wiring, recorder, notes, client_b, keys)
    try:
        assert client_b.stdout is not None and json.loads(client_b.stdout.readline())["ready"]
        assert wait_for(lambda: wiring.bridge.channel == NATIVE, 10.0)
        yield scene
    finally:
        if client_b.stdin is not None:
            client_b.stdin.close()
        try:
            client_b.wait(timeout=30)
        except subprocess.TimeoutExpired:
            client_b.kill()
            client_b.wait()
        wiring.close()
        store.close()
        window.close()
        window.deleteLater()
        services.close()
        release()


@pytest.mark.parametrize("run", range(RUNS))
def test_a_thirty_card_drop_elsewhere_is_one_notification_under_load(
    scene: Scene, run: int
) -> None:
    status = TARGETS[run % 2]
    before = len(scene.notes)
    start = scene.services.feed.last_id()
    scene.drop(status)
    bridge = scene.wiring.bridge

    def told() -> bool:
        # Every card shows in the window and nothing is held: all this drop's notes are out.
        return (
            scene.keys_in(status) == set(scene.keys)
            and bridge.batcher.pending == 0
            and len(scene.notes) > before
        )

    assert wait_for(told, WAIT_S), f"run {run}: the drop never fully showed and notified"
    fresh = scene.notes[before:]
    assert [n.summary for n in fresh] == [f"{CARDS} issues changed status"], (
        f"run {run} on {scene.backend}: {[n.summary for n in fresh]}"
    )
    [note] = fresh
    assert note.kind == "batch" and len(note.issue_ids) == CARDS
    assert "bob" in note.body and status in note.body
    assert wait_for(lambda: len(scene.recorder.sent) == len(scene.notes), 10.0)
    # What is stored: the drop was one action, one change set for all its rows.
    moved = [c for c in scene.services.feed.changes_since(start) if c.field == "status"]
    assert len(moved) == CARDS and len({c.change_set for c in moved}) == 1
    assert moved[0].change_set is not None
