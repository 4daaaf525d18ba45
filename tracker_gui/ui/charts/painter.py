"""Draws a `Report` with a QPainter: the same code for the widget, the PNG and the SVG."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen

from tracker_gui.services.report_types import Report, Series
from tracker_gui.ui.charts import geometry, scales
from tracker_gui.ui.charts.geometry import Plot
from tracker_gui.ui.charts.style import ChartStyle

PAD = 16.0
TITLE_PX, TEXT_PX, SMALL_PX = 15, 12, 11
LEGEND_SWATCH = 14.0
DOT_RADIUS = 3.5
X_LABEL_GAP = 18.0  # minimum room between two x tick labels
Y_TICK_ROOM = 34.0  # pixels per y tick, at most
NOTHING = "Nothing to show"
BAR_MAX = 56.0  # a bar never gets wider than this, however few there are


def paint(
    p: QPainter, size: QSizeF, report: Report, style: ChartStyle, highlight: int | None = None
) -> Plot | None:
    """Paint the whole chart on (0, 0, size); returns the plot's geometry (None when empty).

    `highlight` shades the band of one entry behind its bars (the hovered one on screen).
    """
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    p.fillRect(QRectF(0, 0, size.width(), size.height()), style.background)
    top = _titles(p, size, report, style)
    if geometry.is_empty(report):
        _centred(p, QRectF(0, top, size.width(), size.height() - top), report, style)
        p.restore()
        return None
    top = _legend(p, size, top, report, style)
    plot = _axes(p, size, top, report, style)
    if highlight is not None and plot.band and 0 <= highlight < len(plot.positions):
        shade = QColor(style.crosshair)
        shade.setAlphaF(0.16)
        x = plot.positions[highlight]
        p.fillRect(QRectF(x - plot.band / 2, plot.area.top(), plot.band, plot.area.height()), shade)
    _draw_series(p, plot, report, style)
    _draw_dots(p, plot, style)
    _draw_guides(p, plot, report, style)
    _draw_markers(p, plot, report, style)
    p.restore()
    return plot


def _titles(p: QPainter, size: QSizeF, report: Report, style: ChartStyle) -> float:
    y = PAD
    width = size.width() - 2 * PAD
    for text, font, colour in (
        (report.title, style.sized(TITLE_PX, bold=True), style.text),
        (report.subtitle, style.sized(TEXT_PX), style.muted),
    ):
        if not text:
            continue
        p.setFont(font)
        p.setPen(colour)
        metrics = QFontMetricsF(font)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        p.drawText(QRectF(PAD, y, width, metrics.height()), Qt.AlignmentFlag.AlignLeft, shown)
        y += metrics.height() + 2
    return y + 6


def _centred(p: QPainter, rect: QRectF, report: Report, style: ChartStyle) -> None:
    font = style.sized(TEXT_PX + 1)
    p.setFont(font)
    p.setPen(style.muted)
    flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
    p.drawText(rect.adjusted(PAD, PAD, -PAD, -PAD), int(flags), report.empty_text or NOTHING)


def _legend(p: QPainter, size: QSizeF, top: float, report: Report, style: ChartStyle) -> float:
    """One legend entry per series, wrapped over as many rows as the width needs."""
    if not report.series:
        return top
    font = style.sized(SMALL_PX + 1)
    metrics = QFontMetricsF(font)
    p.setFont(font)
    row_height = max(metrics.height(), LEGEND_SWATCH) + 4
    x, y = PAD, top
    for index, series in enumerate(report.series):
        width = LEGEND_SWATCH + 6 + metrics.horizontalAdvance(series.name) + 18
        if x > PAD and x + width > size.width() - PAD:
            x, y = PAD, y + row_height
        colour = series_colour(style, index, series)
        mid = y + row_height / 2
        if series.style in ("area", "bar"):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawRoundedRect(QRectF(x, mid - 5, LEGEND_SWATCH, 10), 2, 2)
        else:
            p.setPen(_series_pen(colour, series))
            p.drawLine(QPointF(x, mid), QPointF(x + LEGEND_SWATCH, mid))
        p.setPen(style.text)
        text_rect = QRectF(x + LEGEND_SWATCH + 6, y, width, row_height)
        p.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter), series.name)
        x += width
    return y + row_height + 4


def _axes(p: QPainter, size: QSizeF, top: float, report: Report, style: ChartStyle) -> Plot:
    """The y grid with its labels and unit, the x axis with its labels; returns the plot."""
    small = style.sized(SMALL_PX)
    metrics = QFontMetricsF(small)
    tops = geometry.stack_tops(report)
    low, high = geometry.value_range(report, tops)
    unit_height = metrics.height() + 4 if report.y_label else 0.0
    bottom = size.height() - PAD - metrics.height() - 6
    plot_top = top + unit_height + metrics.height() / 2
    count = max(2, int((bottom - plot_top) // Y_TICK_ROOM))
    ticks = scales.y_ticks(low, high, count, whole=report.y_label == "issues")
    texts = scales.tick_labels(ticks)
    left = PAD + max(metrics.horizontalAdvance(t) for t in texts) + 8
    right = size.width() - PAD
    area = QRectF(left, plot_top, max(right - left, 10.0), max(bottom - plot_top, 10.0))
    plot = geometry.lay_out(report, area, ticks)
    p.setFont(small)
    for value, text in zip(ticks, texts, strict=True):
        y = plot.y_px(value)
        p.setPen(QPen(style.axis if value == 0 else style.grid, 1))
        p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        p.setPen(style.muted)
        label = QRectF(PAD, y - metrics.height() / 2, left - PAD - 8, metrics.height())
        p.drawText(label, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
    if report.y_label:
        p.setPen(style.muted)
        p.drawText(QRectF(PAD, top, area.width(), metrics.height()), report.y_label)
    _x_axis(p, plot, report, style, metrics)
    return plot


def _x_axis(
    p: QPainter, plot: Plot, report: Report, style: ChartStyle, metrics: QFontMetricsF
) -> None:
    area = plot.area
    widest = max((metrics.horizontalAdvance(str(v)) for v in report.x), default=40.0)
    room = min(max(widest, metrics.horizontalAdvance("30 Sep")), 140.0) + X_LABEL_GAP
    labels = geometry.x_labels(report, plot, room)
    if plot.band and len(labels) > 1:  # names are cut to the room between two labels
        room = min(room, labels[1][0] - labels[0][0])
    p.setPen(QPen(style.axis, 1))
    p.drawLine(area.bottomLeft(), area.bottomRight())
    last_right = -1e9
    for x, text in labels:
        width = min(metrics.horizontalAdvance(text), room - X_LABEL_GAP)
        # Keep the first and last labels inside the picture, and never let two touch.
        if plot.band:  # a name stays centred under its bars, cut shorter at either end
            width = min(width, 2 * (x - PAD / 2), 2 * (area.right() + PAD / 2 - x))
            left = x - width / 2
        else:  # a date at either end is moved inside the picture
            left = min(max(x - width / 2, PAD / 2), area.right() + PAD / 2 - width)
        if left < last_right + 6:
            continue
        p.setPen(QPen(style.axis, 1))
        p.drawLine(QPointF(x, area.bottom()), QPointF(x, area.bottom() + 4))
        p.setPen(style.muted)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width + 1)
        p.drawText(QRectF(left, area.bottom() + 6, width + 1, metrics.height()), shown)
        last_right = left + width


def series_colour(style: ChartStyle, index: int, series: Series) -> QColor:
    """The colour a series is drawn in (and shown in the legend and the crosshair)."""
    if series.style == "dashed" and not series.colour:
        return QColor(style.muted)  # a reference line (the ideal) stays in the background
    return style.series_colour(index, series.colour)


def _series_pen(colour: QColor, series: Series) -> QPen:
    pen = QPen(colour, 2.0)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if series.style == "dashed":
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setWidthF(1.6)
    return pen


def _draw_series(p: QPainter, plot: Plot, report: Report, style: ChartStyle) -> None:
    tops = geometry.stack_tops(report)
    bars = [i for i, s in enumerate(report.series) if s.style == "bar"]
    # Areas first (the top band last, so each edge line stays visible), then bars, then lines.
    for index, series in enumerate(report.series):
        if series.style == "area":
            below = _below(report, tops, index)
            _area(p, plot, tops[index], below, series_colour(style, index, series))
    for slot, index in enumerate(bars):
        _bars(
            p,
            plot,
            report.series[index],
            slot,
            len(bars),
            series_colour(style, index, report.series[index]),
        )
    for index, series in enumerate(report.series):
        if series.style in ("line", "dashed", "step"):
            _line(p, plot, tops[index], series, series_colour(style, index, series))


def _below(report: Report, tops: list[list[float | None]], index: int) -> list[float]:
    """The lower edge of a band: the top of the stacked area under it, else the axis."""
    if report.stacked:
        for other in range(index - 1, -1, -1):
            if report.series[other].style == "area":
                return [v or 0.0 for v in tops[other]]
    return [0.0] * len(tops[index])


def _area(
    p: QPainter, plot: Plot, top: list[float | None], below: list[float], colour: QColor
) -> None:
    xs = plot.positions
    runs = _runs(top)
    for run in runs:
        path = QPainterPath(QPointF(xs[run[0]], plot.y_px(top[run[0]] or 0.0)))
        for i in run[1:]:
            path.lineTo(xs[i], plot.y_px(top[i] or 0.0))
        for i in reversed(run):
            path.lineTo(xs[i], plot.y_px(below[i]))
        path.closeSubpath()
        fill = QColor(colour)
        fill.setAlphaF(0.78)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawPath(path)
        p.setPen(QPen(colour, 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        edge = QPainterPath(QPointF(xs[run[0]], plot.y_px(top[run[0]] or 0.0)))
        for i in run[1:]:
            edge.lineTo(xs[i], plot.y_px(top[i] or 0.0))
        p.drawPath(edge)


def _runs(values: list[float | None]) -> list[list[int]]:
    """Runs of indices with a value: a missing value breaks a line (it never drops to 0)."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(i)
    if current:
        runs.append(current)
    return runs


