"""What the pointer shows: the values of every series at one entry, or a scatter dot's label."""

from __future__ import annotations

import datetime as dt

from tracker_gui.services.report_types import Report
from tracker_gui.ui.charts import scales


def entry_text(report: Report, index: int) -> str:
    """ "Tue 8 Dec 2026" then one "name: value" line per series (and the markers there)."""
    if not 0 <= index < len(report.x):
        return ""
    at = report.x[index]
    lines = [scales.long_date(at) if isinstance(at, dt.date) else str(at)]
    unit = f" {report.y_label}" if report.y_label else ""
    for series in report.series:
        value = series.values[index] if index < len(series.values) else None
        shown = "none" if value is None else scales.format_number(round(value, 2)) + unit
        lines.append(f"{series.name}: {shown}")
    lines += [marker.label for marker in report.markers if marker.at == index]
    return "\n".join(lines)
