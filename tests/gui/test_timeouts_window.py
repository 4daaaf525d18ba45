"""A held lock on the shared database shows as a plain message in the window, not a hang."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import OFFSCREEN_NOISE
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

pytestmark = [pytest.mark.postgres, OFFSCREEN_NOISE]


@pytest.fixture
def secured(pg_cluster: Any) -> Iterator[Secured]:
    db = make_secured(pg_cluster, projects=("TRK",))
    yield db
    drop(db)


def test_a_read_under_a_held_lock_is_shown_as_a_busy_message(
    qtbot: QtBot, secured: Secured, tmp_path: Path
) -> None:
    services = secured.services("mem")
    services.issues.create(NewIssue("TRK", "visible before the lock"))
    store = Store(services)
    window = MainWindow(store, Settings(tmp_path / "config" / "tracker-gui.ini"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    errors: list[str] = []
    store.errorOccurred.connect(errors.append)
    lock: psycopg.Connection[tuple[Any, ...]] = superuser(secured)
    try:
        lock.execute("SET idle_in_transaction_session_timeout = '30s'")  # never hang the test
        lock.autocommit = False
        lock.execute("LOCK TABLE issue IN ACCESS EXCLUSIVE MODE")
        assert store.search(IssueFilter()) == []  # the fallback, after lock_timeout
    finally:
        lock.rollback()
        lock.close()
    assert errors and errors[0].startswith("the database is busy: another session holds a lock")
    assert window.status.currentMessage() == errors[0]
    assert [i.title for i in store.search(IssueFilter())] == ["visible before the lock"]
    window.close()
    store.close()
