"""The app's own message and question dialogs: styled, wide enough to read, with its icons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.ui import icons
from tracker_gui.ui.widgets import style

MIN_WIDTH = 440  # a sentence and a path fit on two lines, not six
# kind -> (icon, tint): the icon beside the heading says what sort of message it is.
KINDS = {
    "info": ("info", "accent"),
    "error": ("warning", "danger"),
    "warning": ("warning", "warning"),
    "question": ("info", "accent"),
}


@dataclass(frozen=True)
class Button:
    """A button of a message: `key` is what the dialog answers when it is pressed."""

    key: str
    text: str
    primary: bool = False
    rejects: bool = False  # Escape and the window's close button mean this one


def fit_height(dialog: QDialog) -> None:
    """Qt sizes a dialog of wrapped labels for a narrower width than its minimum, leaving a
    blank band at the bottom: take the height its layout needs at the width it has."""
    layout = dialog.layout()
    if layout is not None and layout.hasHeightForWidth():
        dialog.resize(dialog.width(), layout.totalHeightForWidth(dialog.width()))


class MessageDialog(QDialog):
    """An icon, a heading, the text, an optional detail; an optional text field or choice."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        *,
        kind: str = "info",
        detail: str = "",
        buttons: Sequence[Button] = (Button("ok", "OK", primary=True),),
        field: str | None = None,
        field_label: str = "",
        items: Sequence[str] = (),
        technical: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MessageDialog")
        self.setWindowTitle(title)
        self.setWindowIcon(icons.app_icon())
        self.setMinimumWidth(MIN_WIDTH)
        self.setSizeGripEnabled(False)
        style.install_style(self)
        self.clicked: str | None = None
        self._text, self._detail = text, detail
        self._buttons = list(buttons)

        icon_name, tint = KINDS.get(kind, KINDS["info"])
        self.icon_label = QLabel()
        self.icon_label.setObjectName("MessageIcon")
        shown = icons.app_icon() if kind == "app" else icons.icon(icon_name, tint)
        self.icon_label.setPixmap(shown.pixmap(40 if kind == "app" else 32))
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.icon_label.setAccessibleName(kind)
        self.text_label = QLabel(text)
        self.text_label.setObjectName("MessageText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.text_label.setOpenExternalLinks(False)
        font = QFont(self.text_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        font.setWeight(QFont.Weight.DemiBold)
        self.text_label.setFont(font)
        self.detail_label = style.muted(QLabel(detail))
        self.detail_label.setObjectName("MessageDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setVisible(bool(detail))

        body = QVBoxLayout()
        body.setSpacing(8)
        body.addWidget(self.text_label)
        body.addWidget(self.detail_label)
        self.field: QLineEdit | None = None
        self.choice: QComboBox | None = None
        if field is not None or items:
            if field_label:
                label = QLabel(field_label)
                body.addWidget(label)
            if items:
                self.choice = QComboBox()
                self.choice.setObjectName("MessageChoice")
                self.choice.addItems(list(items))
                self.choice.setAccessibleName(field_label or title)
                body.addWidget(self.choice)
                if field_label:
                    label.setBuddy(self.choice)
            else:
                self.field = QLineEdit(field or "")
                self.field.setObjectName("MessageField")
                self.field.setAccessibleName(field_label or title)
                self.field.selectAll()
                body.addWidget(self.field)
                if field_label:
                    label.setBuddy(self.field)
        self.technical: QPlainTextEdit | None = None
        if technical:
            self.technical = QPlainTextEdit(technical)
            self.technical.setObjectName("MessageTechnical")
            self.technical.setReadOnly(True)
            self.technical.setAccessibleName("Technical details")
            self.technical.setMinimumHeight(140)
            self.technical.hide()
            toggle = QPushButton("Show technical details")
            toggle.setObjectName("MessageTechnicalToggle")
            toggle.setCheckable(True)
            toggle.setAutoDefault(False)
            toggle.toggled.connect(self._on_technical_toggled)
            body.addWidget(toggle, 0, Qt.AlignmentFlag.AlignLeft)
            body.addWidget(self.technical)

        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(body, 1)

        row = QHBoxLayout()
        row.addStretch(1)
        self.push_buttons: dict[str, QPushButton] = {}
        for spec in self._buttons:
            button = QPushButton(spec.text)
            button.setObjectName("Primary" if spec.primary else f"MessageButton-{spec.key}")
            button.setAccessibleName(spec.text.replace("&", "").rstrip("…"))
            button.setDefault(spec.primary)
            button.setAutoDefault(spec.primary)
            button.clicked.connect(lambda _=False, key=spec.key: self.answer(key))
            self.push_buttons[spec.key] = button
            row.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 16)
        layout.setSpacing(18)
        layout.addLayout(top)
        layout.addLayout(row)
        if self.field is not None:
            self.field.setFocus()
        elif self.choice is not None:
            self.choice.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)

    def text(self) -> str:
        return self._text

    def detail(self) -> str:
        return self._detail

    def value(self) -> str:
        """What was typed or picked (the text field's or the choice's current text)."""
        if self.field is not None:
            return self.field.text()
        if self.choice is not None:
            return self.choice.currentText()
        return ""

    def answer(self, key: str) -> None:
        """Close the dialog as if the button `key` was pressed."""
        self.clicked = key
        spec = next((b for b in self._buttons if b.key == key), None)
        if spec is not None and spec.rejects:
            super().reject()
        else:
            super().accept()

    def reject(self) -> None:
        # Escape or the close button: the rejecting button's answer (or none at all).
        rejecting = next((b for b in self._buttons if b.rejects), None)
        self.clicked = rejecting.key if rejecting else None
        super().reject()

    def _on_technical_toggled(self, on: bool) -> None:
        if self.technical is not None:
            self.technical.setVisible(on)
        self.adjustSize()
        fit_height(self)


OK = Button("ok", "OK", primary=True, rejects=False)
CANCEL = Button("cancel", "Cancel", rejects=True)


def inform(
    parent: QWidget | None, title: str, text: str, detail: str = "", kind: str = "info"
) -> None:
    """A message with OK; kind "app" shows the app's own icon (About)."""
    MessageDialog(parent, title, text, kind=kind, detail=detail).exec()


def error(
    parent: QWidget | None, title: str, text: str, detail: str = "", technical: str = ""
) -> None:
    MessageDialog(parent, title, text, kind="error", detail=detail, technical=technical).exec()


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    detail: str = "",
    yes: str = "OK",
    no: str = "Cancel",
    kind: str = "question",
) -> bool:
    """Yes (the primary button) or no; Escape is no."""
    buttons = (Button("no", no, rejects=True), Button("yes", yes, primary=True))
    dialog = MessageDialog(parent, title, text, kind=kind, detail=detail, buttons=buttons)
    dialog.exec()
    return dialog.clicked == "yes"


