"""The live feed: cheap SQLite polling, PostgreSQL LISTEN with a polling fallback, no row lost."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.support.notify_recorder import RecordingBackend
from tracker_gui.domain.models import Change, Issue, NewIssue
from tracker_gui.errors import StorageError
from tracker_gui.notify.notifier import Notifier
from tracker_gui.services import Services, open_services
from tracker_gui.storage.listen import Listener, ListenerLost
from tracker_gui.ui import live_setup
from tracker_gui.ui.live_feed import LIVE, LOCAL, POLLING, LiveFeed
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.ops import issues as issue_ops
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store


def status_id(services: Services, issue: Issue, name: str) -> int:
    return next(
        s.id for s in services.projects.workflow(issue.project_id).statuses if s.name == name
    )


# -- SQLite ---------------------------------------------------------------------------------
def test_the_sqlite_poll_reads_change_rows_only_when_data_version_moved(
    store: Store,
    other_services: Services,
    make_issue: Callable[..., Issue],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    issue = make_issue("Watched")
    reads: list[int] = []
    real = store.services.feed.changes_since

    def read(since: int, **kw: Any) -> list[Change]:
        reads.append(since)
        return real(since, **kw)

    monkeypatch.setattr(store.services.feed, "changes_since", read)
    for _ in range(5):
        assert store.poll() == 0
    assert reads == []  # only PRAGMA data_version ran
    before = other_services.feed.last_id()
    other_services.issues.move(issue.id, issue.version, status_id(other_services, issue, "Done"))
    written = other_services.feed.changes_since(before)
    assert written
    assert store.poll() == len(written)
    assert len(reads) == 1
    assert store.poll() == 0 and len(reads) == 1


def test_a_remote_change_is_not_lost_behind_a_local_one(
    store: Store, other_services: Services, make_issue: Callable[..., Issue]
) -> None:
    """bob commits, then this window commits before the next poll: bob's change still arrives."""
    theirs = make_issue("Theirs")
    mine = make_issue("Mine")
    remote: list[list[Change]] = []
    store.live_feed.remoteChanges.connect(remote.append)
    applied: list[int] = []
    store.changesArrived.connect(lambda events: applied.extend(e.id for e in events))
    before = other_services.feed.last_id()
    other_services.issues.move(theirs.id, theirs.version, status_id(other_services, theirs, "Done"))
    written = other_services.feed.changes_since(before)
    issue_ops.move_now(store, mine.id, mine.version, status_id(other_services, mine, "In Progress"))
    assert store.poll() == len(written)
    [batch] = remote
    assert {e.issue_id for e in batch} == {theirs.id}
    assert {e.actor for e in batch} == {"bob"}
    assert len(applied) == len(set(applied))  # nothing applied twice


def test_the_window_shows_the_live_mode_in_the_status_bar(
    make_window: Callable[..., MainWindow], store: Store, gui_settings: Settings
) -> None:
    window = make_window()
    store.start_live_feed()
    wiring = live_setup.install(store, window, gui_settings, Notifier(RecordingBackend()))
    try:
        label = window.statusBar().findChild(QLabel, "LiveMode")
        assert label is not None and label.isVisible()
        assert store.live_feed.mode == LOCAL
        assert label.text() == "Live"
    finally:
        wiring.close()


# -- PostgreSQL -----------------------------------------------------------------------------
@pytest.fixture
def pg_url(pg_databases: object) -> Iterator[str]:
    name, url = pg_databases.create()  # type: ignore[attr-defined]
    yield url
    pg_databases.release(name)  # type: ignore[attr-defined]


@pytest.fixture
def pg_store(qapp: object, pg_url: str) -> Iterator[Store]:
    services = open_services(pg_url, actor="alice")
    services.projects.ensure_project("TRK", "Tracker")
    store = Store(services)
    yield store
    store.close()
    services.close()


@pytest.fixture
def pg_bob(pg_url: str, pg_store: Store) -> Iterator[Services]:
    services = open_services(pg_url, actor="bob")
    yield services
    services.close()


@pytest.mark.postgres
def test_listen_unavailable_means_polling_then_live_once_it_connects(
    qtbot: QtBot, pg_store: Store, pg_bob: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LiveFeed, "BACKOFF_S", (0.5, 0.5))
    monkeypatch.setattr(LiveFeed, "FALLBACK_POLL_MS", 100)
    attempts: list[int] = []
    real = pg_store.services.feed.listen

    def flaky() -> Listener:
        attempts.append(1)
        if len(attempts) <= 2:
            raise StorageError("server unreachable")
        return real()

    feed = LiveFeed(pg_store, flaky)
    pg_store.live_feed.stop()
    pg_store.live_feed = feed
    modes: list[str] = []
    feed.modeChanged.connect(modes.append)
    arrived: list[Change] = []
    feed.remoteChanges.connect(arrived.extend)
    feed.start()
    assert feed.mode == POLLING
    issue = pg_bob.issues.create(NewIssue("TRK", "Made while polling"))
    # Polled in while the live link is still down (the first retry is 0.5 s away).
    qtbot.waitUntil(lambda: any(e.issue_id == issue.id for e in arrived), timeout=400)
    assert feed.mode == POLLING
    qtbot.waitUntil(lambda: feed.mode == LIVE, timeout=5000)
    assert modes == [POLLING, LIVE]
    assert len(attempts) == 3
    arrived.clear()
    pg_bob.issues.move(issue.id, issue.version, status_id(pg_bob, issue, "Done"))
    qtbot.waitUntil(lambda: any(e.field == "status" for e in arrived), timeout=2000)
    moved = pg_store.issue(issue.id)
    assert moved is not None and moved.status_id == status_id(pg_bob, issue, "Done")
    feed.stop()


