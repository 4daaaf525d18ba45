"""Small widgets and helpers shared by the detail pane, the filter pane and the dialogs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QMimeData, QRect, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFocusEvent,
    QFont,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPixmap,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMenu,
    QSizePolicy,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QWidget,
)

from tracker_gui.domain.enums import IssueType, Priority
from tracker_gui.ui import icons, theme
from tracker_gui.ui.widgets.card_style import priority_icon_name, type_icon_name
from tracker_gui.ui.widgets.style import muted

ISSUE_SCHEME = "issue"
HEADING_SCALE = {1: 1.35, 2: 1.2, 3: 1.1}


# -- look ------------------------------------------------------------------------------------
def icon(name: str) -> QIcon:
    return icons.icon(name)


def type_icon(kind: IssueType) -> QIcon:
    return icons.icon(type_icon_name(kind))


def priority_icon(priority: Priority) -> QIcon:
    return icons.icon(priority_icon_name(priority))


def scaled_font(widget: QWidget, factor: float, weight: QFont.Weight | None = None) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(max(6.0, font.pointSizeF() * factor))
    if weight is not None:
        font.setWeight(weight)
    return font


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    font = scaled_font(label, 0.85, QFont.Weight.DemiBold)
    font.setCapitalization(QFont.Capitalization.AllUppercase)
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
    label.setFont(font)
    label.setObjectName("SectionTitle")
    return muted(label)


def dot(colour: QColor | str, size: int = 12) -> QIcon:
    """A round swatch (status and label colours)."""
    ratio = 2.0
    pixmap = QPixmap(QSize(size, size) * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def label_colour(name: str, colour: str) -> QColor:
    """A label's own colour, else the stable one the board's chips use for it."""
    return QColor(colour) if colour else theme.label_colours(name)[1]


def avatar(username: str, initials: str, size: int = 24) -> QPixmap:
    """A round initials bubble in the user's stable colour."""
    ratio = 2.0
    pixmap = QPixmap(QSize(size, size) * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(theme.avatar_colour(username))
    painter.drawEllipse(0, 0, size, size)
    font = QFont()
    font.setPixelSize(max(8, int(size * 0.42)))
    font.setWeight(QFont.Weight.DemiBold)
    painter.setFont(font)
    painter.setPen(theme.colour("avatar_text"))
    painter.drawText(QRect(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, initials[:2])
    painter.end()
    return pixmap


# -- text ------------------------------------------------------------------------------------
def local_time(moment: dt.datetime) -> dt.datetime:
    """Stored times are naive UTC; show them in the computer's zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone()


def full_time(moment: dt.datetime) -> str:
    return local_time(moment).strftime("%d %b %Y, %H:%M").lstrip("0")


def ago(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """`just now`, `5 min ago`, `3 h ago`, `yesterday`, `4 days ago`, else the date."""
    then = local_time(moment)
    current = now.astimezone() if now is not None else dt.datetime.now().astimezone()
    seconds = (current - then).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = (current.date() - then.date()).days
    if days <= 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return then.strftime("%d %b %Y").lstrip("0")


def issue_anchor(issue_id: int, key: str) -> str:
    return f'<a href="{ISSUE_SCHEME}:{issue_id}" style="text-decoration:none">{key}</a>'


def issue_id_of(url: str | QUrl) -> int | None:
    text = url.toString() if isinstance(url, QUrl) else url
    scheme, _, rest = text.partition(":")
    return int(rest) if scheme == ISSUE_SCHEME and rest.isdigit() else None


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- layouts and views -----------------------------------------------------------------------
class MarkdownView(QTextBrowser):
    """Read-only Markdown that grows to fit its text (no inner scroll bar); issue links emit."""

    issueClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setStyleSheet("QTextBrowser { background: transparent; border: none; }")
        self.document().setDocumentMargin(0)
        self.document().documentLayout().documentSizeChanged.connect(self._on_layout_size_changed)
        self.anchorClicked.connect(self._on_self_anchor_clicked)

    def set_markdown(self, text: str) -> None:
        self.setMarkdown(text)
        self._tame_headings()
        self._fit()

    def _tame_headings(self) -> None:
        """Qt's Markdown headings are poster-sized; scale them to sit with the pane's text."""
        base = self.font().pointSizeF()
        block = self.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level:
                cursor = QTextCursor(block)
                cursor.setPosition(
                    block.position() + block.length() - 1, QTextCursor.MoveMode.KeepAnchor
                )
                size = QTextCharFormat()
                size.setFontPointSize(base * HEADING_SCALE.get(level, 1.0))
                cursor.mergeCharFormat(size)
            block = block.next()

    def _fit(self) -> None:
        height = int(self.document().size().height()) + 2 * self.frameWidth() + 2
        if height != self.height():
            self.setFixedHeight(max(height, self.fontMetrics().height()))

    def _on_layout_size_changed(self, _size: Any) -> None:
        self._fit()

    def _on_self_anchor_clicked(self, url: QUrl) -> None:
        issue_id = issue_id_of(url)
        if issue_id is not None:
            self.issueClicked.emit(issue_id)
        elif url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()


class HeadingEdit(QTextEdit):
    """A one-paragraph title that wraps; Enter or leaving it finishes, Escape reverts."""

    editingFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(2)
        self.document().documentLayout().documentSizeChanged.connect(self._on_layout_size_changed)
        self._original = ""
        self.window_left = False  # True while editingFinished is emitted for a window switch

    def text(self) -> str:
        return self.toPlainText().replace("\n", " ")

    def setText(self, text: str) -> None:
        self._original = text
        self.setPlainText(text)
        self.document().setModified(False)
        self._fit()

    def isModified(self) -> bool:
        return self.document().isModified()

    def setModified(self, modified: bool) -> None:
        self.document().setModified(modified)

    def _fit(self) -> None:
        margins = self.contentsMargins()
        height = int(self.document().size().height()) + margins.top() + margins.bottom()
        if height != self.height():
            self.setFixedHeight(height)

    def _on_layout_size_changed(self, _size: Any) -> None:
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.editingFinished.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.setText(self._original)
            self.editingFinished.emit()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        self.insertPlainText(" ".join(source.text().split()))

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:  # not for its own context menu
            # The window lost the focus (another app, a dialog, closing): the user is not here
            # to answer a question, so a listener should save quietly or keep the text.
            self.window_left = event.reason() == Qt.FocusReason.ActiveWindowFocusReason
            self.editingFinished.emit()
            self.window_left = False


class LinkLabel(QLabel):
    """Rich text whose `issue:<id>` anchors emit issueClicked."""

    issueClicked = Signal(int)

    def __init__(self, html: str = "", parent: QWidget | None = None) -> None:
        super().__init__(html, parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setOpenExternalLinks(False)
        self.linkActivated.connect(self._on_self_link_activated)

    def _on_self_link_activated(self, url: str) -> None:
        issue_id = issue_id_of(url)
        if issue_id is not None:
            self.issueClicked.emit(issue_id)


# -- multi-select pickers --------------------------------------------------------------------
class KeepOpenMenu(QMenu):
    """A menu whose checkable actions toggle without closing it (multi-select)."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        action = self.actionAt(event.position().toPoint())
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            event.accept()
            return
        super().mouseReleaseEvent(event)


# (text, value): values are plain strings so QAction.data() gives them back unchanged. No icons:
# Fusion hides the check mark of a checkable menu item that has one.
Choice = tuple[str, str]


class MultiPicker(QToolButton):
    """A compact button `Type ▾` with a menu of checkable values; `changed` after each toggle."""

    changed = Signal()

    def __init__(
        self,
        title: str,
        choices: Callable[[], Sequence[Choice]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._title = title
        self._choices = choices
        self._checked: list[Any] = []
        self.setObjectName("Picker")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setCheckable(False)
        self.menu_ = KeepOpenMenu(self)
        self.menu_.setObjectName(f"{title}PickerMenu")
        self.menu_.aboutToShow.connect(self._on_menu_about_to_show)
        self.setMenu(self.menu_)
        self._update_text({})

    def values(self) -> list[Any]:
        return list(self._checked)

    def set_values(self, values: Iterable[Any]) -> None:
        """Set without emitting `changed` (the caller applies once)."""
        self._checked = list(dict.fromkeys(values))
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the menu from the current choices, keeping what is checked."""
        self.menu_.clear()
        known = []
        for text, value in self._choices():
            action = self.menu_.addAction(text)
            action.setCheckable(True)
            action.setChecked(value in self._checked)
            action.setData(value)
            action.toggled.connect(self._on_action_toggled)
            known.append((text, value))
        if not known:
            empty = self.menu_.addAction("Nothing to pick")
            empty.setEnabled(False)
        names = {repr(v): t for t, v in known}
        self._update_text(names)

    def action_for(self, value: Any) -> Any:
        for action in self.menu_.actions():
            if action.isCheckable() and action.data() == value:
                return action
        return None

    def _update_text(self, names: dict[str, str]) -> None:
        picked = [names.get(repr(v), str(v)) for v in self._checked]
        if not picked:
            self.setText(self._title)
        elif len(picked) == 1:
            self.setText(f"{self._title}: {picked[0]}")
        else:
            self.setText(f"{self._title}: {len(picked)}")
        self.setProperty("active", bool(picked))
        self.setToolTip(f"{self._title}: {', '.join(picked)}" if picked else f"Any {self._title}")
        self.style().unpolish(self)
        self.style().polish(self)

    def _on_menu_about_to_show(self) -> None:
        self.refresh()

    def _on_action_toggled(self, on: bool) -> None:
        action = self.sender()
        value = action.data()  # type: ignore[attr-defined]
        if on and value not in self._checked:
            self._checked.append(value)
        elif not on and value in self._checked:
            self._checked.remove(value)
        names = {repr(a.data()): a.text() for a in self.menu_.actions() if a.isCheckable()}
        self._update_text(names)
        self.changed.emit()
