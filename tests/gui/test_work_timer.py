"""The work timer: start and stop from the detail pane, one at a time, shown in the status bar,
logged rounded up to whole minutes, and still running after a restart (an injected clock)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import Issue
from tracker_gui.services import Services
from tracker_gui.services.worklogs import WorklogService
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.work_timer import SETTING, elapsed_text, minutes_for

START = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the test moves on by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def window_with_clock(make_window: Callable[..., Any], clock: Clock, **kw: Any) -> Any:
    window = make_window(**kw)
    window.time.timer.clock = clock
    window.time.indicator.refresh()
    return window


def logged(services: Services, issue: Issue) -> list[tuple[int, dt.date]]:
    return [(w.minutes, w.on) for w in WorklogService.of(services).entries(issue.id)]


def test_minutes_are_rounded_up_and_at_least_one() -> None:
    assert minutes_for(dt.timedelta(0)) == 1
    assert minutes_for(dt.timedelta(seconds=59)) == 1
    assert minutes_for(dt.timedelta(seconds=60)) == 1
    assert minutes_for(dt.timedelta(seconds=61)) == 2
    assert minutes_for(dt.timedelta(hours=1, seconds=1)) == 61
    assert elapsed_text(dt.timedelta(seconds=425)) == "0:07:05"
    assert elapsed_text(dt.timedelta(hours=27, minutes=3)) == "27:03:00"


def test_start_and_stop_from_the_detail_pane_logs_the_time(
    qtbot: QtBot,
    make_window: Callable[..., Any],
    gui_services: Services,
    make_issue: Callable[..., Issue],
) -> None:
    issue = make_issue("Timed work")
    clock = Clock()
    window = window_with_clock(make_window, clock)
    indicator, button = window.time.indicator, window.detail_pane.time.timer_button
    window.show_issue(issue.id)
    assert button.isVisible() and button.text() == "Start timer"
    assert not indicator.isVisible()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.text() == "Stop timer"
    assert indicator.isVisible() and indicator.text() == f"{issue.key}  0:00:00"
    clock.advance(minutes=12, seconds=5)
    indicator.refresh()  # what its one-second tick does
    assert indicator.text() == f"{issue.key}  0:12:05"

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert logged(gui_services, issue) == [(13, START.astimezone().date())]  # 12m05s: 13m
    assert button.text() == "Start timer"
    assert not indicator.isVisible()
    assert window.settings.get(SETTING) == ""
    qtbot.waitUntil(lambda: "Logged 13m" in window.detail_pane.time.summary.text())


def test_one_timer_at_a_time_starting_another_logs_the_first(
    qtbot: QtBot,
    make_window: Callable[..., Any],
    gui_services: Services,
    make_issue: Callable[..., Issue],
) -> None:
    first, second = make_issue("First"), make_issue("Second")
    clock = Clock()
    window = window_with_clock(make_window, clock)
    button = window.detail_pane.time.timer_button
    window.show_issue(first.id)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    clock.advance(minutes=30)
    window.show_issue(second.id)
    assert button.text() == "Start timer"
    assert first.key in button.toolTip()  # it says the running one stops first
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert logged(gui_services, first) == [(30, START.astimezone().date())]
    running = window.time.timer.running()
    assert running is not None and running.issue_id == second.id
    assert window.time.indicator.text().startswith(second.key)


def test_the_timer_survives_a_restart_and_the_indicator_opens_its_issue(
    qtbot: QtBot,
    make_window: Callable[..., Any],
    gui_settings: Settings,
    gui_services: Services,
    make_issue: Callable[..., Issue],
) -> None:
    issue, other = make_issue("Long task"), make_issue("Something else")
    clock = Clock()
    first = window_with_clock(make_window, clock)
    first.show_issue(issue.id)
    qtbot.mouseClick(first.detail_pane.time.timer_button, Qt.MouseButton.LeftButton)
    first.close()

    clock.advance(hours=1, minutes=2, seconds=3)  # the app was closed meanwhile
    # A new window reading the same settings file, as the next start of the app does.
    again = window_with_clock(
        make_window, clock, settings=Settings(Path(gui_settings.qsettings.fileName()))
    )
    indicator = again.time.indicator
    assert indicator.isVisible()
    assert indicator.text() == f"{issue.key}  1:02:03"

    again.show_issue(other.id)
    qtbot.mouseClick(indicator, Qt.MouseButton.LeftButton)  # opens the timed issue
    assert again.detail_pane.issue_id() == issue.id
    assert again.detail_pane.time.timer_button.text() == "Stop timer"

    indicator.stop_action.trigger()  # its menu: stop and log
    assert logged(gui_services, issue) == [(63, START.astimezone().date())]
    assert not indicator.isVisible()


def test_a_timer_of_another_database_is_not_shown(
    make_window: Callable[..., Any], gui_settings: Settings
) -> None:
    elsewhere = {"db": "/else/other.db", "issue": 1, "key": "X-1", "started": START.isoformat()}
    gui_settings.set(SETTING, json.dumps(elsewhere))
    window = window_with_clock(make_window, Clock())
    assert window.time.timer.running() is None
    assert not window.time.indicator.isVisible()


def test_a_stop_that_cannot_log_keeps_the_timer_and_discard_drops_it(
    qtbot: QtBot,
    make_window: Callable[..., Any],
    gui_services: Services,
    make_issue: Callable[..., Issue],
) -> None:
    issue = make_issue("Soon deleted")
    clock = Clock()
    window = window_with_clock(make_window, clock)
    window.show_issue(issue.id)
    qtbot.mouseClick(window.detail_pane.time.timer_button, Qt.MouseButton.LeftButton)
    gui_services.issues.delete(issue.id, issue.version)
    clock.advance(minutes=5)
    indicator = window.time.indicator
    indicator.stop_action.trigger()
    assert window.notice.isVisible()
    assert "does not exist" in window.notice.message.text()
    assert indicator.isVisible()  # nothing was logged, so the time is not thrown away
    assert window.time.timer.running() is not None
    indicator.discard_action.trigger()
    assert not indicator.isVisible()
    assert window.settings.get(SETTING) == ""