@pytest.mark.postgres
def test_a_change_committed_out_of_id_order_still_arrives(
    qtbot: QtBot, pg_store: Store, pg_url: str
) -> None:
    """PostgreSQL ids are taken at insert, not commit: the NOTIFY payload says where to read."""
    pg_store.start_live_feed()
    assert pg_store.live_feed.mode == LIVE
    project = pg_store.services.projects.project("TRK")
    seen: list[int] = []
    pg_store.live_feed.remoteChanges.connect(lambda events: seen.extend(e.id for e in events))
    insert = (
        "INSERT INTO change (project_id, issue_id, actor, at, field, old, new)"
        " VALUES (%s, NULL, 'bob', now(), 'note', NULL, %s) RETURNING id"
    )
    with psycopg.connect(pg_url) as slow, psycopg.connect(pg_url, autocommit=True) as fast:
        first_row = slow.execute(insert, (project.id, "slow")).fetchone()  # not committed yet
        second_row = fast.execute(insert, (project.id, "fast")).fetchone()
        assert first_row is not None and second_row is not None
        first, second = first_row[0], second_row[0]
        assert second > first
        qtbot.waitUntil(lambda: second in seen, timeout=2000)
        assert first not in seen
        slow.commit()
    qtbot.waitUntil(lambda: first in seen, timeout=2000)
    assert sorted(seen) == [first, second]


@pytest.mark.postgres
def test_the_trigger_sends_ids_only(pg_store: Store, pg_bob: Services) -> None:
    listener = pg_store.services.feed.listen()
    try:
        issue = pg_bob.issues.create(NewIssue("TRK", "A secret title"))
        import select

        select.select([listener.fileno()], [], [], 2)
        ids = listener.drain()
        assert ids and all(isinstance(i, int) for i in ids)
        assert min(ids) <= max(c.id for c in pg_store.services.feed.history(issue.id))
    finally:
        listener.close()


def test_sqlite_has_no_listen(gui_services: Services) -> None:
    with pytest.raises(StorageError, match="no LISTEN"):
        gui_services.feed.listen()


def test_the_app_session_wires_live_updates_and_rewires_on_open_database(
    qtbot: QtBot, qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker_gui.app import Session
    from tracker_gui.ui.notify_bridge import NONE

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    session = Session(qapp)  # type: ignore[arg-type]
    first = open_services(str(tmp_path / "one.db"), create=True, actor="alice")
    first.projects.ensure_project("TRK", "Tracker")
    session.start(first)
    try:
        assert session.window is not None
        qtbot.waitUntil(lambda: session.live is not None)  # wired after the first paint
        assert session.live is not None
        assert session.store is not None and session.store.live_feed.mode == LOCAL
        live = session.live
        qtbot.waitUntil(lambda: live.bridge.channel == NONE, timeout=10_000)
        assert "not available" in session.window.status.currentMessage()
        second = open_services(str(tmp_path / "two.db"), create=True, actor="alice")
        session.start(second)
        qtbot.waitUntil(lambda: session.live not in (None, live))  # after its first paint
        mode_label = session.window.statusBar().findChild(QLabel, "LiveMode")
        assert mode_label is not None and mode_label.text() == "Live"
    finally:
        session.close()
        if session.window is not None:
            session.window.close()


@pytest.mark.postgres
def test_anyone_may_notify_on_the_channel_so_junk_is_ignored(
    qtbot: QtBot, pg_store: Store, pg_url: str, pg_bob: Services
) -> None:
    pg_store.start_live_feed()
    arrived: list[Change] = []
    pg_store.live_feed.remoteChanges.connect(arrived.extend)
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute("NOTIFY tracker_change, 'DROP TABLE issue'")
        other.execute("NOTIFY tracker_change, ''")
    qtbot.wait(300)
    assert pg_store.live_feed.mode == LIVE
    assert arrived == []
    issue = pg_bob.issues.create(NewIssue("TRK", "Real change"))
    qtbot.waitUntil(lambda: any(e.issue_id == issue.id for e in arrived), timeout=2000)


@pytest.mark.postgres
def test_a_listener_that_cannot_connect_is_a_clear_storage_error(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    database = pg_store.services.database
    params = dict(database.peewee.connect_params)
    params["host"] = str(tmp_path)  # a folder with no server socket in it
    monkeypatch.setattr(database.peewee, "connect_params", params)
    with pytest.raises(ListenerLost, match=r"cannot listen on .*tracker_test"):
        Listener.open(database)
