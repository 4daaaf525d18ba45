"""Pushes that die half-way: the connection cut after the server got the COMMIT (its answer
lost), and `kill -9` of a syncing process. Nothing queued is lost, nothing applied twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.attacks import PASSWORD
from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured, superuser
from tests.support.tcp_proxy import CuttingProxy
from tests.sync.helpers import replica_view, server_view, tcp_url
from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import NewIssue
from tracker_gui.services.sync import SyncService

pytestmark = pytest.mark.postgres


def _seed(db: Secured) -> None:
    adm = db.services("adm")
    adm.issues.create(NewIssue("TRK", "Login crash"))
    db.close()


def _queue_comments(sync: SyncService, texts: list[str]) -> None:
    local = sync.local_services()
    try:
        issue = local.issues.by_key("TRK-1")
        for text in texts:
            local.issues.comment(issue.id, text)
    finally:
        local.close()


def _counts(db: Secured, texts: list[str]) -> dict[str, int]:
    with superuser(db) as conn:
        rows = conn.execute(
            "SELECT body, count(*) FROM comment WHERE body = ANY(%s) GROUP BY body", (texts,)
        ).fetchall()
    return {str(body): int(n) for body, n in rows}


def test_a_connection_cut_after_commit_neither_loses_nor_repeats_a_change(
    secured: Secured, tmp_path: Path
) -> None:
    _seed(secured)
    cluster = secured.cluster
    assert isinstance(cluster, TcpCluster)
    proxy = CuttingProxy(cluster.port_number)
    try:
        url = tcp_url(secured, "mem").replace(f":{cluster.port_number}/", f":{proxy.port}/")
        sync = SyncService(url, password=PASSWORD, folder=tmp_path)
        assert not sync.sync().offline
        texts = [f"note {i}" for i in range(4)]
        _queue_comments(sync, texts)
        local = sync.local_services()
        try:
            made = local.issues.create(NewIssue("TRK", "Made offline"))
            local.issues.link(made.id, LinkKind.RELATES, "TRK-1")
            one = local.issues.by_key("TRK-1")
            local.issues.edit(one.id, one.version, {"title": "Login crash (edited)"})
        finally:
            local.close()
        offline_runs = 0
        for attempt in range(40):
            proxy.cut_after_commit(1 + attempt % 3)
            report = sync.sync()
            offline_runs += report.offline
            if not report.offline and report.waiting == 0:
                break
        proxy.cut_after_commit(None)
        assert sync.sync().waiting == 0
    finally:
        proxy.close()
    assert proxy.cuts >= 3 and offline_runs >= 3  # the cuts really landed
    assert _counts(secured, texts) == dict.fromkeys(texts, 1)
    with superuser(secured) as conn:
        made_rows = conn.execute("SELECT count(*) FROM issue WHERE title = 'Made offline'")
        assert made_rows.fetchone() == (1,)
        links = conn.execute("SELECT count(*) FROM issue_link").fetchone()
        assert links == (1,)
    assert sync.conflicts() == []
    assert replica_view(sync) == server_view(secured, "mem")


def test_kill_9_of_a_syncing_process_neither_loses_nor_repeats_a_change(
    secured: Secured, tmp_path: Path
) -> None:
    _seed(secured)
    url = tcp_url(secured, "mem")
    home = tmp_path / "home"
    sync = SyncService(url, password=PASSWORD, folder=home / "data")  # the CLI's own copy
    assert not sync.sync().offline
    texts = [f"queued {i}" for i in range(200)]
    _queue_comments(sync, texts)
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB"}
    env.update(TRACKER_HOME=str(home), PGPASSWORD=PASSWORD,
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")  # fmt: skip
    pick = random.Random(16)
    waiting = [sync.status().waiting]
    for _ in range(20):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tracker_gui", "--db", url, "sync"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        # Kill once the push is under way (the queue shrinks), a little later each time: a
        # fixed delay landed before the push began or after it ended on a busy machine.
        before, deadline = waiting[-1], time.monotonic() + 20
        while proc.poll() is None and time.monotonic() < deadline:
            if sync.status().waiting < before:
                time.sleep(pick.uniform(0.0, 0.05))  # where the kill lands varies
                break
            time.sleep(0.005)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        waiting.append(sync.status().waiting)
    final = sync.sync()
    assert not final.offline and final.waiting == 0
    assert _counts(secured, texts) == dict.fromkeys(texts, 1)
    assert sync.conflicts() == []
    assert replica_view(sync) == server_view(secured, "mem")
    assert waiting[0] == 200 and any(0 < w < 200 for w in waiting), waiting  # killed mid-push
