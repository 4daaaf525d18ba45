"""The tray icon: unread count on the icon, and a menu of the last 50 notifications."""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from tracker_gui.notify.policy import Note
from tracker_gui.ui import icons

HISTORY = 50
ICON_SIZE = 64
MENU_TEXT_CHARS = 72


def badge_icon(count: int) -> QIcon:
    """The app icon with a red unread badge (none at zero; 99+ beyond 99)."""
    base = icons.app_icon()
    if count <= 0:
        return base
    pixmap = base.pixmap(ICON_SIZE, ICON_SIZE)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    text = "99+" if count > 99 else str(count)
    side = ICON_SIZE * (0.62 if len(text) < 3 else 0.8)
    rect = QRect(int(ICON_SIZE - side), 0, int(side), int(ICON_SIZE * 0.62))
    painter.setBrush(QColor("#d93025"))
    painter.setPen(QColor("#ffffff"))
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    font = QFont()
    font.setPixelSize(int(rect.height() * 0.62))
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


def menu_text(note: Note) -> str:
    text = f"{note.summary} — {note.body}"
    if len(text) > MENU_TEXT_CHARS:
        text = text[: MENU_TEXT_CHARS - 1].rstrip() + "…"
    return text.replace("&", "&&")  # a bare & would become a mnemonic


class NotificationTray(QObject):
    """Keeps the history; a history entry opens its issue (`issueRequested`)."""

    issueRequested = Signal(int)
    showRequested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history: deque[Note] = deque(maxlen=HISTORY)
        self.unread = 0
        self.icon = QSystemTrayIcon(icons.app_icon(), self)
        self.icon.setToolTip("Tracker")
        self.menu = QMenu()
        self.menu.setObjectName("TrayMenu")
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_icon_activated)
        self._rebuild()

    def show(self) -> bool:
        """Show the icon where the desktop has a tray; False where it has none."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return False
        self.icon.show()
        return True

    def close(self) -> None:
        self.icon.hide()
        self.menu.deleteLater()

    def add(self, note: Note) -> None:
        self.history.appendleft(note)
        self.unread += 1
        self._rebuild()

    def mark_read(self) -> None:
        if self.unread:
            self.unread = 0
            self._rebuild()

    def _rebuild(self) -> None:
        self.icon.setIcon(badge_icon(self.unread))
        self.icon.setToolTip(f"Tracker — {self.unread} unread" if self.unread else "Tracker")
        self.menu.clear()
        header = self.menu.addAction(
            f"{self.unread} unread notification{'' if self.unread == 1 else 's'}"
            if self.unread
            else ("Recent notifications" if self.history else "No notifications yet")
        )
        header.setEnabled(False)
        for index, note in enumerate(self.history):
            action = self.menu.addAction(menu_text(note))
            action.setObjectName(f"TrayNote{index}")
            action.setToolTip(f"{note.summary}\n{note.body}")
            if index < self.unread:
                font = action.font()
                font.setBold(True)
                action.setFont(font)
            action.triggered.connect(lambda _=False, n=note: self._on_note_triggered(n))
        self.menu.addSeparator()
        read = self.menu.addAction("Mark All as Read")
        read.setEnabled(self.unread > 0)
        read.triggered.connect(self.mark_read)
        show = self.menu.addAction("Show Tracker")
        show.triggered.connect(self.showRequested)

    def note_actions(self) -> list[QAction]:
        return [a for a in self.menu.actions() if a.objectName().startswith("TrayNote")]

    def _on_note_triggered(self, note: Note) -> None:
        if note.issue_id is not None:
            self.issueRequested.emit(note.issue_id)
        else:
            self.showRequested.emit()

    def _on_icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.showRequested.emit()
