"""Field editors shared by the detail pane and the new-issue dialog: users, labels, due date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from tracker_gui.domain import people
from tracker_gui.domain.models import Status, User
from tracker_gui.ui.widgets import kit as ui

NO_DATE = QDate(2000, 1, 1)


def status_icon(status: Status) -> QIcon:
    """A small filled dot in the status colour."""
    pixmap = QPixmap(24, 24)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(status.colour or "#6b778c"))
    painter.drawEllipse(2, 2, 8, 8)
    painter.end()
    return QIcon(pixmap)


def user_text(user: User) -> str:
    return people.user_shown(user)


def fill_users(combo: QComboBox, users: Sequence[User]) -> None:
    """`Unassigned` then every user (avatar, `Display (username)`); data is the username."""
    combo.clear()
    combo.addItem(ui.icon("user"), "Unassigned", "")
    for user in users:
        combo.addItem(
            QIcon(ui.avatar(user.username, user.initials, 16)), user_text(user), user.username
        )


def combo_username(combo: QComboBox, users: Sequence[User]) -> str | None:
    """The username an editable user combo names: a listed entry, a known user, or typed text."""
    text = combo.currentText().strip()
    if not text:
        return None
    for i in range(combo.count()):
        if combo.itemText(i).casefold() == text.casefold():
            return combo.itemData(i) or None
    for user in users:
        if text.casefold() in (user.username.casefold(), user.display_name.casefold()):
            return user.username
    return text


def split_labels(text: str) -> tuple[str, ...]:
    names = [part.strip() for part in text.split(",")]
    return tuple(dict.fromkeys(n for n in names if n))


class TokenCompleter(QCompleter):
    """Completes the last comma-separated name in a line edit."""

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        value = super().pathFromIndex(index)
        owner = self.widget()
        text = owner.text() if isinstance(owner, QLineEdit) else ""
        head = text.rsplit(",", 1)[0].strip() if "," in text else ""
        return f"{head}, {value}" if head else value


class HoursSpin(QDoubleSpinBox):
    """Hours with no trailing zeros (`4.5 h`); the minimum shows as `—` (no estimate)."""

    def textFromValue(self, value: float) -> str:
        return f"{value:g}"


class DueEdit(QStackedWidget):
    """`Add due date` until there is one; then a date with a clear button. `committed` on change."""

    committed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.add_button = QToolButton()
        self.add_button.setObjectName("Flat")
        self.add_button.setText("Add due date")
        self.add_button.setIcon(ui.icon("due"))
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("DueDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        self.date_edit.setMinimumDate(NO_DATE)
        self.date_edit.editingFinished.connect(self.committed)
        self.date_edit.calendarWidget().clicked.connect(self._on_calendar_clicked)
        self.clear_button = QToolButton()
        self.clear_button.setObjectName("Flat")
        self.clear_button.setIcon(ui.icon("close"))
        self.clear_button.setToolTip("Remove the due date")
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.date_edit, 1)
        layout.addWidget(self.clear_button)
        self.addWidget(self.add_button)
        self.addWidget(row)

    def due(self) -> dt.date | None:
        if self.currentIndex() == 0:
            return None
        value: dt.date = self.date_edit.date().toPython()  # type: ignore[assignment]
        return value

    def set_due(self, value: dt.date | None) -> None:
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(value) if value else QDate.currentDate())
        self.date_edit.blockSignals(False)
        self.setCurrentIndex(0 if value is None else 1)

    def _on_add_button_clicked(self) -> None:
        self.set_due(dt.date.today())
        self.date_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_calendar_clicked(self, _date: QDate) -> None:
        self.committed.emit()

    def _on_clear_button_clicked(self) -> None:
        self.set_due(None)
        self.committed.emit()


class SubmitEdit(QPlainTextEdit):
    """A plain-text editor where Ctrl+Enter submits and Escape cancels."""

    submitted = Signal()
    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.submitted.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)
