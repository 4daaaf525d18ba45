"""What a report hands to whoever shows it: the numbers as a table, and the same numbers as a chart.

The reports service (Qt-free) fills a `Report`; the chart painter in `ui/charts/` draws one on a
widget, a PNG or an SVG, and the CLI writes `columns`/`rows` as CSV or JSON. Nothing here knows
how a chart looks: colours come from the theme unless a series names one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Cell = str | int | float | dt.date | None

KINDS = ("burndown", "cfd", "cycle-time", "throughput", "created-resolved", "velocity", "time")

SeriesStyle = Literal["line", "dashed", "step", "area", "bar"]


@dataclass(frozen=True)
class Series:
    """A line, stacked band or set of bars: one value per entry of `Report.x` (None: no value)."""

    name: str
    values: tuple[float | None, ...]
    style: SeriesStyle = "line"
    colour: str = ""  # "#rrggbb"; blank: the theme's palette in series order


@dataclass(frozen=True)
class Point:
    """One dot of a scatter (cycle time: x is the day it was done, y the days it took)."""

    x: dt.date
    y: float
    label: str  # shown on hover, e.g. "TRK-12 · 3.5 days"


@dataclass(frozen=True)
class Guide:
    """A horizontal reference line across the plot (a percentile, a target)."""

    value: float
    label: str  # e.g. "85% ≤ 6.0 days"


@dataclass(frozen=True)
class Marker:
    """A vertical mark at one entry of `Report.x` (a scope change in a burndown)."""

    at: int  # index into Report.x
    label: str  # e.g. "+2 issues"


@dataclass(frozen=True)
class Report:
    """A computed report. `columns`/`rows` are exactly what CSV and JSON export write."""

    kind: str  # one of KINDS
    title: str
    subtitle: str  # e.g. "Sprint 12 · 1 to 14 Dec 2026" or the date range
    x: tuple[dt.date | str, ...]  # dates for time axes; names for categories (sprints, people)
    y_label: str  # "issues", "days", "hours"
    series: tuple[Series, ...] = ()
    stacked: bool = False  # area series are stacked bottom-up in order (cumulative flow)
    points: tuple[Point, ...] = ()
    guides: tuple[Guide, ...] = ()
    markers: tuple[Marker, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = field(default_factory=tuple)
    empty_text: str = ""  # set when there is nothing to draw, says why ("No closed sprints yet")
