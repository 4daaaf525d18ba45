"""Chart colours and fonts for light and dark, taken from the app's theme tables."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont

from tracker_gui.ui import theme

# Series colours in order: distinct hues that keep a 3:1 contrast on the chart background
# (the dark ones are lighter, the light ones deeper), the first being the app's accent.
# Text drawn in a colour (guide and marker labels) keeps 4.5:1 (tests/gui/charts).
SERIES_LIGHT = ("#4c62e8", "#2b9a5a", "#c0650b", "#7c4ddf", "#d5456b", "#1a8fa3", "#8a6d12")
GUIDE_TEXT_LIGHT = "#a35a0a"
SERIES_DARK = ("#7f8cff", "#4cc38a", "#f0a550", "#b197fc", "#f27aa0", "#4fc1d3", "#d9bb55")


@dataclass(frozen=True)
class ChartStyle:
    """Everything the painter needs to know about the look, for one scheme."""

    dark: bool
    background: QColor
    text: QColor
    muted: QColor
    grid: QColor
    axis: QColor
    guide: QColor
    guide_text: QColor
    marker: QColor
    crosshair: QColor
    series: tuple[QColor, ...]
    font: QFont

    def series_colour(self, index: int, named: str = "") -> QColor:
        colour = QColor(named) if named else QColor()
        return colour if colour.isValid() else self.series[index % len(self.series)]

    def sized(self, pixels: int, bold: bool = False) -> QFont:
        font = QFont(self.font)
        font.setPixelSize(pixels)
        font.setBold(bold)
        return font


def chart_style(dark: bool, font: QFont | None = None) -> ChartStyle:
    """The style of one scheme; `font` is the family to use (the app's by default)."""
    table = theme.DARK if dark else theme.LIGHT
    return ChartStyle(
        dark=dark,
        background=QColor(table["base_bg"]),
        text=QColor(table["text"]),
        muted=QColor(table["muted_text"]),
        grid=QColor(table["separator"]),
        axis=QColor(table["card_hover_border"]),
        guide=QColor(table["warning"]),
        # The theme's orange is a fill colour: as small text on white it needs to be deeper.
        guide_text=QColor(table["warning"] if dark else GUIDE_TEXT_LIGHT),
        marker=QColor(table["danger"]),
        crosshair=QColor(table["faint_text"]),
        series=tuple(QColor(c) for c in (SERIES_DARK if dark else SERIES_LIGHT)),
        font=QFont(font) if font is not None else QFont(),
    )


def current_style(font: QFont | None = None) -> ChartStyle:
    """The style of the scheme the window shows now."""
    return chart_style(theme.is_dark(), font)
