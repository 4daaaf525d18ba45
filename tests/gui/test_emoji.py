"""Emoji in titles and comments draw in colour from the system's emoji font, not as boxes."""

from __future__ import annotations

import os

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tracker_gui.ui import theme


def _colourful_pixels(label: QLabel) -> int:
    image = label.grab().toImage()
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            colour = QColor(image.pixel(x, y))
            if colour.hsvSaturation() > 120 and colour.value() > 60:
                count += 1
    return count


def test_an_emoji_draws_in_colour(qtbot: QtBot) -> None:
    found = theme.install_emoji_fonts()
    if not found:
        message = "no colour emoji font installed (apt: fonts-noto-color-emoji)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    label = QLabel("🚀🐛")
    label.setStyleSheet("color: black; background: white; font-size: 20px;")
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    plain = QLabel("AB")
    plain.setStyleSheet("color: black; background: white; font-size: 20px;")
    qtbot.addWidget(plain)
    plain.show()
    assert _colourful_pixels(plain) == 0  # black text on white has no colour at all
    assert _colourful_pixels(label) > 40


def test_emoji_fallback_lists_only_installed_fonts(qapp: object) -> None:
    from PySide6.QtGui import QFontDatabase

    found = theme.install_emoji_fonts()
    installed = set(QFontDatabase.families())
    assert all(family in installed for family in found)
    assert found == [f for f in theme.EMOJI_FAMILIES if f in installed]
    if found:
        assert QFontDatabase.applicationEmojiFontFamilies()[: len(found)] == found
