"""The board's top bar: its (i) keyboard help in both themes, the active filter as chips."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QLabel, QToolTip
from pytestqt.qtbot import QtBot

from tracker_gui.ui import theme
from tracker_gui.ui.board.board_header import BoardHeader


@pytest.fixture
def restore_look(qapp: QApplication) -> Iterator[None]:
    palette, sheet, style = qapp.palette(), qapp.styleSheet(), qapp.style().name()
    yield
    QToolTip.hideText()
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setStyle(style)
    theme._state.dark = False
    theme._state.styled = False


def shown_tip(qapp: QApplication) -> QLabel:
    tips = [
        w
        for w in qapp.topLevelWidgets()
        if isinstance(w, QLabel) and w.objectName() == "qtooltip_label" and w.isVisible()
    ]
    assert len(tips) == 1
    return tips[0]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_keyboard_help_tooltip_follows_the_theme(
    qtbot: QtBot, qapp: QApplication, restore_look: None, mode: str
) -> None:
    theme.apply_theme(qapp, mode)
    header = BoardHeader("none", 16)
    qtbot.addWidget(header)
    header.resize(900, 50)
    header.show()
    qtbot.waitExposed(header)
    QToolTip.showText(header.keys.mapToGlobal(QPoint(4, 4)), header.keys.toolTip(), header.keys)
    tip = shown_tip(qapp)
    image = tip.grab().toImage()
    background = image.pixelColor(2, image.height() // 2)
    window = theme.colour("window_bg")
    text = theme.colour("tooltip_text")
    if mode == "dark":
        # A dark box in a dark window, light text on it (it was a light box).
        assert background.lightness() < 80
        assert text.lightness() > 180
    else:
        assert abs(background.lightness() - window.lightness()) > 60
    assert abs(background.lightness() - text.lightness()) > 120
