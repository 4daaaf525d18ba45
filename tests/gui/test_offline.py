"""Server gone mid-session: a banner, the board stays, typed text stays, it reconnects by itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import postgres_bindir
from tests.support.pgtcp import TcpCluster, cluster_with_owner
from tracker_gui.app import visible_cards
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.services import Services, connect
from tracker_gui.storage.database import open_database
from tracker_gui.ui import connection_monitor
from tracker_gui.ui.connection_monitor import ConnectionMonitor
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import OFFLINE_WRITE, Store

pytestmark = pytest.mark.postgres
PASSWORD = "dave's password"


@pytest.fixture(scope="module")
def tcp() -> Iterator[TcpCluster]:
    postgres_bindir()
    with cluster_with_owner("dave", PASSWORD, "offline") as cluster:
        yield cluster


@pytest.fixture
def team(tcp: TcpCluster) -> Iterator[Services]:
    services = connect(open_database(tcp.tcp_url("offline", "dave"), password=PASSWORD))
    services.projects.ensure_project("TRK", "Tracker")
    for title in ("Ship it", "Fix the login", "Write docs"):
        services.issues.create(NewIssue("TRK", title))
    yield services
    services.close()


def test_server_gone_then_back(
    qtbot: QtBot, tcp: TcpCluster, team: Services, gui_settings: Settings
) -> None:
    store = Store(team)
    window = MainWindow(store, gui_settings)
    qtbot.addWidget(window)
    monitor: ConnectionMonitor = connection_monitor.install(window, store, team.database.ping)
    monitor._backoff = (100, 200, 400)
    window.resize(1300, 850)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: visible_cards(window) == 3)
    assert not monitor.banner.isVisible()

    issue = team.issues.by_key("TRK-1")
    assert issue is not None
    pane = window.detail_pane
    window.show_issue(issue.id, raise_detail=True)
    qtbot.waitUntil(lambda: pane.key_label.text() == "TRK-1")
    qtbot.mouseClick(pane.description.edit_button, Qt.MouseButton.LeftButton)
    typed = "Steps: open the app, pull the cable."
    pane.description.editor.setPlainText(typed)

    tcp.halt()  # every session is cut; nothing listens any more
    qtbot.mouseClick(pane.description.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(monitor.banner.isVisible)
    assert "connection to dave@127.0.0.1/offline is lost" in monitor.banner.message.text()
    # Compared, not asserted bare: mypy would carry `offline` past tcp.resume() below.
    assert (store.offline, pane.description.editing()) == (True, True)
    assert pane.description.editor.toPlainText() == typed
    assert pane.error_label.text() == OFFLINE_WRITE
    qtbot.wait(300)  # a retry or two against the dead server: the board is untouched
    assert visible_cards(window) == 3
    assert pane.key_label.text() == "TRK-1"
    window.grab().save("/tmp/offline-window.png")

    # A second try while offline says so at once and still keeps the text.
    pane.error_label.clear()
    qtbot.mouseClick(pane.description.save_button, Qt.MouseButton.LeftButton)
    assert pane.error_label.text() == OFFLINE_WRITE
    assert pane.description.editor.toPlainText() == typed

    tcp.resume()
    qtbot.waitUntil(lambda: not monitor.banner.isVisible(), timeout=5000)
    assert not store.offline
    qtbot.mouseClick(pane.description.save_button, Qt.MouseButton.LeftButton)
    assert not pane.description.editing()
    stored = team.issues.get(issue.id)
    assert stored.description == typed
    assert visible_cards(window) == 3
    store.close()


def test_terminated_sessions_reconnect_without_a_restart(
    qtbot: QtBot, tcp: TcpCluster, team: Services
) -> None:
    store = Store(team)
    monitor = ConnectionMonitor(store, team.database.ping)
    assert tcp.terminate("dave") >= 1
    # The next read finds the dead session; the monitor reconnects on its first retry.
    assert store.issue_by_key("TRK-2") is None
    assert store.offline
    qtbot.waitUntil(lambda: not store.offline, timeout=3000)
    found = store.issue_by_key("TRK-2")
    assert found is not None and found.title == "Fix the login"
    monitor.stop()
    store.close()


def test_an_import_that_loses_the_server_puts_the_window_offline(
    qtbot: QtBot, tcp: TcpCluster, team: Services, gui_settings: Settings, tmp_path: Path
) -> None:
    store = Store(team)
    window = MainWindow(store, gui_settings)
    qtbot.addWidget(window)
    monitor: ConnectionMonitor = connection_monitor.install(window, store, team.database.ping)
    monitor._backoff = (100, 200, 400)
    window.resize(1300, 850)  # as the test above: room for the three cards
    window.show()
    qtbot.waitExposed(window)
    # The cluster lives for the module: earlier tests left their issues too.
    qtbot.waitUntil(lambda: visible_cards(window) >= 3, timeout=15000)
    source = tmp_path / "more.csv"
    source.write_text("Title\nOne more\nAnother\n", encoding="utf-8")

    tcp.halt()  # the server goes away just before the import
    result = store.transfers.import_file("csv", source, project="TRK")

    assert result.value is None and result.message  # failed, and said why
    qtbot.waitUntil(monitor.banner.isVisible)  # the window knows it is offline
    assert store.offline
    tcp.resume()
    qtbot.waitUntil(lambda: not store.offline, timeout=5000)
    assert [i.title for i in team.issues.search(IssueFilter())].count("One more") == 0
    store.close()
