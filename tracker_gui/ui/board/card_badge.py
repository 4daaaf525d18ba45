"""A card's time badge: a clock and `1h30m · 2h left`, right-aligned in the card's bottom row."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

ICON = 12
GAP = 3
MIN_TEXT = 24  # narrower than this, the badge is left out rather than cut to "…"

PaintIcon = Callable[[QPainter, str, QColor | None, float, float, float], None]


def badge_width(text: str, metrics: QFontMetricsF) -> float:
    return ICON + GAP + metrics.horizontalAdvance(text) if text else 0.0


def paint_badge(
    painter: QPainter,
    text: str,
    font: QFont,
    colour: QColor,
    paint_icon: PaintIcon,
    left_limit: float,
    right: float,
    mid: float,
) -> float:
    """Draw the badge ending at `right` (elided to fit after `left_limit`); returns its left
    edge, or `right` when it was left out."""
    if not text:
        return right
    metrics = QFontMetricsF(font)
    room = right - left_limit - ICON - GAP
    if room < MIN_TEXT:
        return right
    shown = text
    if metrics.horizontalAdvance(text) > room:
        # "1h30m · 2h left" → "2h left" (the part a planner looks at), elided only after that.
        short = text.partition(" · ")[2] or text
        shown = metrics.elidedText(short, Qt.TextElideMode.ElideRight, room)
    width = metrics.horizontalAdvance(shown)
    text_x = right - width
    icon_x = text_x - GAP - ICON
    paint_icon(painter, "clock", colour, icon_x, mid - ICON / 2, ICON)
    painter.setFont(font)
    painter.setPen(colour)
    painter.drawText(QPointF(text_x, mid + (metrics.ascent() - metrics.descent()) / 2), shown)
    return icon_x
