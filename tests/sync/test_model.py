"""A model of offline team work: K clients, random edits, comments and new issues, random
partitions and reconnects. After everyone syncs, every replica equals the server as its login
reads it, and every change a client acknowledged is on the server or listed as a conflict or
refusal of that client: none is silently lost."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.attacks import PASSWORD
from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tests.sync.helpers import replica_view, server_view, tcp_url
from tracker_gui.domain.models import NewIssue
from tracker_gui.services.sync import SyncService

pytestmark = pytest.mark.postgres

CLIENTS = ("adm", "mem", "vie")  # an admin, a member, a viewer (whose writes are refused)
STATUSES = ("To Do", "In Progress", "Done")
_examples = itertools.count(1)

step = st.one_of(
    st.tuples(st.just("title"), st.sampled_from(CLIENTS)),
    st.tuples(st.just("title"), st.sampled_from(CLIENTS)),  # twice as often: conflicts
    st.tuples(
        st.just("priority"), st.sampled_from(CLIENTS), st.sampled_from(["low", "medium", "high"])
    ),
    st.tuples(st.just("comment"), st.sampled_from(CLIENTS)),
    st.tuples(st.just("create"), st.sampled_from(CLIENTS)),
    st.tuples(st.just("move"), st.sampled_from(CLIENTS), st.sampled_from(STATUSES)),
    st.tuples(st.just("label"), st.sampled_from(CLIENTS), st.sampled_from(["ui", "db", "api"])),
    st.tuples(st.just("watch"), st.sampled_from(CLIENTS)),
    st.tuples(st.just("sync"), st.sampled_from(CLIENTS)),
    st.tuples(st.just("partition"), st.sampled_from(CLIENTS)),
)


@pytest.fixture(scope="module")
def team(pg_tcp_cluster: TcpCluster) -> Iterator[Secured]:
    db = make_secured(pg_tcp_cluster, password=PASSWORD, prefix="mdl_")
    yield db
    drop(db)


class World:
    """The clients of one example, and what each was told it did."""

    def __init__(self, db: Secured, folder: Path, n: int) -> None:
        self.db, self.n = db, n
        adm = db.services("adm")
        self.key = adm.issues.create(NewIssue("TRK", f"Example {n}")).key
        db.close()
        self.engines = {who: SyncService(tcp_url(db, who), password=PASSWORD,
                                         folder=folder / who) for who in CLIENTS}  # fmt: skip
        self.urls = {who: e.url for who, e in self.engines.items()}
        self.acked: list[tuple[str, str, str]] = []  # (client, kind, unique value)
        self.count = itertools.count(1)
        for engine in self.engines.values():
            assert not engine.sync().offline

    def run(self, action: tuple[Any, ...]) -> None:
        kind, who = action[0], action[1]
        engine = self.engines[who]
        if kind == "sync":
            engine.sync()
            return
        if kind == "partition":  # the same replica, a server it cannot reach, or back
            dead = self.urls[who].replace("127.0.0.1", "127.0.0.1", 1).rsplit(":", 1)
            cut = engine.url == self.urls[who]
            engine.url = f"{dead[0]}:1/{self.db.name}" if cut else self.urls[who]
            return
        value = f"{kind} {self.n}.{next(self.count)} by {who}"
        local = engine.local_services()
        try:
            issue = local.issues.by_key(self.key)
            if kind == "title":
                local.issues.edit(issue.id, issue.version, {"title": value})
            elif kind == "priority":
                local.issues.edit(issue.id, issue.version, {"priority": action[2]})
            elif kind == "comment":
                local.issues.comment(issue.id, value)
            elif kind == "create":
                local.issues.create(NewIssue("TRK", value))
            elif kind == "move":
                local.issues.transition(issue.id, issue.version, action[2])
            elif kind == "label":  # on if off, off if on: per element, never a conflict
                labels = set(issue.labels) ^ {action[2]}
                local.issues.edit(issue.id, issue.version, {"labels": sorted(labels)})
            elif kind == "watch":
                watching = engine.login in local.issues.detail(issue.id).watchers
                local.issues.watch(issue.id, engine.login, on=not watching)
        finally:
            local.close()
        if kind in ("title", "comment", "create"):
            self.acked.append((who, kind, value))

    def settle(self) -> None:
        for who, engine in self.engines.items():
            engine.url = self.urls[who]
        for _ in range(2):
            for engine in self.engines.values():
                assert not engine.sync().offline

    def check(self) -> None:
        for who, engine in self.engines.items():
            assert engine.status().waiting == 0
            assert replica_view(engine) == server_view(self.db, who), who
        entries = {who: e.conflicts() for who, e in self.engines.items()}
        with superuser(self.db) as conn:
            for who, kind, value in self.acked:
                listed = any(e.mine == value for e in entries[who])
                sql = {
                    "title": "SELECT count(*) FROM change WHERE field = 'title' AND new = %s",
                    "comment": "SELECT count(*) FROM comment WHERE body = %s",
                    "create": "SELECT count(*) FROM issue WHERE title = %s",
                }[kind]
                row = conn.execute(sql, (value,)).fetchone()
                on_server = int(row[0]) if row else 0
                assert on_server <= 1, (who, kind, value)  # never applied twice
                assert (on_server == 1) != listed, (who, kind, value, on_server, listed)


def _run(team: Secured, steps: list[tuple[Any, ...]]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tracker-model-"))
    try:
        world = World(team, folder, next(_examples))
        for action in steps:
            world.run(action)
        world.settle()
        world.check()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "database": None,
}


@settings(max_examples=50, **_SETTINGS)  # type: ignore[arg-type]
@given(steps=st.lists(step, min_size=3, max_size=14))
def test_every_replica_converges_and_no_acknowledged_change_is_lost(
    team: Secured, steps: list[tuple[Any, ...]]
) -> None:
    _run(team, steps)


@pytest.mark.slow
@settings(max_examples=500, **_SETTINGS)  # type: ignore[arg-type]
@given(steps=st.lists(step, max_size=30))
def test_every_replica_converges_long_run(team: Secured, steps: list[tuple[Any, ...]]) -> None:
    _run(team, steps)
