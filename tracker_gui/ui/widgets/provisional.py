"""Provisional keys (`TRK-~1`): an issue made offline that the server has not numbered yet."""

from __future__ import annotations

from PySide6.QtGui import QFont

PROVISIONAL_TIP = "Not yet on the server: gets its number at the next sync"


def is_provisional(key: str) -> bool:
    """Whether `key` is a provisional one (`<PROJECT>-~<n>`); real keys never hold a "~"."""
    return "-~" in key


def key_font(base: QFont, key: str) -> QFont:
    """`base`, in italics for a provisional key: it reads as "not final" beside real keys."""
    if not is_provisional(key):
        return base
    font = QFont(base)
    font.setItalic(True)
    return font
