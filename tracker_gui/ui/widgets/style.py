"""The shared look of the panes and dialogs: one style sheet per theme, and inline errors.

An operation's message (tracker_gui.ui.ops) is shown with `show_error(label, result.message)`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget

from tracker_gui.ui import theme


def colours() -> dict[str, str]:
    """The active scheme's named colours as #rrggbb / #aarrggbb strings for style sheets."""
    return {
        k: v.name(QColor.NameFormat.HexArgb) if v.alpha() < 255 else v.name()
        for k, v in theme.palette_colours().items()
    }


def muted(label: QLabel) -> QLabel:
    """Secondary text (coloured by STYLE through the `muted` property)."""
    label.setProperty("muted", True)
    return label


def error_label() -> QLabel:
    """An inline, word-wrapped error line, hidden until it has text."""
    label = QLabel()
    label.setObjectName("ErrorText")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_error(label: QLabel, text: str) -> None:
    label.setText(text[:1].upper() + text[1:])
    label.setVisible(bool(text))


class _StyleKeeper(QObject):
    """Re-applies a widget's style sheet when the theme switches between light and dark."""

    def __init__(self, widget: QWidget, extra: str) -> None:
        super().__init__(widget)
        self._widget = widget
        self._extra = extra
        theme.notifier.changed.connect(self._on_theme_changed)
        self._on_theme_changed(theme.is_dark())

    def _on_theme_changed(self, _dark: bool) -> None:
        self._widget.setStyleSheet((STYLE + self._extra).format(**colours()))


def install_style(widget: QWidget, extra: str = "") -> None:
    """Give a pane or dialog the shared look (chips, pickers, headings, cards, inline errors)."""
    _StyleKeeper(widget, extra)


STYLE = """
QLabel[muted="true"] {{ color: {muted_text}; }}
QLabel#ErrorText {{ color: {danger}; }}
QLabel#EmptyHint {{ color: {muted_text}; }}
QToolButton#Chip {{
    border: 1px solid {card_border}; border-radius: 12px; padding: 3px 10px;
    background: {base_bg}; color: {text};
}}
QToolButton#Chip:hover {{ background: {hover_bg}; }}
QToolButton#Chip:checked {{
    background: {accent_soft}; border-color: {accent}; color: {accent};
}}
QToolButton#Picker {{
    border: 1px solid {card_border}; border-radius: 6px; padding: 3px 20px 3px 8px;
    background: {base_bg}; color: {text};
}}
QToolButton#Picker:hover {{ background: {hover_bg}; }}
QToolButton#Picker[active="true"] {{
    border-color: {accent}; background: {accent_soft}; color: {accent};
}}
QToolButton#Picker::menu-indicator {{
    subcontrol-origin: padding; subcontrol-position: center right; right: 6px;
}}
QToolButton#Flat {{ border: none; border-radius: 6px; padding: 4px; background: transparent; }}
QToolButton#Flat:hover {{ background: {hover_bg}; }}
QToolButton#Flat:disabled {{ color: {faint_text}; }}
QPushButton#Primary {{
    background: {accent}; color: {accent_text}; border: 1px solid {accent};
    border-radius: 6px; padding: 5px 14px; font-weight: 600;
}}
QPushButton#Primary:hover {{ background: {accent_hover}; }}
QPushButton#Primary:disabled {{
    background: {separator}; color: {faint_text}; border-color: {separator};
}}
QListWidget {{
    border: 1px solid {card_border}; border-radius: 6px; background: {base_bg}; padding: 4px;
}}
QListWidget::item {{ padding: 5px 6px; border-radius: 4px; color: {text}; }}
QListWidget::item:hover {{ background: {hover_bg}; }}
QListWidget::item:selected {{ background: {selection_bg}; color: {selection_text}; }}
QTableWidget {{
    border: 1px solid {card_border}; border-radius: 6px; background: {base_bg};
    gridline-color: {separator}; color: {text};
}}
QTableWidget::item {{ padding: 2px 8px; border-bottom: 1px solid {separator}; }}
QTableWidget::item:selected {{ background: {selection_bg}; color: {selection_text}; }}
QTableWidget QHeaderView::section {{
    background: {alt_bg}; color: {muted_text}; border: none;
    border-bottom: 1px solid {card_border}; padding: 6px 8px; font-weight: 600;
}}
QCheckBox::indicator:unchecked {{
    border: 1px solid {muted_text}; border-radius: 3px; background: {base_bg};
    width: 12px; height: 12px;
}}
QCheckBox::indicator:unchecked:disabled {{ border-color: {faint_text}; }}
QRadioButton::indicator:unchecked {{
    border: 1px solid {muted_text}; border-radius: 7px; background: {base_bg};
    width: 12px; height: 12px;
}}
QRadioButton::indicator:checked {{
    border: 1px solid {accent}; border-radius: 7px; width: 12px; height: 12px;
    background: qradialgradient(cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5,
        stop: 0 {accent}, stop: 0.5 {accent}, stop: 0.6 {base_bg}, stop: 1 {base_bg});
}}
QRadioButton::indicator:checked:disabled {{
    border-color: {faint_text};
    background: qradialgradient(cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5,
        stop: 0 {faint_text}, stop: 0.5 {faint_text}, stop: 0.6 {base_bg}, stop: 1 {base_bg});
}}
QFrame#Card {{ background: {card_bg}; border: 1px solid {card_border}; border-radius: 8px; }}
QFrame#Separator {{ background: {separator}; border: none; max-height: 1px; min-height: 1px; }}
"""
