"""Light and dark looks: Fusion, a tuned palette, a small stylesheet, colours for delegates."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

log = logging.getLogger(__name__)

MODES = ("system", "light", "dark")
# Colour emoji fonts, best first: Linux (Noto), Windows, macOS, then monochrome fallbacks.
# None is bundled (Noto Color Emoji alone is ~10 MB): each system has one, and the Linux
# packages ask for fonts-noto-color-emoji. Without any, Qt shows its usual empty boxes.
EMOJI_FAMILIES = (
    "Noto Color Emoji",
    "Segoe UI Emoji",
    "Apple Color Emoji",
    "Twemoji",
    "JoyPixels",
    "Noto Emoji",
    "Symbola",
)

# Every colour a delegate or pane may ask for, per scheme. Keys are stable API (see contract).
LIGHT: dict[str, str] = {
    "window_bg": "#f5f6f8",
    "base_bg": "#ffffff",
    "alt_bg": "#f8f9fb",
    "hover_bg": "#eceef2",
    "text": "#1d2330",
    "muted_text": "#6a7282",
    "faint_text": "#9aa1ad",
    "separator": "#e2e5ea",
    "accent": "#4c62e8",
    "accent_hover": "#3d52d6",
    "accent_text": "#ffffff",
    "accent_soft": "#e6e9fd",
    "selection_bg": "#dfe4fc",
    "selection_text": "#1d2330",
    "danger": "#d53f3f",
    "danger_soft": "#fdecec",
    "warning": "#d9821a",
    "warning_soft": "#fdf1e1",
    "success": "#2b9a5a",
    "success_soft": "#e4f5eb",
    "card_bg": "#ffffff",
    "card_border": "#dfe2e8",
    "card_hover_border": "#c3c9d4",
    "card_selected_border": "#4c62e8",
    "card_shadow": "#1f141820",
    "column_bg": "#eef0f3",
    "column_header": "#454d5c",
    "chip_bg": "#eceef2",
    "chip_text": "#3b4354",
    "avatar_text": "#ffffff",
    "scroll_handle": "#c9ced7",
    "tooltip_bg": "#1d2330",
    "tooltip_text": "#f5f6f8",
    "priority_highest": "#d53f3f",
    "priority_high": "#e0701f",
    "priority_medium": "#c99a16",
    "priority_low": "#3b82d6",
    "priority_lowest": "#7b8aa3",
    "type_task": "#3b82d6",
    "type_bug": "#d53f3f",
    "type_story": "#2b9a5a",
    "type_epic": "#7c4ddf",
    "type_subtask": "#4f9fb8",
}

DARK: dict[str, str] = {
    "window_bg": "#17191e",
    "base_bg": "#1e2027",
    "alt_bg": "#22252c",
    "hover_bg": "#2a2e37",
    "text": "#e4e7ed",
    "muted_text": "#9aa1ae",
    "faint_text": "#6c7382",
    "separator": "#2d313a",
    "accent": "#7583fa",
    "accent_hover": "#8893ff",
    "accent_text": "#ffffff",
    "accent_soft": "#2b3160",
    "selection_bg": "#2e3566",
    "selection_text": "#f1f3f8",
    "danger": "#f06b6b",
    "danger_soft": "#3d2226",
    "warning": "#f0a550",
    "warning_soft": "#3b2e1c",
    "success": "#4cc38a",
    "success_soft": "#1d3429",
    "card_bg": "#262930",
    "card_border": "#343843",
    "card_hover_border": "#4a5060",
    "card_selected_border": "#7583fa",
    "card_shadow": "#66000000",
    "column_bg": "#1b1d23",
    "column_header": "#c3c8d2",
    "chip_bg": "#323644",
    "chip_text": "#d3d7e0",
    "avatar_text": "#ffffff",
    "scroll_handle": "#434856",
    "tooltip_bg": "#2f3440",  # dark too: a light box flashes in a dark window
    "tooltip_text": "#e4e7ed",
    "priority_highest": "#f06b6b",
    "priority_high": "#f08c4b",
    "priority_medium": "#e3b341",
    "priority_low": "#6aa5f0",
    "priority_lowest": "#8a97ad",
    "type_task": "#6aa5f0",
    "type_bug": "#f06b6b",
    "type_story": "#4cc38a",
    "type_epic": "#a688f5",
    "type_subtask": "#6bbdd3",
}

# Label chips and avatars: (light background, light text, dark background, dark text).
_HUES: tuple[tuple[str, str, str, str], ...] = (
    ("#e3ecfd", "#2456b3", "#22345a", "#a9c4f5"),
    ("#e2f4ea", "#1f7a46", "#1d3a2b", "#93d8b1"),
    ("#fcebdc", "#a3501a", "#45301f", "#f3b98a"),
    ("#f1e6fc", "#6a36b8", "#35264d", "#c9aef3"),
    ("#fde4ea", "#b12c52", "#4a2230", "#f3a3b9"),
    ("#dff3f6", "#19707f", "#1c3a40", "#8fd3de"),
    ("#f6f0d6", "#806612", "#3d3720", "#e3cf86"),
    ("#e8eaef", "#485264", "#2f333d", "#c2c8d3"),
)
_AVATARS = ("#4c62e8", "#2b9a5a", "#d9821a", "#7c4ddf", "#d5456b", "#1a8fa3", "#8a6d12", "#5b6b86")


@dataclass
class _State:
    mode: str = "system"
    dark: bool = False
    hooked: bool = False
    styled: bool = False


_state = _State()


class ThemeNotifier(QObject):
    """Emits `changed(dark)` after the colours were swapped, so painted widgets can repaint."""

    changed = Signal(bool)


notifier = ThemeNotifier()


def is_dark() -> bool:
    return _state.dark


def current_mode() -> str:
    return _state.mode


def palette_colours() -> dict[str, QColor]:
    """The named colours of the active scheme (see LIGHT for the keys), as QColors."""
    table = DARK if _state.dark else LIGHT
    return {name: QColor(value) for name, value in table.items()}


def colour(name: str) -> QColor:
    """One named colour of the active scheme; raises KeyError for an unknown name."""
    return QColor((DARK if _state.dark else LIGHT)[name])


def _stable_index(text: str, size: int) -> int:
    return int.from_bytes(hashlib.blake2s(text.encode("utf-8"), digest_size=2).digest()) % size


def label_colours(name: str) -> tuple[QColor, QColor]:
    """(background, text) of a label chip; the same label keeps its colour everywhere."""
    light_bg, light_fg, dark_bg, dark_fg = _HUES[_stable_index(name.casefold(), len(_HUES))]
    return (
        (QColor(dark_bg), QColor(dark_fg)) if _state.dark else (QColor(light_bg), QColor(light_fg))
    )


def avatar_colour(username: str) -> QColor:
    """The background of a user's initials bubble (stable per user)."""
    return QColor(_AVATARS[_stable_index(username.casefold(), len(_AVATARS))])