def _bars(p: QPainter, plot: Plot, series: Series, slot: int, count: int, colour: QColor) -> None:
    band = plot.band or 12.0
    group = min(band * 0.74, count * BAR_MAX)
    width = max(group / count - (1.5 if count > 1 else 0), 1.0)
    zero = plot.y_px(max(plot.low, 0.0))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(colour))
    for i, x in enumerate(plot.positions):
        value = series.values[i] if i < len(series.values) else None
        if not value:
            continue
        left = x - group / 2 + slot * (group / count)
        y = plot.y_px(value)
        p.drawRect(QRectF(left, min(y, zero), width, abs(zero - y)))


def _line(
    p: QPainter, plot: Plot, values: list[float | None], series: Series, colour: QColor
) -> None:
    xs = plot.positions
    p.setPen(_series_pen(colour, series))
    p.setBrush(Qt.BrushStyle.NoBrush)
    for run in _runs(values):
        first = run[0]
        path = QPainterPath(QPointF(xs[first], plot.y_px(values[first] or 0.0)))
        for previous, i in itertools.pairwise(run):
            y = plot.y_px(values[i] or 0.0)
            if series.style == "step":  # the value holds until the next entry changes it
                path.lineTo(xs[i], plot.y_px(values[previous] or 0.0))
            path.lineTo(xs[i], y)
        if len(run) == 1:  # a lone value still shows, as a dot
            p.setBrush(colour)
            p.drawEllipse(QPointF(xs[first], plot.y_px(values[first] or 0.0)), 2.5, 2.5)
            p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)


