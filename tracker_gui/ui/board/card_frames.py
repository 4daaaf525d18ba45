"""A card's frame (shadow, fill, priority strip, border) drawn once per look, then copied."""

from __future__ import annotations

import math
from collections import OrderedDict

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap

from tracker_gui.ui.widgets.card_style import CARD_RADIUS, STRIP_WIDTH, BoardColours

SHADOW = 2  # the shadow reaches this far below the card (1.5 px when hovered)
KEEP = 64  # looks kept: states x priorities x sizes x themes, with room to spare


class FrameCache:
    """Every card of one size, state and priority has the same frame: antialiased paths
    (a rounded shadow, a rounded fill clipped for the strip, a rounded border) that cost
    more to draw than all of a card's text. Drawn once into a pixmap at the screen's
    pixel ratio and at the card's sub-pixel offset, then copied: the same pixels."""

    def __init__(self) -> None:
        self._frames: OrderedDict[tuple[object, ...], QPixmap] = OrderedDict()

    def clear(self) -> None:
        self._frames.clear()

    def paint(
        self,
        painter: QPainter,
        card: QRectF,
        c: BoardColours,
        strip: QColor,
        selected: bool,
        hovered: bool,
    ) -> None:
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        if not painter.transform().isIdentity() and not painter.transform().isTranslating():
            draw_frame(painter, card, c, strip, selected, hovered)  # scaled or rotated: direct
            return
        x0, y0 = math.floor(card.left()), math.floor(card.top())
        offset = QPointF(card.left() - x0, card.top() - y0)
        key = (
            round(card.width(), 2), round(card.height(), 2), round(offset.x(), 2),
            round(offset.y(), 2), ratio, selected, hovered, strip.rgba(), c.shadow.rgba(),
            c.card.rgba(), c.card_hover.rgba(), c.card_selected.rgba(), c.border.rgba(),
            c.border_hover.rgba(), c.border_selected.rgba(),
        )  # fmt: skip
        pixmap = self._frames.get(key)
        if pixmap is None:
            width = math.ceil(offset.x() + card.width()) + 1
            height = math.ceil(offset.y() + card.height()) + SHADOW + 1
            pixmap = QPixmap(round(width * ratio), round(height * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            inner = QPainter(pixmap)
            inner.setRenderHint(QPainter.RenderHint.Antialiasing)
            draw_frame(inner, QRectF(offset, card.size()), c, strip, selected, hovered)
            inner.end()
            self._frames[key] = pixmap
            if len(self._frames) > KEEP:
                self._frames.popitem(last=False)
        else:
            self._frames.move_to_end(key)
        painter.drawPixmap(QPointF(x0, y0), pixmap)


def draw_frame(
    painter: QPainter, card: QRectF, c: BoardColours, strip: QColor, selected: bool, hovered: bool
) -> None:
    """The frame itself, drawn with paths (what the cache copies)."""
    path = QPainterPath()
    path.addRoundedRect(card, CARD_RADIUS, CARD_RADIUS)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(c.shadow)
    painter.drawPath(path.translated(0, 1.5 if hovered and not selected else 1))
    fill = c.card_selected if selected else c.card_hover if hovered else c.card
    painter.setBrush(fill)
    painter.drawPath(path)
    painter.save()
    painter.setClipPath(path)
    painter.fillRect(QRectF(card.left(), card.top(), STRIP_WIDTH + 1, card.height()), strip)
    painter.restore()
    border = c.border_selected if selected else c.border_hover if hovered else c.border
    width = 1.5 if selected else 1.0
    painter.setPen(QPen(border, width))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = width / 2
    painter.drawRoundedRect(
        card.adjusted(inset, inset, -inset, -inset), CARD_RADIUS - inset, CARD_RADIUS - inset
    )
