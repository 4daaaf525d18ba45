"""Real D-Bus: a fake notification server on a private session bus records what the app sends.

The app side is the real thing: the window, the live feed, the bridge and desktop-notifier
talking D-Bus. What is asserted is what arrived at the server (the Notify call's text), and
what the user sees after the server says the notification was clicked (the detail pane).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from tests.support.fake_notifications import FakeNotificationServer, PrivateSessionBus
from tracker_gui.domain.models import Issue
from tracker_gui.services import Services
from tracker_gui.ui import live_setup
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.notify_bridge import NATIVE, NONE
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store


@pytest.fixture
def session_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A session bus of this test's own (no real notification daemon can answer on it)."""
    if not PrivateSessionBus.available():
        pytest.fail("dbus-daemon is missing: install Debian's dbus package (.ci/run does)")
    bus = PrivateSessionBus()
    address = bus.start()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    yield address
    bus.stop()


@pytest.fixture
def fake_server(session_bus: str) -> Iterator[FakeNotificationServer]:
    server = FakeNotificationServer(session_bus)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def wired(
    make_window: Callable[..., MainWindow], store: Store, gui_settings: Settings
) -> Iterator[tuple[MainWindow, live_setup.LiveWiring]]:
    window = make_window()
    store.start_live_feed()
    wiring = live_setup.install(store, window, gui_settings)
    yield window, wiring
    wiring.close()


def status_id(services: Services, issue: Issue, name: str) -> int:
    workflow = services.projects.workflow(issue.project_id)
    return next(s.id for s in workflow.statuses if s.name == name)


def test_a_move_elsewhere_reaches_the_notification_server_and_a_click_opens_it(
    qtbot: QtBot,
    fake_server: FakeNotificationServer,
    wired: tuple[MainWindow, live_setup.LiveWiring],
    make_issue: Callable[..., Issue],
    other_services: Services,
) -> None:
    window, wiring = wired
    crash = make_issue("Fix the login crash")
    export = make_issue("Export loses labels")
    qtbot.waitUntil(lambda: wiring.bridge.channel == NATIVE, timeout=10_000)
    window.show_issue(None)

    # bob, on another connection to the file, moves alice's issue.
    other_services.issues.move(crash.id, crash.version, status_id(other_services, crash, "Done"))
    qtbot.waitUntil(lambda: len(fake_server.sent()) == 1, timeout=5000)
    [first] = fake_server.sent()
    assert first.app_name == "tracker-gui"
    assert first.summary == "TRK-1 moved to Done"
    assert first.body == "bob moved “Fix the login crash”"
    assert "default" in first.actions  # clickable

    # Dismissed (closed by the user): nothing opens.
    requested: list[int] = []
    wiring.bridge.issueRequested.connect(requested.append)
    shown_before = window.detail_pane.issue_id()
    fake_server.close_notification(first.id, reason=2)
    qtbot.wait(300)
    assert requested == []
    assert window.detail_pane.issue_id() == shown_before

    other_services.issues.move(
        export.id, export.version, status_id(other_services, export, "In Progress")
    )
    qtbot.waitUntil(lambda: len(fake_server.sent()) == 2, timeout=5000)
    second = fake_server.sent()[1]
    assert second.summary == "TRK-2 moved to In Progress"
    assert second.body == "bob moved “Export loses labels”"

    fake_server.click(second.id)
    qtbot.waitUntil(lambda: requested == [export.id], timeout=5000)
    assert window.detail_pane.issue_id() == export.id
    assert window.detail_pane.key_label.text() == "TRK-2"
    assert window.docks["detail"].isVisible()
    # The tray history holds both, newest first.
    assert [n.summary for n in wiring.tray.history] == [second.summary, first.summary]


def test_own_moves_send_nothing_over_dbus(
    qtbot: QtBot,
    fake_server: FakeNotificationServer,
    wired: tuple[MainWindow, live_setup.LiveWiring],
    make_issue: Callable[..., Issue],
    store: Store,
    gui_services: Services,
) -> None:
    _window, wiring = wired
    issue = make_issue("Mine to move")
    qtbot.waitUntil(lambda: wiring.bridge.channel == NATIVE, timeout=10_000)
    store.move_issue(issue, status_id(gui_services, issue, "Done"))
    qtbot.wait(1000)
    assert fake_server.sent() == []


def test_without_a_notification_service_the_status_bar_says_so_once(
    qtbot: QtBot,
    session_bus: str,
    wired: tuple[MainWindow, live_setup.LiveWiring],
    make_issue: Callable[..., Issue],
    other_services: Services,
) -> None:
    window, wiring = wired
    qtbot.waitUntil(lambda: wiring.bridge.channel == NONE, timeout=10_000)
    assert "notifications are not available" in window.status.currentMessage()
    shown: list[str] = []
    wiring.bridge.unavailable.connect(shown.append)
    issue = make_issue("Still tracked")
    other_services.issues.move(issue.id, issue.version, status_id(other_services, issue, "Done"))
    qtbot.waitUntil(lambda: len(wiring.tray.history) == 1, timeout=5000)
    assert shown == []  # said once, not again per change
    assert wiring.tray.history[0].summary == "TRK-1 moved to Done"