def _draw_dots(p: QPainter, plot: Plot, style: ChartStyle) -> None:
    if not plot.dots:
        return
    fill = QColor(style.series[0])
    fill.setAlphaF(0.7)
    p.setPen(QPen(style.series[0], 1))
    p.setBrush(fill)
    for x, y, _point in plot.dots:
        p.drawEllipse(QPointF(x, y), DOT_RADIUS, DOT_RADIUS)


def _draw_guides(p: QPainter, plot: Plot, report: Report, style: ChartStyle) -> None:
    """Dashed horizontal lines, each labelled at the right; close labels are pushed apart."""
    if not report.guides:
        return
    font = style.sized(SMALL_PX)
    metrics = QFontMetricsF(font)
    p.setFont(font)
    area = plot.area
    placed: list[float] = []
    for guide in sorted(report.guides, key=lambda g: g.value, reverse=True):
        y = plot.y_px(guide.value)
        pen = QPen(style.guide, 1.2)
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        label_y = y - metrics.height() - 1
        for other in placed:  # a label sits below the one above it when they would overlap
            if abs(label_y - other) < metrics.height():
                label_y = other + metrics.height()
        label_y = max(label_y, area.top())
        placed.append(label_y)
        width = metrics.horizontalAdvance(guide.label) + 8
        box = QRectF(area.right() - width, label_y, width, metrics.height())
        p.fillRect(box, _translucent(style.background, 0.85))
        p.setPen(style.guide_text)
        p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), guide.label)


def _draw_markers(p: QPainter, plot: Plot, report: Report, style: ChartStyle) -> None:
    """Dotted vertical lines at an entry, labelled at the top, alternate rows when crowded."""
    font = style.sized(SMALL_PX)
    metrics = QFontMetricsF(font)
    p.setFont(font)
    area = plot.area
    row_ends: list[float] = []
    for marker in sorted(report.markers, key=lambda m: m.at):
        if not 0 <= marker.at < len(plot.positions):
            continue
        x = plot.positions[marker.at]
        pen = QPen(style.marker, 1.2)
        pen.setStyle(Qt.PenStyle.DotLine)
        p.setPen(pen)
        p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
        width = metrics.horizontalAdvance(marker.label) + 8
        left = min(x + 3, area.right() - width)
        row = next((r for r, end in enumerate(row_ends) if left > end + 4), len(row_ends))
        if row == len(row_ends):
            row_ends.append(0.0)
        row_ends[row] = left + width
        box = QRectF(left, area.top() + 2 + row * metrics.height(), width, metrics.height())
        p.fillRect(box, _translucent(style.background, 0.85))
        p.setPen(style.marker)
        p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), marker.label)


def _translucent(colour: QColor, alpha: float) -> QColor:
    out = QColor(colour)
    out.setAlphaF(alpha)
    return out
