"""Local days of UTC instants, across daylight-saving changes; nearest-rank percentiles."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker_gui.domain import report_math as rm

PARIS = rm.Zone("Europe/Paris")


def test_offset_pieces_change_on_the_instant_summer_time_starts() -> None:
    pieces = rm.offset_segments(PARIS, dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    assert [(start, secs) for start, secs in pieces[1:]] == [(dt.datetime(2026, 3, 29, 1), 7200)]
    assert pieces[0][1] == 3600
    autumn = rm.offset_segments(PARIS, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert autumn[1:] == [(dt.datetime(2026, 10, 25, 1), 3600)]
    assert rm.offset_segments(rm.Zone("UTC"), dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == [
        (dt.datetime(2025, 12, 30), 0)
    ]


def test_a_day_begins_at_local_midnight() -> None:
    assert PARIS.start_of(dt.date(2026, 3, 29)) == dt.datetime(2026, 3, 28, 23)
    assert PARIS.start_of(dt.date(2026, 3, 30)) == dt.datetime(2026, 3, 29, 22)
    assert PARIS.day_of(dt.datetime(2026, 3, 29, 22, 30)) == dt.date(2026, 3, 30)
    kathmandu = rm.Zone("Asia/Kathmandu")  # UTC+5:45
    assert kathmandu.day_of(dt.datetime(2026, 1, 1, 18, 15)) == dt.date(2026, 1, 2)


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Nowhere/Land'"):
        rm.Zone.parse("Nowhere/Land")


def test_nearest_rank_percentile_is_one_of_the_values() -> None:
    values = [5.0, 1.5, 3.0, 2.0, 4.0]
    assert [rm.percentile(values, p) for p in (50, 85, 95, 100)] == [3.0, 5.0, 5.0, 5.0]
    assert rm.percentile([7.0], 50) == 7.0
    with pytest.raises(ValueError):
        rm.percentile([], 50)


def test_ideal_line_and_weeks() -> None:
    assert rm.ideal_line(4, 5) == [4.0, 3.0, 2.0, 1.0, 0.0]
    assert rm.week_start(dt.date(2026, 3, 8)) == dt.date(2026, 3, 2)  # a Sunday
    assert rm.cumulative({dt.date(2026, 1, 1): 2, dt.date(2026, 1, 3): -1},
                         dt.date(2026, 1, 2), dt.date(2026, 1, 3)) == [2, 1]  # fmt: skip
