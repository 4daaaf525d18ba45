"""Forged notifications: anyone may NOTIFY, so a wake is a hint to read one page by cursor."""

from __future__ import annotations

import logging
import select
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.support.secured import Secured, drop, make_secured
from tracker_gui.domain.models import Change, Issue, NewIssue
from tracker_gui.services import Services
from tracker_gui.storage.listen import Listener
from tracker_gui.ui.live_feed import LIVE, LiveFeed
from tracker_gui.ui.store import Store


def test_many_wakes_in_one_turn_are_one_read(
    qtbot: QtBot, store: Store, other_services: Services
) -> None:
    feed = store.live_feed
    start = feed.cursor
    other_services.issues.create(NewIssue("TRK", "made elsewhere"))
    written = len(other_services.feed.changes_since(start))
    for _ in range(100):
        feed.wake()
    qtbot.waitUntil(lambda: feed.reads == 1, timeout=2000)
    qtbot.wait(2 * LiveFeed.WAKE_GAP_MS)
    assert feed.reads == 1
    assert feed.rows_read == written
    for _ in range(100):  # nothing changed since
        feed.wake()
    qtbot.waitUntil(lambda: feed.reads == 2, timeout=2000)
    qtbot.wait(2 * LiveFeed.WAKE_GAP_MS)
    assert (feed.reads, feed.rows_read) == (2, written)


def test_each_read_is_one_page_and_a_full_page_reads_on_later(
    qtbot: QtBot,
    store: Store,
    other_services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(LiveFeed, "PAGE", 2)
    feed = store.live_feed
    pages: list[int] = []
    real = store.services.feed.changes_since

    def counted(*args: Any, **kwargs: Any) -> list[Change]:
        found = real(*args, **kwargs)
        pages.append(len(found))
        return found

    monkeypatch.setattr(store.services.feed, "changes_since", counted)
    made = [other_services.issues.create(NewIssue("TRK", f"issue {n}")) for n in range(5)]
    arrived: list[Change] = []
    feed.remoteChanges.connect(arrived.extend)
    feed.wake()
    qtbot.waitUntil(lambda: {e.issue_id for e in arrived} == {i.id for i in made}, timeout=3000)
    assert pages[0] == 2  # the first read stopped at a page; the rest came in later turns
    assert max(pages) <= 2 and len(pages) >= 3


# -- PostgreSQL, the attacker with an ordinary login -----------------------------------------
@pytest.fixture
def secured(pg_cluster: Any) -> Iterator[Secured]:
    db = make_secured(pg_cluster)
    yield db
    drop(db)


@pytest.fixture
def member_store(qapp: object, secured: Secured) -> Iterator[Store]:
    store = Store(secured.services("mem"))
    yield store
    store.close()


@pytest.mark.postgres
def test_a_hundred_forged_notifies_cost_no_rows_and_at_most_two_reads(
    qtbot: QtBot, secured: Secured, member_store: Store
) -> None:
    adm = secured.services("adm")
    history: Callable[[], int] = lambda: len(adm.feed.changes_since(0, limit=100_000))  # noqa: E731
    for n in range(40):  # a history a read "from the id in the payload" would go through
        adm.issues.create(NewIssue("TRK", f"old issue {n}"))
    member_store.poll()
    member_store.start_live_feed()
    feed = member_store.live_feed
    assert feed.mode == LIVE and history() >= 40
    qtbot.wait(3 * LiveFeed.WAKE_GAP_MS)  # the read on connect
    reads, rows = feed.reads, feed.rows_read
    arrived: list[Change] = []
    feed.remoteChanges.connect(arrived.extend)
    with secured.raw("out") as attacker:  # a login of another project, its own password
        for _ in range(100):
            attacker.execute("NOTIFY tracker_change, '1'")
    qtbot.waitUntil(lambda: feed.reads > reads, timeout=3000)
    qtbot.wait(5 * LiveFeed.WAKE_GAP_MS)
    assert feed.rows_read - rows == 0
    assert feed.reads - reads <= 2
    assert arrived == []
    # A real change still arrives, and is all that is read.
    reads, rows = feed.reads, feed.rows_read
    made: Issue = adm.issues.create(NewIssue("TRK", "a real change"))
    qtbot.waitUntil(lambda: any(e.issue_id == made.id for e in arrived), timeout=3000)
    assert feed.rows_read - rows == len(adm.feed.history(made.id))
    assert feed.reads - reads <= 2


@pytest.mark.postgres
def test_a_flood_of_notifications_is_drained_with_one_log_line(
    secured: Secured, caplog: pytest.LogCaptureFixture
) -> None:
    listener = Listener.open(secured.services("mem").database)
    try:
        with secured.raw("out") as attacker:
            for n in range(1500):
                attacker.execute(f"NOTIFY tracker_change, '{n if n % 2 else 'junk'}'")
            attacker.execute("SELECT 1")
        select.select([listener.fileno()], [], [], 5)
        caplog.set_level(logging.WARNING, logger="tracker_gui.storage.listen")
        drained: list[int] = []
        for _ in range(50):  # until the socket has nothing more
            select.select([listener.fileno()], [], [], 0.05)
            drained += listener.drain()
        assert 0 < len(drained) <= 750 and all(isinstance(i, int) for i in drained)
        warnings = [r for r in caplog.records if "malformed" in r.getMessage()]
        assert 1 <= len(warnings) <= 50  # a line per drain, never one per notification
        assert sum(int(r.getMessage().split()[1]) for r in warnings) == 750
    finally:
        listener.close()