def choose(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: Sequence[Button],
    detail: str = "",
    kind: str = "info",
) -> str | None:
    """Which of `buttons` was pressed (its key); None when closed without an answer."""
    dialog = MessageDialog(parent, title, text, kind=kind, detail=detail, buttons=buttons)
    dialog.exec()
    return dialog.clicked


def ask_text(
    parent: QWidget | None,
    title: str,
    label: str,
    text: str = "",
    ok: str = "OK",
    detail: str = "",
) -> str | None:
    """A line of text (stripped); None when cancelled or left empty."""
    buttons = (CANCEL, Button("ok", ok, primary=True))
    dialog = MessageDialog(
        parent, title, label, kind="question", detail=detail, buttons=buttons, field=text
    )
    dialog.exec()
    value = dialog.value().strip()
    return value if dialog.clicked == "ok" and value else None


def ask_item(
    parent: QWidget | None, title: str, label: str, items: Sequence[str], ok: str = "OK"
) -> int | None:
    """The index of the picked item; None when cancelled."""
    buttons = (CANCEL, Button("ok", ok, primary=True))
    dialog = MessageDialog(parent, title, label, kind="question", buttons=buttons, items=items)
    dialog.exec()
    if dialog.clicked != "ok" or dialog.choice is None:
        return None
    return dialog.choice.currentIndex()
