"""A computed report's numbers as text: the CSV and JSON that the CLI prints and the pane saves."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from tracker_gui.services.report_types import Report


def _cell(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value) if abs(value) < 2**53 else value
    return value


def as_csv(report: Report) -> str:
    """One header row, then one row per entry; blank cells for missing values."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(report.columns)
    for row in report.rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return out.getvalue()


def as_json(report: Report) -> str:
    """`{"report", "title", "subtitle", "columns", "rows"}`, rows as objects keyed by column."""
    data = {
        "report": report.kind,
        "title": report.title,
        "subtitle": report.subtitle,
        "columns": list(report.columns),
        "rows": [
            {c: _cell(v) for c, v in zip(report.columns, row, strict=True)} for row in report.rows
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
