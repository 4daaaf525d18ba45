"""The Backlog pane's dialogs: a new sprint (name, dates, goal) and closing one (carry-over)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain import sprints as rules
from tracker_gui.errors import ValidationError
from tracker_gui.ui import icons
from tracker_gui.ui.widgets import style

SPRINT_DAYS = 14  # a new sprint's default length (both days count)
_NUMBERED = re.compile(r"^(.*?)(\d{1,9})$")  # "Sprint 23", "Cycle-7": a stem and a number
# (name, start, end, goal) -> "" when made, else the service's message
Create = Callable[[str, dt.date, dt.date, str], str]


def next_name(taken: Sequence[str]) -> str:
    """The name a new sprint most likely gets: the last numbered sprint's name counted on
    ("Sprint 23" -> "Sprint 24", past every number taken with that stem), else "Sprint 1"."""
    numbered = [(m.group(1), int(m.group(2))) for m in map(_NUMBERED.match, taken) if m]
    stem = numbered[-1][0] if numbered else "Sprint "
    used = [n for s, n in numbered if s.casefold() == stem.casefold()]
    return f"{stem}{max(used, default=0) + 1}"[: rules.NAME_MAX]


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


def _buttons(dialog: QDialog, ok_text: str) -> tuple[QHBoxLayout, QPushButton]:
    cancel = QPushButton("Cancel")
    cancel.clicked.connect(dialog.reject)
    ok = QPushButton(ok_text)
    ok.setObjectName("Primary")
    ok.setDefault(True)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(cancel)
    row.addWidget(ok)
    return row, ok


class NewSprintDialog(QDialog):
    """Name, first and last day, goal; Create asks `create` and stays open on its message."""

    def __init__(
        self,
        create: Create,
        first_day: dt.date,
        taken: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("NewSprintDialog")
        self.setWindowTitle("New sprint")
        self.setWindowIcon(icons.app_icon())
        self.setMinimumWidth(420)
        style.install_style(self)
        self._create = create
        self._taken = {n.casefold() for n in taken}
        self._length = dt.timedelta(days=SPRINT_DAYS - 1)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("SprintNameEdit")
        self.name_edit.setAccessibleName("Sprint name")
        self.name_edit.setMaxLength(rules.NAME_MAX)
        self.name_edit.setPlaceholderText("Sprint 12")
        # The next in the series, selected: Enter takes it, typing replaces it.
        self.name_edit.setText(next_name(taken))
        self.name_edit.selectAll()
        self.start_edit = self._date_edit(first_day, "First day")
        self.end_edit = self._date_edit(first_day + dt.timedelta(days=SPRINT_DAYS - 1), "Last day")
        self.goal_edit = QPlainTextEdit()
        self.goal_edit.setObjectName("SprintGoalEdit")
        self.goal_edit.setAccessibleName("Sprint goal")
        self.goal_edit.setPlaceholderText("What the team means to get done (optional)")
        self.goal_edit.setTabChangesFocus(True)
        self.goal_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.error_label = style.error_label()
        self.error_label.setAccessibleName("Sprint error")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(10)
        form.addRow("&Name", self.name_edit)
        form.addRow("&Starts", self.start_edit)
        form.addRow("&Ends", self.end_edit)
        form.addRow("&Goal", self.goal_edit)
        buttons, self.create_button = _buttons(self, "Create sprint")
        self.create_button.clicked.connect(self._on_create_button_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.name_edit.textEdited.connect(self._on_input_changed)
        self.start_edit.dateChanged.connect(self._on_start_date_changed)
        self.end_edit.dateChanged.connect(self._on_end_date_changed)
        self.name_edit.setFocus()

    def _date_edit(self, day: dt.date, name: str) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setAccessibleName(name)
        return edit

    def problem(self) -> str:
        """What is wrong with the form as filled in ("" when it can be sent)."""
        try:
            name = rules.name(self.name_edit.text())
            rules.span(_day(self.start_edit), _day(self.end_edit))
            rules.goal(self.goal_edit.toPlainText())
        except ValidationError as exc:
            return str(exc)
        if name.casefold() in self._taken:
            return f"the project already has a sprint named {name!r}"
        return ""

    def _on_start_date_changed(self, _date: QDate) -> None:
        # The length stays as it was when the first day moves (two weeks unless changed).
        self.end_edit.setDate(_qdate(_day(self.start_edit) + self._length))
        self._on_input_changed()

    def _on_end_date_changed(self, _date: QDate) -> None:
        self._length = _day(self.end_edit) - _day(self.start_edit)
        self._on_input_changed()

    def _on_input_changed(self, *_args: object) -> None:
        if not self.error_label.isHidden():
            style.show_error(self.error_label, self.problem())

    def _on_create_button_clicked(self) -> None:
        wrong = self.problem()
        if wrong:
            style.show_error(self.error_label, wrong)
            return
        message = self._create(
            self.name_edit.text().strip(),
            _day(self.start_edit),
            _day(self.end_edit),
            self.goal_edit.toPlainText().strip(),
        )
        if message:
            style.show_error(self.error_label, message)
            return
        self.accept()


class CloseSprintDialog(QDialog):
    """Says how many issues are unfinished and asks where they go: a planned sprint or back
    to the backlog. `carry_to()` is the chosen sprint's name (None: the backlog)."""

    def __init__(
        self,
        name: str,
        unfinished: int,
        total: int,
        planned: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("CloseSprintDialog")
        self.setWindowTitle(f"Close {name}")
        self.setWindowIcon(icons.app_icon())
        self.setMinimumWidth(420)
        style.install_style(self)
        done = total - unfinished
        shown = html.escape(name)  # rich text (the bold count): a name is never markup
        if unfinished:
            text = (
                f"{done} of {total} issues of {shown} are done; "
                f"<b>{unfinished} {'is' if unfinished == 1 else 'are'} unfinished</b>. "
                "Where should the unfinished go?"
            )
        else:
            text = f"Every issue of {shown} is done ({total}). Nothing needs to move."
        self.summary = QLabel(text)
        self.summary.setObjectName("CloseSummary")
        self.summary.setWordWrap(True)
        self.next_radio = QRadioButton("To the &sprint")
        self.next_radio.setAccessibleName("Carry to a sprint")
        self.sprint_combo = QComboBox()
        self.sprint_combo.setAccessibleName("Carry to sprint")
        self.sprint_combo.addItems(list(planned))
        self.backlog_radio = QRadioButton("Back to the &backlog")
        self.backlog_radio.setAccessibleName("Carry to the backlog")
        group = QButtonGroup(self)
        group.addButton(self.next_radio)
        group.addButton(self.backlog_radio)
        if planned:
            self.next_radio.setChecked(True)
        else:
            self.next_radio.setEnabled(False)
            self.next_radio.setText("To the next sprint (none is planned)")
            self.sprint_combo.hide()
            self.backlog_radio.setChecked(True)
        for widget in (self.next_radio, self.sprint_combo, self.backlog_radio):
            widget.setEnabled(widget.isEnabled() and unfinished > 0)
        self.next_radio.toggled.connect(self.sprint_combo.setEnabled)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.next_radio)
        row.addWidget(self.sprint_combo, 1)
        buttons, self.close_button = _buttons(self, "Close sprint")
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.backlog_radio)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        if not unfinished:  # nothing to carry: no question, so no greyed-out choices
            for widget in (self.next_radio, self.sprint_combo, self.backlog_radio):
                widget.hide()

    def carry_to(self) -> str | None:
        if self.next_radio.isChecked() and self.sprint_combo.count():
            return self.sprint_combo.currentText()
        return None
