"""The detail pane's time section: log work, the logs, remove, the remaining time, live updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import Issue
from tracker_gui.services import Services
from tracker_gui.services.worklogs import WorklogService
from tracker_gui.ui.panes.detail_pane import DetailPane
from tracker_gui.ui.panes.detail_time import LATER_REMAINING, TimeSection, _LogRow
from tracker_gui.ui.store import Store


@pytest.fixture
def pane(qtbot: QtBot, store: Store) -> DetailPane:
    pane = DetailPane(store)
    qtbot.addWidget(pane)
    pane.resize(460, 900)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def type_into(qtbot: QtBot, widget: QWidget, text: str, enter: bool = False) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    if enter:
        qtbot.keyClick(widget, Qt.Key.Key_Return)


def rows(section: TimeSection) -> list[tuple[str, str, str, str]]:
    """The log rows shown: (who, day, duration, note)."""
    out = []
    for row in section._pool.rows:
        if isinstance(row, _LogRow) and not row.isHidden():
            out.append((row.who.text(), row.day.text(), row.minutes.text(), row.note.text()))
    return out


def test_log_work_shows_it_stores_it_and_undo_removes_it(
    qtbot: QtBot,
    pane: DetailPane,
    store: Store,
    gui_services: Services,
    make_issue: Callable[..., Issue],
) -> None:
    issue = make_issue("Write the importer", estimate=4.0)
    pane.show_issue(issue.id)
    time = pane.time
    assert time.summary.text() == "Logged 0m · Remaining 4h · estimate 4h"
    assert time.empty.isVisible()
    today = dt.date.today()
    assert time.date_edit.date() == QDate(today.year, today.month, today.day)

    type_into(qtbot, time.duration_edit, "1h30m")
    type_into(qtbot, time.note_edit, "first pass")
    qtbot.mouseClick(time.log_button, Qt.MouseButton.LeftButton)

    stored = WorklogService.of(gui_services).entries(issue.id)
    assert [(w.user, w.on, w.minutes, w.note) for w in stored] == [
        ("alice", today, 90, "first pass")
    ]
    assert time.summary.text() == "Logged 1h30m · Remaining 2h30m · estimate 4h"
    assert rows(time) == [("alice", f"{today:%b} {today.day}", "1h30m", "first pass")]
    assert time.duration_edit.text() == "" and time.note_edit.text() == ""
    assert not time.empty.isVisible()

    store.undo_stack.undo()
    assert WorklogService.of(gui_services).entries(issue.id) == []
    qtbot.waitUntil(lambda: rows(time) == [])
    assert time.summary.text() == "Logged 0m · Remaining 4h · estimate 4h"


def test_an_unreadable_duration_says_so_and_keeps_the_text(
    qtbot: QtBot, pane: DetailPane, gui_services: Services, make_issue: Callable[..., Issue]
) -> None:
    issue = make_issue()
    pane.show_issue(issue.id)
    time = pane.time
    type_into(qtbot, time.duration_edit, "45", enter=True)
    assert time.error_label.text() == "Duration: '45' has no unit: write e.g. 45h or 45m"
    assert time.duration_edit.text() == "45"
    assert WorklogService.of(gui_services).entries(issue.id) == []


def test_a_chosen_day_is_the_day_logged(
    qtbot: QtBot, pane: DetailPane, gui_services: Services, make_issue: Callable[..., Issue]
) -> None:
    issue = make_issue()
    pane.show_issue(issue.id)
    pane.time.date_edit.setDate(QDate(2026, 3, 2))
    type_into(qtbot, pane.time.duration_edit, "2d", enter=True)
    (entry,) = WorklogService.of(gui_services).entries(issue.id)
    assert (entry.on, entry.minutes) == (dt.date(2026, 3, 2), 960)  # 2 work days of 8 h
    assert rows(pane.time)[0][1:3] == ("Mar 2", "2d")


def test_remove_a_log(
    qtbot: QtBot, pane: DetailPane, gui_services: Services, make_issue: Callable[..., Issue]
) -> None:
    issue = make_issue()
    logs = WorklogService.of(gui_services)
    logs.log(issue.id, "1h")
    logs.log(issue.id, "20m", note="review")
    pane.show_issue(issue.id)
    assert [r[2] for r in rows(pane.time)] == ["1h", "20m"]
    first = pane.time._pool.rows[0]
    assert isinstance(first, _LogRow) and first.remove.isVisible()
    qtbot.mouseClick(first.remove, Qt.MouseButton.LeftButton)
    assert [w.minutes for w in logs.entries(issue.id)] == [20]
    assert rows(pane.time) == [("alice", rows(pane.time)[0][1], "20m", "review")]


def test_remaining_set_cleared_and_undone(
    qtbot: QtBot,
    pane: DetailPane,
    store: Store,
    gui_services: Services,
    make_issue: Callable[..., Issue],
) -> None:
    issue = make_issue(estimate=4.0)
    logs = WorklogService.of(gui_services)
    logs.log(issue.id, "1h")
    pane.show_issue(issue.id)
    time = pane.time
    assert time.remaining_edit.text() == ""
    assert time.remaining_edit.placeholderText() == "3h"  # the estimate minus logged

    type_into(qtbot, time.remaining_edit, "5h", enter=True)
    spent = logs.spent_on(issue.id)
    assert (spent.remaining, spent.remaining_set) == (300, True)
    assert time.summary.text() == "Logged 1h · Remaining 5h · estimate 4h"
    assert time.remaining_hint.text() == "set by hand (empty: 3h)"

    type_into(qtbot, time.remaining_edit, "", enter=True)  # cleared: computed again
    spent = logs.spent_on(issue.id)
    assert (spent.remaining, spent.remaining_set) == (180, False)
    assert time.summary.text() == "Logged 1h · Remaining 3h · estimate 4h"

    store.undo_stack.undo()  # back to the 5h set by hand
    assert logs.spent_on(issue.id).remaining == 300
    qtbot.waitUntil(lambda: time.remaining_edit.text() == "5h")

    type_into(qtbot, time.remaining_edit, "soon", enter=True)
    assert time.error_label.text().startswith("Remaining: 'soon' is not a duration")
    assert logs.spent_on(issue.id).remaining == 300


def test_time_logged_elsewhere_arrives_live_and_typing_is_kept(
    qtbot: QtBot,
    pane: DetailPane,
    store: Store,
    gui_services: Services,
    other_services: Services,
    make_issue: Callable[..., Issue],
) -> None:
    issue = make_issue(estimate=8.0)
    pane.show_issue(issue.id)
    time = pane.time
    type_into(qtbot, time.duration_edit, "15m")  # alice is typing a log...
    type_into(qtbot, time.remaining_edit, "2h")  # ...and a remaining time

    bob = WorklogService.of(other_services)
    bob.log(issue.id, "2h", note="pairing")
    bob.set_remaining(issue.id, "4h")
    store.poll()
    qtbot.waitUntil(lambda: any(r[0] == "bob" for r in rows(time)))
    assert rows(time)[0][0::2] == ("bob", "2h")
    assert time.summary.text() == "Logged 2h · Remaining 4h · estimate 1d"
    # Nothing alice typed was replaced.
    assert time.duration_edit.text() == "15m"
    assert time.remaining_edit.text() == "2h"
    bob_row = time._pool.rows[0]
    assert (
        isinstance(bob_row, _LogRow) and bob_row.remove.isVisible()
    )  # a local file: alice owns all

    # Her save over bob's newer value is held back, showing his; Enter again saves hers.
    qtbot.keyClick(time.remaining_edit, Qt.Key.Key_Return)
    assert time.error_label.text() == LATER_REMAINING.format(theirs="4h")
    assert WorklogService.of(gui_services).spent_on(issue.id).remaining == 240
    qtbot.keyClick(time.remaining_edit, Qt.Key.Key_Return)
    assert WorklogService.of(gui_services).spent_on(issue.id).remaining == 120
    assert time.error_label.text() == ""


def test_a_viewer_sees_time_but_cannot_log(
    qtbot: QtBot, pane: DetailPane, make_issue: Callable[..., Issue], gui_services: Services
) -> None:
    issue = make_issue()
    WorklogService.of(gui_services).log(issue.id, "1h")
    pane.show_issue(issue.id)
    pane.set_writable(False)
    assert not pane.time.log_button.isEnabled()
    assert not pane.time.remaining_edit.isEnabled()
    row = pane.time._pool.rows[0]
    assert isinstance(row, _LogRow) and not row.remove.isVisible()
    assert rows(pane.time)[0][2] == "1h"


def test_time_changes_read_as_sentences_in_the_history_and_the_activity(
    qtbot: QtBot, pane: DetailPane, store: Store, make_issue: Callable[..., Issue]
) -> None:
    from tracker_gui.ui.models.activity_model import ActivityModel

    issue = make_issue(estimate=4.0)
    pane.show_issue(issue.id)
    time = pane.time
    type_into(qtbot, time.duration_edit, "1h30m", enter=True)
    type_into(qtbot, time.remaining_edit, "2h", enter=True)
    type_into(qtbot, time.remaining_edit, "", enter=True)
    first = time._pool.rows[0]
    assert isinstance(first, _LogRow)
    qtbot.mouseClick(first.remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(pane.history.lines()) >= 5)
    assert pane.history.lines()[:4] == [
        "alice removed 1h30m of logged time",
        "alice cleared the time remaining",
        "alice set the time remaining to 2h",
        "alice logged 1h30m",
    ]
    model = ActivityModel(store)
    assert [model.index(r, 0).data() for r in range(4)] == [
        f"alice removed 1h30m of logged time from {issue.key}",
        f"alice cleared the time remaining on {issue.key}",
        f"alice set the time remaining on {issue.key} to 2h",
        f"alice logged 1h30m on {issue.key}",
    ]


def test_the_default_day_moves_on_at_midnight_a_chosen_one_stays(
    qtbot: QtBot, pane: DetailPane, make_issue: Callable[..., Issue]
) -> None:
    issue = make_issue()
    day = [dt.date(2026, 3, 2)]
    pane.time.today = lambda: day[0]
    pane.show_issue(issue.id)
    pane.reload()  # the same issue shown again (a change arrived): a reload
    assert pane.time.date_edit.date() == QDate(2026, 3, 2)
    day[0] = dt.date(2026, 3, 3)
    pane.reload()
    assert pane.time.date_edit.date() == QDate(2026, 3, 3)
    pane.time.date_edit.setDate(QDate(2026, 2, 27))  # the user picks a day
    day[0] = dt.date(2026, 3, 4)
    pane.reload()
    assert pane.time.date_edit.date() == QDate(2026, 2, 27)
