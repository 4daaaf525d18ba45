"""The detail pane's time section: logged and remaining, Log work, the work logs, the timer.

Durations are shown and read on the issue's project's work calendar (`1d` is its work day).
The remaining editor follows issue 14's rule: what someone else sets arrives while nobody
types there; typing in progress is never replaced, and a save over a value that changed
since the typing began is held back with both values shown (Enter again saves mine).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.durations import WorkCalendar, format_minutes
from tracker_gui.domain.models import Issue, IssueDetail
from tracker_gui.domain.worklogs import TimeSpent, WorkLog, estimate_minutes
from tracker_gui.ui.ops import worklogs as ops
from tracker_gui.ui.panes.detail_sections import RowPool, flat_button, heading
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets import style
from tracker_gui.ui.work_timer import WorkTimer

LATER_REMAINING = (
    "Not saved yet: the remaining time was changed meanwhile to {theirs}. "
    "Press Enter to save yours anyway."
)


def day_text(day: dt.date, today: dt.date) -> str:
    text = f"{day:%b} {day.day}"
    return text if day.year == today.year else f"{text}, {day.year}"


class _LogRow(QWidget):
    """One work log: who, the day, how long, remove when the user may; its note below."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: WorkLog | None = None
        self.who = QLabel()
        self.who.setObjectName("WorklogUser")
        self.day = style.muted(QLabel())
        self.minutes = QLabel()
        self.minutes.setObjectName("WorklogMinutes")
        # Fixed widths: the rows line up as columns (who, day, how long).
        metrics = self.who.fontMetrics()
        self.who.setFixedWidth(metrics.horizontalAdvance("mmmmmmm"))
        self.day.setFixedWidth(metrics.horizontalAdvance("Mmm 00, 0000"))
        self.note = style.muted(QLabel())
        self.note.setObjectName("WorklogNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.remove = flat_button("", "close", "Remove this work log")
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(8)
        line.addWidget(self.who)
        line.addWidget(self.day)
        line.addWidget(self.minutes, 1)
        line.addWidget(self.remove)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 2)
        column.setSpacing(0)
        column.addLayout(line)
        column.addWidget(self.note)

    def fill(self, entry: WorkLog, calendar: WorkCalendar, today: dt.date, removable: bool) -> None:
        self.shown = entry
        who = self.who.fontMetrics().elidedText(
            entry.user, Qt.TextElideMode.ElideRight, self.who.width()
        )
        self.who.setText(who)
        self.who.setToolTip(entry.user)
        self.day.setText(day_text(entry.on, today))
        self.day.setToolTip(entry.on.isoformat())
        self.minutes.setText(format_minutes(entry.minutes, calendar))
        self.note.setText(entry.note)
        self.note.setVisible(bool(entry.note))
        # Hidden, the button keeps its room: the durations stay in one column.
        policy = self.remove.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.remove.setSizePolicy(policy)
        self.remove.setVisible(removable)
        what = f"{self.minutes.text()} logged by {entry.user} on {entry.on.isoformat()}"
        self.remove.setAccessibleName(f"Remove {what}")
        self.remove.setToolTip(f"Remove {what}")


