"""A report's picture as a file: PNG through QImage, SVG through QSvgGenerator, one painter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, QSizeF
from PySide6.QtGui import QFont, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from tracker_gui.services.report_types import Report
from tracker_gui.ui.charts import painter
from tracker_gui.ui.charts.style import chart_style

FORMATS = ("png", "svg")
THEMES = ("light", "dark")
SIZE = QSize(960, 540)  # the picture's size in CSS pixels; PNGs are drawn at twice that
PNG_SCALE = 2


def write(report: Report, path: str | Path, fmt: str, theme: str) -> None:
    """Write the chart of `report` to `path`; ValueError for an unknown format or theme,
    OSError when the file cannot be written (nothing is left half-written by Qt)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown picture format {fmt!r} (use png or svg)")
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r} (use light or dark)")
    data = render(report, fmt, theme)
    Path(path).write_bytes(data)


def render(report: Report, fmt: str, theme: str) -> bytes:
    """The file's bytes (the same as `write` would save)."""
    style = chart_style(theme == "dark", _font())
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if fmt == "svg":
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(SIZE)
        generator.setViewBox(QRect(0, 0, SIZE.width(), SIZE.height()))
        generator.setResolution(96)
        generator.setTitle(report.title)
        generator.setDescription(report.subtitle)
        p = QPainter(generator)
        painter.paint(p, QSizeF(SIZE), report, style)
        p.end()
    else:
        image = QImage(SIZE * PNG_SCALE, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(PNG_SCALE)
        image.fill(style.background)
        p = QPainter(image)
        painter.paint(p, QSizeF(SIZE), report, style)
        p.end()
        if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # str works, stubs disagree
            raise OSError("the PNG could not be encoded")
    data = QByteArray(buffer.data())
    buffer.close()
    return bytes(data.data())


def _font() -> QFont:
    # Pixel sizes are set per text; the family is the app's (offscreen: the system's default).
    return QFont()
