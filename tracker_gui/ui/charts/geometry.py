"""Where things go: the plot rectangle, x positions of the entries, the y scale, hit tests."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF

from tracker_gui.services.report_types import Point, Report
from tracker_gui.ui.charts import scales

HIT_RADIUS = 10.0  # how near the pointer must be to a scatter dot to name it


def is_dates(report: Report) -> bool:
    return bool(report.x) and all(isinstance(v, dt.date) for v in report.x)


def has_bars(report: Report) -> bool:
    return any(s.style == "bar" for s in report.series)


def is_empty(report: Report) -> bool:
    """Nothing to draw: said by the service, or no value anywhere."""
    if report.empty_text:
        return True
    values = any(v is not None for s in report.series for v in s.values)
    return not values and not report.points


def stack_tops(report: Report) -> list[list[float | None]]:
    """Per series, the top of its band: stacked areas add up bottom-up, others are as given."""
    tops: list[list[float | None]] = []
    running = [0.0] * len(report.x)
    for series in report.series:
        if report.stacked and series.style == "area":
            row: list[float | None] = []
            for i in range(len(report.x)):
                value = series.values[i] if i < len(series.values) else None
                running[i] += value or 0.0
                row.append(running[i] if value is not None else None)
            tops.append(row)
        else:
            tops.append(list(series.values[: len(report.x)]))
    return tops


def value_range(report: Report, tops: list[list[float | None]]) -> tuple[float, float]:
    found = [v for row in tops for v in row if v is not None]
    found += [p.y for p in report.points] + [g.value for g in report.guides]
    if not found:
        return 0.0, 1.0
    return min(found), max(found)


@dataclass
class Plot:
    """The laid-out chart: pixel positions of every entry, the y scale and the scatter dots."""

    area: QRectF
    positions: list[float]  # x pixel of each entry of Report.x
    band: float  # width of one category band (bars); 0 on a continuous date axis
    ticks: list[float]
    dates: tuple[dt.date, dt.date] | None = None  # the continuous date axis' ends
    dots: list[tuple[float, float, Point]] = field(default_factory=list)

    @property
    def low(self) -> float:
        return self.ticks[0]

    @property
    def high(self) -> float:
        return self.ticks[-1]

    def y_px(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return self.area.bottom() - (value - self.low) / span * self.area.height()

    def date_px(self, day: dt.date) -> float:
        assert self.dates is not None
        first, last = self.dates
        span = (last - first).days
        if span <= 0:
            return self.area.center().x()
        return self.area.left() + (day - first).days / span * self.area.width()

    def index_at(self, x: float) -> int | None:
        """The entry nearest to pixel column x, when x is inside the plot."""
        if not self.positions or not (self.area.left() - 4 <= x <= self.area.right() + 4):
            return None
        return min(range(len(self.positions)), key=lambda i: abs(self.positions[i] - x))

    def dot_at(self, x: float, y: float) -> Point | None:
        best: tuple[float, Point] | None = None
        for px, py, point in self.dots:
            distance = math.hypot(px - x, py - y)
            if distance <= HIT_RADIUS and (best is None or distance < best[0]):
                best = (distance, point)
        return best[1] if best else None


def lay_out(report: Report, area: QRectF, ticks: list[float]) -> Plot:
    """Pixel positions for `report` inside `area` with the y ticks already chosen."""
    n = len(report.x)
    if has_bars(report) or (n and not is_dates(report)):
        band = area.width() / n if n else area.width()
        positions = [area.left() + (i + 0.5) * band for i in range(n)]
        plot = Plot(area, positions, band, ticks)
    else:
        days = [v for v in report.x if isinstance(v, dt.date)] + [p.x for p in report.points]
        ends = (min(days), max(days)) if days else None
        plot = Plot(area, [], 0.0, ticks, ends)
        plot.positions = [plot.date_px(v) for v in report.x if isinstance(v, dt.date)]
    if plot.dates is not None:
        plot.dots = [(plot.date_px(p.x), plot.y_px(p.y), p) for p in report.points]
    return plot


def x_labels(report: Report, plot: Plot, room: float) -> list[tuple[float, str]]:
    """(pixel x, text) of the x tick labels, thinned so that neighbours keep `room` apart."""
    if plot.dates is not None:
        first, last = plot.dates
        wanted = max(2, int(plot.area.width() // room))
        days = scales.date_ticks(first, last, wanted)
        return [(plot.date_px(d), scales.date_label(d, days)) for d in days]
    n = len(report.x)
    if not n:
        return []
    every = max(1, math.ceil(n / max(1, plot.area.width() // room)))
    labels = []
    dated = is_dates(report)
    for i in range(0, n, every):
        value = report.x[i]
        text = scales.date_label(value, []) if isinstance(value, dt.date) and dated else str(value)
        labels.append((plot.positions[i], text))
    return labels
