"""Axis ticks and labels (round y values, dates by day, week and month) and readable colours."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker_gui.ui.charts import scales, style


def test_y_ticks_are_round_and_cover_the_data_from_zero() -> None:
    assert scales.y_ticks(0, 9, 5) == [0, 2, 4, 6, 8, 10]
    assert scales.y_ticks(3, 152, 8) == [0, 20, 40, 60, 80, 100, 120, 140, 160]
    assert scales.y_ticks(0, 0.9, 4) == [0, 0.5, 1.0]
    assert scales.y_ticks(0, 22, 10) == [0, 5, 10, 15, 20, 25]


def test_counts_of_issues_never_tick_by_halves() -> None:
    """A 5-issue burndown on a tall chart had ticks 0, 0.5, 1 ... 4.5, 5."""
    assert scales.y_ticks(0, 5, 10) == [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]
    assert scales.y_ticks(0, 5, 10, whole=True) == [0, 1, 2, 3, 4, 5]
    assert scales.y_ticks(0, 40, 10, whole=True) == [0, 5, 10, 15, 20, 25, 30, 35, 40]


def test_one_axis_labels_thousands_alike() -> None:
    """A cumulative flow up to 12,000 read "9000, 10k, 11k, 12k"."""
    ticks = scales.y_ticks(0, 12_000, 12)
    assert scales.tick_labels(ticks)[-4:] == ["9k", "10k", "11k", "12k"]
    assert scales.tick_labels([0, 2500, 5000, 7500, 10_000, 12_500]) == [
        "0", "2500", "5000", "7500", "10000", "12500",
    ]  # fmt: skip
    assert scales.tick_labels([0, 0.5, 1]) == ["0", "0.5", "1"]


def test_a_flat_or_empty_range_still_has_an_axis() -> None:
    assert scales.y_ticks(0, 0, 5) == [0, 1]
    assert scales.y_ticks(0, 1, 1) == [0, 1]


def test_tick_labels_drop_trailing_zeros() -> None:
    assert [scales.format_number(v) for v in (0, 2.5, 10.0, 20000.0, 0.125)] == [
        "0",
        "2.5",
        "10",
        "20k",
        "0.12",
    ]


def test_a_two_week_sprint_gets_day_ticks_and_a_quarter_gets_mondays() -> None:
    start = dt.date(2026, 11, 30)
    days = scales.date_ticks(start, start + dt.timedelta(days=13), 8)
    assert days[0] == start and (days[1] - days[0]).days == 2 and len(days) <= 8
    quarter = scales.date_ticks(dt.date(2026, 9, 1), dt.date(2026, 11, 30), 7)
    assert all(d.weekday() == 0 for d in quarter) and len(quarter) <= 7
    assert [scales.date_label(d, quarter) for d in quarter[:2]] == ["7 Sep", "21 Sep"]


def test_a_year_gets_month_ticks_with_the_year_where_it_starts() -> None:
    ticks = scales.date_ticks(dt.date(2026, 3, 15), dt.date(2027, 3, 14), 7)
    assert all(d.day == 1 for d in ticks) and len(ticks) <= 7
    labels = [scales.date_label(d, ticks) for d in ticks]
    assert labels == ["May 2026", "Jul", "Sep", "Nov", "Jan 2027", "Mar"]


def test_hover_dates_read_in_full() -> None:
    assert scales.long_date(dt.date(2026, 12, 8)) == "Tue 8 Dec 2026"


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_chart_text_and_series_stay_readable_on_the_chart_background(
    qapp: object, dark: bool
) -> None:
    s = style.chart_style(dark)
    background = s.background.name()
    for name, colour in (
        ("text", s.text),
        ("muted", s.muted),
        ("guide label", s.guide_text),
        ("marker label", s.marker),
    ):
        assert contrast(colour.name(), background) >= 4.5, name
    for colour in s.series:
        assert contrast(colour.name(), background) >= 3.0, colour.name()
    assert len({c.name() for c in s.series}) == len(s.series)