def system_is_dark() -> bool:
    scheme = QGuiApplication.styleHints().colorScheme()
    return scheme == Qt.ColorScheme.Dark


def _palette(table: dict[str, str]) -> QPalette:
    c = {k: QColor(v) for k, v in table.items()}
    pal = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    pairs = {
        role.Window: c["window_bg"],
        role.WindowText: c["text"],
        role.Base: c["base_bg"],
        role.AlternateBase: c["alt_bg"],
        role.ToolTipBase: c["tooltip_bg"],
        role.ToolTipText: c["tooltip_text"],
        role.PlaceholderText: c["faint_text"],
        role.Text: c["text"],
        role.Button: c["base_bg"],
        role.ButtonText: c["text"],
        role.BrightText: c["danger"],
        role.Highlight: c["selection_bg"],
        role.HighlightedText: c["selection_text"],
        role.Link: c["accent"],
        role.LinkVisited: c["accent"],
        role.Accent: c["accent"],
        role.Light: c["base_bg"].lighter(110),
        role.Midlight: c["separator"],
        role.Mid: c["card_hover_border"],
        role.Dark: c["scroll_handle"],
        role.Shadow: QColor(0, 0, 0, 90),
    }
    for r, value in pairs.items():
        pal.setColor(r, value)
    for r in (role.Text, role.WindowText, role.ButtonText):
        pal.setColor(group.Disabled, r, c["faint_text"])
    pal.setColor(group.Disabled, role.Base, c["window_bg"])
    pal.setColor(group.Disabled, role.Button, c["window_bg"])
    pal.setColor(group.Inactive, role.Highlight, c["selection_bg"])
    pal.setColor(group.Inactive, role.HighlightedText, c["selection_text"])
    return pal


def stylesheet(table: dict[str, str]) -> str:
    """The app-wide stylesheet: chrome only (docks, toolbar, menus, status bar, scrollbars)."""
    return _QSS.format(**table)


