"""The bridge's decisions (preferences, focus, due dates on a fake day) and the tray fallback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from tests.support.notify_recorder import RecordingBackend
from tracker_gui.domain.models import Change, Issue, NewIssue
from tracker_gui.notify.notifier import Notifier
from tracker_gui.services import Services
from tracker_gui.ui.notify_bridge import NATIVE, TRAY, NotifyBridge
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

TODAY = dt.date.today()


class FakeDay:
    def __init__(self, day: dt.date) -> None:
        self.day = day

    def __call__(self) -> dt.date:
        return self.day


class RecordingTray(QSystemTrayIcon):
    """A tray icon that says it is shown (the offscreen platform has no tray) and records."""

    def __init__(self) -> None:
        super().__init__(QIcon())
        self.messages: list[tuple[str, str]] = []

    def isVisible(self) -> bool:
        return True

    def showMessage(self, title: str, msg: str, *args: object) -> None:
        self.messages.append((title, msg))


@pytest.fixture
def recorder() -> RecordingBackend:
    return RecordingBackend()


@pytest.fixture
def make_bridge(
    qtbot: QtBot, store: Store, gui_settings: Settings, recorder: RecordingBackend
) -> Iterator[Callable[..., NotifyBridge]]:
    made: list[NotifyBridge] = []

    def make(**kwargs: object) -> NotifyBridge:
        kwargs.setdefault("focused", lambda: False)
        notifier = kwargs.pop("notifier", Notifier(recorder))
        bridge = NotifyBridge(store, gui_settings, notifier, **kwargs)  # type: ignore[arg-type]
        made.append(bridge)
        bridge.start()
        qtbot.waitUntil(lambda: bridge.channel != "pending", timeout=5000)
        return bridge

    yield make
    for bridge in made:
        bridge.close()


def move_as_bob(other: Services, issue: Issue, status: str) -> None:
    target = next(s for s in other.projects.workflow(issue.project_id).statuses if s.name == status)
    current = other.issues.get(issue.id)
    other.issues.move(issue.id, current.version, target.id)


def settle(qtbot: QtBot, store: Store) -> None:
    store.poll()
    qtbot.wait(600)  # past the burst window


def summaries(qtbot: QtBot, recorder: RecordingBackend, count: int) -> list[str]:
    """What was sent, once `count` notes have reached the recorder: the notifier sends from
    its own thread, so a note flushed by the bridge can land a moment after the burst."""
    qtbot.waitUntil(lambda: len(recorder.sent) >= count, timeout=5000)
    return [n.summary for n in recorder.sent]


def test_relations_and_target_statuses_in_the_preferences_decide(
    qtbot: QtBot,
    make_bridge: Callable[..., NotifyBridge],
    recorder: RecordingBackend,
    store: Store,
    gui_settings: Settings,
    make_issue: Callable[..., Issue],
    other_services: Services,
) -> None:
    reported = make_issue("I reported this")
    assigned = other_services.issues.create(
        NewIssue("TRK", "bob's, assigned to me", assignee="alice")
    )
    unrelated = other_services.issues.create(NewIssue("TRK", "not mine"))
    gui_settings.set("notify/relations", ["assignee"])
    gui_settings.set("notify/statuses", ["Done"])
    bridge = make_bridge()
    assert bridge.channel == NATIVE
    move_as_bob(other_services, reported, "Done")  # only reported: relation not chosen
    move_as_bob(other_services, unrelated, "Done")  # not involved at all
    move_as_bob(other_services, assigned, "In Review")  # not a chosen target status
    settle(qtbot, store)
    assert recorder.sent == []
    move_as_bob(other_services, assigned, "Done")
    settle(qtbot, store)
    assert summaries(qtbot, recorder, 1) == [f"{assigned.key} moved to Done"]


def test_quiet_while_focused_and_switched_off(
    qtbot: QtBot,
    make_bridge: Callable[..., NotifyBridge],
    recorder: RecordingBackend,
    store: Store,
    gui_settings: Settings,
    make_issue: Callable[..., Issue],
    other_services: Services,
) -> None:
    issue = make_issue("Mine")
    focused = [True]
    gui_settings.set("notify/quiet_when_focused", True)
    make_bridge(focused=lambda: focused[0])
    move_as_bob(other_services, issue, "In Progress")
    settle(qtbot, store)
    assert recorder.sent == []
    focused[0] = False
    move_as_bob(other_services, issue, "In Review")
    settle(qtbot, store)
    assert summaries(qtbot, recorder, 1) == [f"{issue.key} moved to In Review"]
    gui_settings.set("notify/enabled", False)
    move_as_bob(other_services, issue, "Done")
    settle(qtbot, store)
    assert len(recorder.sent) == 1


def test_due_reminders_once_a_day_on_a_fake_day(
    qtbot: QtBot,
    make_bridge: Callable[..., NotifyBridge],
    recorder: RecordingBackend,
    gui_settings: Settings,
    make_issue: Callable[..., Issue],
) -> None:
    due = make_issue("Ship it", assignee="alice", due=TODAY + dt.timedelta(days=1))
    make_issue("Someone else's", assignee="bob", due=TODAY)
    day = FakeDay(TODAY)
    bridge = make_bridge(today=day)
    qtbot.wait(50)  # the start-up check
    assert recorder.sent == []  # due tomorrow: nothing yet
    day.day = TODAY + dt.timedelta(days=1)
    assert [n.summary for n in bridge.check_reminders()] == [f"{due.key} is due today"]
    assert bridge.check_reminders() == []
    day.day = TODAY + dt.timedelta(days=2)
    [late] = bridge.check_reminders()
    assert late.summary == f"{due.key} is overdue"
    qtbot.waitUntil(lambda: len(recorder.sent) == 2, timeout=2000)
    assert [n.summary for n in recorder.sent] == [f"{due.key} is due today", late.summary]
    # A restart the same day does not remind again.
    again = make_bridge(today=day)
    assert again.check_reminders() == []
    assert gui_settings.get("notify/reminded") == [f"{due.id}={day.day.isoformat()}"]


def test_without_desktop_notifications_the_tray_shows_the_message_and_a_click_opens(
    qtbot: QtBot,
    make_bridge: Callable[..., NotifyBridge],
    store: Store,
    make_issue: Callable[..., Issue],
    other_services: Services,
) -> None:
    issue = make_issue("Tray only")
    tray = RecordingTray()
    bridge = make_bridge(notifier=Notifier(RecordingBackend(available=False)), tray=tray)
    assert bridge.channel == TRAY
    move_as_bob(other_services, issue, "Done")
    settle(qtbot, store)
    assert tray.messages == [(f"{issue.key} moved to Done", "bob moved “Tray only”")]
    with qtbot.waitSignal(bridge.issueRequested) as opened:
        tray.messageClicked.emit()
    assert opened.args == [issue.id]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_one_change_set_read_in_two_pages_is_one_notification(
    qtbot: QtBot,
    make_bridge: Callable[..., NotifyBridge],
    recorder: RecordingBackend,
    store: Store,
    make_issue: Callable[..., Issue],
    other_services: Services,
) -> None:
    """Issue 14 item 10: a bulk move of 30 arrived as 28 + 2 when a read split its rows."""
    issues = [make_issue(f"card {n}") for n in range(30)]
    clock = FakeClock()
    bridge = make_bridge(clock=clock)
    done = next(s for s in store.statuses(issues[0].project_id) if s.name == "Done")
    start = store.services.feed.last_id()
    other_services.issues.bulk_move([(i.id, i.version, done.id) for i in issues])
    rows = store.services.feed.changes_since(start)
    cut = [n for n, r in enumerate(rows) if r.field == "status"][28]
    assert len({r.change_set for r in rows}) == 1

    def read(page: list[Change]) -> None:  # what the live feed does with each page it reads
        store.live_feed.remoteChanges.emit(store.apply_changes(page, coalesce=True))

    read(rows[:cut])  # rows of cards 1-28
    clock.now += 1.0  # the burst window is long past when the next page comes
    qtbot.waitUntil(lambda: len(recorder.sent) >= 1, timeout=3000)
    read(rows[cut:])  # rows of cards 29-30
    clock.now += 1.0
    qtbot.wait(600)
    assert bridge.batcher.pending == 0
    [note] = recorder.sent
    assert note.summary == "30 issues changed status"
    assert sorted(note.issue_ids) == sorted(i.id for i in issues)