class TimeSection(QWidget):
    """Logged and remaining time of the shown issue, and the controls that change them."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TimeSection")
        self._store = store
        self._issue: Issue | None = None
        self._spent: TimeSpent | None = None
        self._entries: list[WorkLog] = []
        self._calendars: dict[int, WorkCalendar] = {}
        self._remaining_base: int | None = None  # the set value the remaining editor started at
        self._default_day = QDate()
        self._writable = True
        self.timer: WorkTimer | None = None
        self.today: Callable[[], dt.date] = dt.date.today

        self.timer_button = flat_button("Start timer", "clock", "")
        self.timer_button.setObjectName("TimerButton")
        self.timer_button.clicked.connect(self._on_timer_button_clicked)
        self.timer_button.hide()  # until the window gives the section its timer
        self.summary = QLabel()
        self.summary.setObjectName("TimeSummary")
        self.summary.setWordWrap(True)

        self.remaining_edit = QLineEdit()
        self.remaining_edit.setObjectName("RemainingEdit")
        self.remaining_edit.setAccessibleName("Remaining time")
        self.remaining_edit.setMaximumWidth(120)
        self.remaining_edit.setToolTip(
            "The time left, e.g. 4h or 1d2h; Enter saves. Empty: the estimate minus logged."
        )
        self.remaining_edit.returnPressed.connect(self._on_remaining_edit_return_pressed)
        self.remaining_hint = style.muted(QLabel())
        self.remaining_hint.setObjectName("RemainingHint")
        self.remaining_hint.setWordWrap(True)
        remaining_row = QHBoxLayout()
        remaining_row.setSpacing(8)
        remaining_row.addWidget(QLabel("Remaining"))
        remaining_row.addWidget(self.remaining_edit)
        remaining_row.addWidget(self.remaining_hint, 1)

        self.duration_edit = QLineEdit()
        self.duration_edit.setObjectName("LogDuration")
        self.duration_edit.setAccessibleName("Time spent")
        self.duration_edit.setPlaceholderText("e.g. 1h30m")
        self.duration_edit.returnPressed.connect(self._on_log_button_clicked)
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("LogDate")
        self.date_edit.setAccessibleName("Day worked")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("LogNote")
        self.note_edit.setAccessibleName("Work log note")
        self.note_edit.setPlaceholderText("Note (optional)")
        self.note_edit.returnPressed.connect(self._on_log_button_clicked)
        self.log_button = QPushButton("Log work")
        self.log_button.setObjectName("LogWork")
        self.log_button.clicked.connect(self._on_log_button_clicked)
        log_row = QHBoxLayout()
        log_row.setSpacing(6)
        log_row.addWidget(self.duration_edit, 1)
        log_row.addWidget(self.date_edit)
        log_row.addWidget(self.log_button)
        self.error_label = style.error_label()

        self.rows = QVBoxLayout()
        self.rows.setSpacing(2)
        self.empty = style.muted(QLabel("No time logged yet."))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(heading("Time tracking", self.timer_button))
        layout.addWidget(self.summary)
        layout.addLayout(remaining_row)
        layout.addLayout(log_row)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.error_label)
        layout.addLayout(self.rows)
        layout.addWidget(self.empty)
        self._pool = RowPool(self.rows, self._make_row)
        self._reset_date()

    # -- public ------------------------------------------------------------------------------
    def set_timer(self, timer: WorkTimer) -> None:
        """The window's one timer (ui/time_setup.py): the section gets its Start/Stop button."""
        self.timer = timer
        self.today = lambda: timer.clock().astimezone().date()
        timer.changed.connect(self._on_timer_changed)
        self._reset_date()
        self._on_timer_changed()

    def set_writable(self, writable: bool) -> None:
        self._writable = writable
        for widget in (
            self.remaining_edit,
            self.duration_edit,
            self.date_edit,
            self.note_edit,
            self.log_button,
        ):
            widget.setEnabled(writable)
        self._on_timer_changed()
        self._fill_rows()

    def show_detail(self, detail: IssueDetail, reset: bool) -> None:
        """Show an issue's time (again after a change: typing in progress is kept)."""
        if reset:
            self.duration_edit.clear()
            self.note_edit.clear()
            self.remaining_edit.clear()
            self.remaining_edit.setModified(False)
            style.show_error(self.error_label, "")
            self._reset_date()
        elif self._date_is_default():
            self._reset_date()  # still the default after midnight: today is a new day
        self._issue = detail.issue
        self.refresh()
        self._on_timer_changed()

    def refresh(self) -> None:
        """Read the issue's totals and logs again (one read each)."""
        issue = self._issue
        if issue is None:
            return
        spent = ops.spent(self._store, [issue.id]).value
        if spent is None:
            return  # offline or unreadable: what is shown stays
        self._spent = spent.get(issue.id)
        self._entries = ops.entries(self._store, issue.id).value or []
        self._show_totals()
        self._fill_rows()

    def calendar(self) -> WorkCalendar:
        if self._issue is None:
            return WorkCalendar()
        pid = self._issue.project_id
        if pid not in self._calendars:
            found = ops.calendar(self._store, pid).value
            if found is None:
                return WorkCalendar()
            self._calendars[pid] = found
        return self._calendars[pid]

    def text(self, minutes: int) -> str:
        return format_minutes(minutes, self.calendar())

    # -- showing ---------------------------------------------------------------------------
    def _show_totals(self) -> None:
        spent, issue = self._spent, self._issue
        if spent is None or issue is None:
            return
        estimate = estimate_minutes(issue.estimate)
        parts = [f"Logged {self.text(spent.logged)}"]
        parts.append(
            "Remaining " + (self.text(spent.remaining) if spent.remaining is not None else "—")
        )
        if estimate is not None:
            parts.append(f"estimate {self.text(estimate)}")
        self.summary.setText(" · ".join(parts))
        computed = None if estimate is None else max(0, estimate - spent.logged)
        computed_text = "no estimate" if computed is None else self.text(computed)
        if spent.remaining_set:
            self.remaining_hint.setText(f"set by hand (empty: {computed_text})")
        else:
            self.remaining_hint.setText("from the estimate" if computed is not None else "")
        self.remaining_edit.setPlaceholderText(computed_text if computed is not None else "e.g. 4h")
        new_base = spent.remaining if spent.remaining_set else None
        # Typing in progress is never replaced: only an untouched editor shows the new value.
        if not self.remaining_edit.isModified():
            self._remaining_base = new_base
            self.remaining_edit.setText("" if new_base is None else self.text(new_base))

    def _fill_rows(self) -> None:
        issue = self._issue
        entries = self._entries
        today = self.today()
        admin = issue is not None and self._store.can_admin(issue.project_id)
        calendar = self.calendar()
        for row, entry in zip(self._pool.show(len(entries)), entries, strict=True):
            assert isinstance(row, _LogRow)
            mine = entry.user == self._store.me
            row.fill(entry, calendar, today, self._writable and (mine or admin))
        self.empty.setVisible(not entries)

    def _make_row(self) -> QWidget:
        row = _LogRow()
        row.remove.clicked.connect(lambda _=False: self._remove(row.shown))
        return row

    def _reset_date(self) -> None:
        day = self.today()
        self._default_day = QDate(day.year, day.month, day.day)
        self.date_edit.setDate(self._default_day)

    def _date_is_default(self) -> bool:
        """The day field still shows the default it was given (the user chose no other)."""
        return self.date_edit.date() == self._default_day

    # -- writes ----------------------------------------------------------------------------
    def _remove(self, entry: WorkLog | None) -> None:
        if entry is None:
            return
        result = ops.remove(self._store, entry.id, entry.issue_id)
        style.show_error(self.error_label, result.message)
        self.refresh()

    def _on_log_button_clicked(self) -> None:
        issue = self._issue
        text = self.duration_edit.text().strip()
        if issue is None:
            return
        if not text:
            style.show_error(self.error_label, "Enter the time spent, e.g. 1h30m, 45m or 2d")
            self.duration_edit.setFocus()
            return
        qday = self.date_edit.date()
        day = dt.date(qday.year(), qday.month(), qday.day())
        result = ops.log(self._store, issue.id, issue.key, text, day, self.note_edit.text())
        style.show_error(self.error_label, result.message)
        if result.value is None:
            return  # the message says why; what was typed stays
        self.duration_edit.clear()
        self.note_edit.clear()
        self.refresh()

    def _on_remaining_edit_return_pressed(self) -> None:
        issue = self._issue
        if issue is None:
            return
        text = self.remaining_edit.text().strip()
        stored = self._spent.remaining if self._spent and self._spent.remaining_set else None
        if stored != self._remaining_base:
            # Someone set it while this was typed: show theirs; Enter again saves mine.
            theirs = "the estimate minus logged" if stored is None else self.text(stored)
            self._remaining_base = stored
            style.show_error(self.error_label, LATER_REMAINING.format(theirs=theirs))
            return
        value = text or None
        result = ops.set_remaining(self._store, issue.id, issue.key, stored, value)
        style.show_error(self.error_label, result.message)
        if result.message or result.conflict is not None:
            return
        self.remaining_edit.setModified(False)
        self.refresh()

    def _on_timer_button_clicked(self) -> None:
        timer, issue = self.timer, self._issue
        if timer is None or issue is None:
            return
        result = timer.stop() if timer.runs_on(issue.id) else timer.start(issue.id, issue.key)
        style.show_error(self.error_label, result.message)
        self.refresh()

    def _on_timer_changed(self) -> None:
        timer, issue = self.timer, self._issue
        if timer is None:
            return
        self.timer_button.setVisible(issue is not None and self._writable)
        running = timer.running()
        if issue is not None and timer.runs_on(issue.id):
            self.timer_button.setText("Stop timer")
            self.timer_button.setToolTip("Stop the timer and log the time it ran")
        else:
            self.timer_button.setText("Start timer")
            tip = "Time your work on this issue; stopping logs it"
            if running is not None:
                tip += f" (stops the timer on {running.key} first, logging its time)"
            self.timer_button.setToolTip(tip)
