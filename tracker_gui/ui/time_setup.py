"""Time tracking in the window: the one work timer, its status-bar indicator, the detail button."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtWidgets import QWidget

from tracker_gui.ui.panes.detail_pane import DetailPane
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.status_bar import InlineNotice, StatusBar
from tracker_gui.ui.store import Store
from tracker_gui.ui.timer_indicator import TimerIndicator
from tracker_gui.ui.work_timer import Clock, WorkTimer, utc_now


class Window(Protocol):
    """What the timer needs of the main window."""

    detail_pane: DetailPane
    status: StatusBar
    notice: InlineNotice

    def show_issue(self, issue_id: int | None, raise_detail: bool = False) -> None: ...


@dataclass(frozen=True)
class TimeUi:
    timer: WorkTimer
    indicator: TimerIndicator


def install(window: Window, store: Store, settings: Settings, clock: Clock = utc_now) -> TimeUi:
    """Make the timer (restoring one left running over this database) and show it."""
    owner = window if isinstance(window, QWidget) else None
    timer = WorkTimer(store, settings, clock, parent=owner)
    indicator = TimerIndicator(timer)
    # Leftmost of the permanent widgets: beside the message area, before the database.
    window.status.insertPermanentWidget(0, indicator)
    indicator.openRequested.connect(lambda issue_id: window.show_issue(issue_id, True))
    timer.failed.connect(window.notice.show_message)
    window.detail_pane.time.set_timer(timer)
    return TimeUi(timer, indicator)
