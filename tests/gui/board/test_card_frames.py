"""The card frame cache paints what drawing the frame directly paints, and draws each look once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from tracker_gui.ui.board.card_frames import FrameCache, draw_frame
from tracker_gui.ui.widgets.card_style import board_colours


def _image(paint: object, ratio: float) -> QImage:
    image = QImage(
        round(300 * ratio), round(140 * ratio), QImage.Format.Format_ARGB32_Premultiplied
    )
    image.setDevicePixelRatio(ratio)
    image.fill(QColor("#eef0f3"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint(painter)  # type: ignore[operator]
    painter.end()
    return image


def _worst(a: QImage, b: QImage) -> int:
    worst = 0
    for y in range(a.height()):
        for x in range(a.width()):
            p, q = a.pixelColor(x, y), b.pixelColor(x, y)
            worst = max(worst, abs(p.red() - q.red()), abs(p.green() - q.green()),
                        abs(p.blue() - q.blue()))  # fmt: skip
    return worst


@pytest.mark.parametrize("ratio", [1.0, 2.0])
@pytest.mark.parametrize(("selected", "hovered"), [(False, False), (False, True), (True, False)])
def test_cached_frame_is_the_drawn_frame(
    qapp: object, ratio: float, selected: bool, hovered: bool
) -> None:
    colours = board_colours()
    strip = QColor(Qt.GlobalColor.red)
    card = QRectF(12, 10.5, 260, 108)  # half a pixel down, as a card with an odd gap sits
    cache = FrameCache()
    direct = _image(lambda p: draw_frame(p, card, colours, strip, selected, hovered), ratio)
    cached = _image(lambda p: cache.paint(p, card, colours, strip, selected, hovered), ratio)
    again = _image(lambda p: cache.paint(p, card, colours, strip, selected, hovered), ratio)
    assert _worst(direct, cached) <= 2  # rounding of the alpha blend, nothing visible
    assert again == cached
    assert len(cache._frames) == 1  # drawn once, copied the second time