_QSS = """
QMainWindow {{ background: {window_bg}; }}
QMainWindow::separator {{ background: {separator}; width: 1px; height: 1px; }}
QMainWindow::separator:hover {{ background: {accent}; }}
QMainWindow > QTabBar {{ background: {window_bg}; border: none; }}
QMainWindow > QTabBar::tab {{
    background: transparent; color: {muted_text}; border: none;
    border-top: 2px solid transparent; padding: 6px 14px; margin: 0;
}}
QMainWindow > QTabBar::tab:selected {{
    color: {text}; border-top: 2px solid {accent}; background: {base_bg};
}}
QMainWindow > QTabBar::tab:hover:!selected {{ color: {text}; background: {hover_bg}; }}
QDockWidget {{ color: {text}; }}
QWidget#DockTitleBar {{ background: {window_bg}; border-bottom: 1px solid {separator}; }}
QWidget#DockTitleBar QLabel#DockTitle {{ color: {text}; font-weight: 600; }}
QWidget#DockTitleBar QToolButton {{ border: none; border-radius: 4px; padding: 2px; }}
QWidget#DockTitleBar QToolButton:hover {{ background: {hover_bg}; }}
QToolBar {{
    background: {window_bg}; border: none; border-bottom: 1px solid {separator};
    spacing: 4px; padding: 4px 8px;
}}
QToolBar QToolButton {{
    color: {text}; border: 1px solid transparent; border-radius: 6px; padding: 4px 6px;
}}
QToolBar QToolButton:hover {{ background: {hover_bg}; }}
QToolBar QToolButton:pressed {{ background: {separator}; }}
QToolBar QToolButton:checked {{ background: {accent_soft}; color: {accent}; }}
QToolBar QToolButton#PrimaryAction {{
    background: {accent}; color: {accent_text}; font-weight: 600; padding: 4px 12px 4px 8px;
}}
QToolBar QToolButton#PrimaryAction:hover {{ background: {accent_hover}; }}
QToolBar::separator {{ background: {separator}; width: 1px; margin: 6px 6px; }}
QStatusBar {{ background: {window_bg}; border-top: 1px solid {separator}; color: {muted_text}; }}
QStatusBar::item {{ border: none; }}
QStatusBar QLabel {{ color: {muted_text}; padding: 0 8px; }}
QMenuBar {{ background: {window_bg}; color: {text}; }}
QMenuBar::item {{ padding: 4px 10px; border-radius: 4px; background: transparent; }}
QMenuBar::item:selected {{ background: {hover_bg}; }}
QMenu {{ background: {base_bg}; color: {text}; border: 1px solid {separator}; padding: 4px; }}
QMenu::item {{ padding: 6px 28px 6px 12px; border-radius: 4px; }}
QMenu::item:selected {{ background: {selection_bg}; color: {selection_text}; }}
QMenu::item:disabled {{ color: {faint_text}; }}
QMenu::separator {{ height: 1px; background: {separator}; margin: 4px 8px; }}
QMenu::icon {{ padding-left: 8px; }}
QToolTip {{
    background: {tooltip_bg}; color: {tooltip_text}; border: none; padding: 4px 8px;
}}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 0; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 0; }}
QScrollBar::handle:vertical {{
    background: {scroll_handle}; border-radius: 3px; min-height: 32px; margin: 2px;
}}
QScrollBar::handle:horizontal {{
    background: {scroll_handle}; border-radius: 3px; min-width: 32px; margin: 2px;
}}
QScrollBar::handle:hover {{ background: {faint_text}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QWidget#InlineNotice {{
    background: {danger_soft}; border: 1px solid {danger}; border-radius: 6px;
}}
QWidget#InlineNotice QLabel {{ color: {text}; }}
QProgressBar#BusyIndicator {{
    background: {separator}; border: none; border-radius: 2px; max-height: 4px;
}}
QProgressBar#BusyIndicator::chunk {{ background: {accent}; border-radius: 2px; }}
"""


def install_emoji_fonts() -> list[str]:
    """Put the installed emoji fonts first in Qt's emoji fallback; returns those found."""
    installed = set(QFontDatabase.families())
    found = [family for family in EMOJI_FAMILIES if family in installed]
    if found and QFontDatabase.applicationEmojiFontFamilies() != found:
        QFontDatabase.setApplicationEmojiFontFamilies(found)
    return found


def apply_theme(app: QApplication, mode: str = "system") -> None:
    """Fusion plus our palette and stylesheet; "system" follows the OS scheme as it changes."""
    if mode not in MODES:
        log.warning("unknown theme %r, using the system scheme", mode)
        mode = "system"
    _state.mode = mode
    dark = system_is_dark() if mode == "system" else mode == "dark"
    if not _state.styled:
        install_emoji_fonts()
        fusion = QStyleFactory.create("Fusion")
        if fusion is not None:
            app.setStyle(fusion)
        _state.styled = True
    table = DARK if dark else LIGHT
    _state.dark = dark
    app.setPalette(_palette(table))
    app.setStyleSheet(stylesheet(table))
    if not _state.hooked:
        app.styleHints().colorSchemeChanged.connect(_on_style_hints_color_scheme_changed)
        _state.hooked = True
    notifier.changed.emit(dark)


def _on_style_hints_color_scheme_changed(_scheme: Qt.ColorScheme) -> None:
    app = QApplication.instance()
    if _state.mode == "system" and isinstance(app, QApplication):
        apply_theme(app, "system")
