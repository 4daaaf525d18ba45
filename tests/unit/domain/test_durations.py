"""Durations as typed (`1h30m`, `2d`, `1w`): parsing on a project's calendar, formatting back."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tracker_gui.domain import durations
from tracker_gui.domain.durations import DurationError, WorkCalendar, format_minutes, parse

DEFAULT = WorkCalendar()


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h30m", 90),
        ("45m", 45),
        ("2d", 960),
        ("1w", 2400),
        ("1w2d3h4m", 2400 + 960 + 184),
        (" 2H ", 120),
        ("90m", 90),
    ],
)
def test_durations_read_on_the_default_calendar(text: str, minutes: int) -> None:
    assert parse(text) == minutes


def test_a_day_and_a_week_are_the_projects_own() -> None:
    short = WorkCalendar(day_minutes=6 * 60, week_days=4)
    assert parse("1d", short) == 360
    assert parse("1w", short) == 4 * 360
    assert parse("1w1d1h", short) == 4 * 360 + 360 + 60


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "a duration is needed"),
        ("2", "'2' has no unit: write e.g. 2h or 2m"),
        ("1.5", "has no unit"),
        ("0m", "is no time at all"),
        ("0h0m", "is no time at all"),
        ("-1h", "is not a duration"),
        ("1h 30m", "is not a duration"),
        ("30m1h", "is not a duration"),
        ("1h1h", "is not a duration"),
        ("1x", "is not a duration"),
        ("h", "is not a duration"),
        ("1.5h", "is not a duration"),
        ("9999999w", "the limit is 100,000"),
    ],
)
def test_unreadable_zero_negative_and_huge_durations_are_refused_in_plain_words(
    text: str, words: str
) -> None:
    with pytest.raises(DurationError) as caught:
        parse(text)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_zero_is_read_only_where_it_means_something() -> None:
    assert parse("0m", allow_zero=True) == 0


def test_format_uses_the_largest_units_first() -> None:
    assert format_minutes(90) == "1h30m"
    assert format_minutes(2400 + 960 + 184) == "1w2d3h4m"
    assert format_minutes(0) == "0m"
    assert format_minutes(450, WorkCalendar(day_minutes=450)) == "1d"
    with pytest.raises(ValueError):
        format_minutes(-1)


def test_a_calendar_outside_a_real_day_or_week_is_refused() -> None:
    with pytest.raises(ValueError):
        WorkCalendar(day_minutes=0)
    with pytest.raises(ValueError):
        WorkCalendar(week_days=8)


calendars = st.builds(
    WorkCalendar, st.integers(min_value=1, max_value=1440), st.integers(min_value=1, max_value=7)
)


@given(st.integers(min_value=0, max_value=durations.REMAINING_MAX), calendars)
def test_format_then_parse_gives_the_same_minutes(minutes: int, calendar: WorkCalendar) -> None:
    text = format_minutes(minutes, calendar)
    assert parse(text, calendar, limit=durations.REMAINING_MAX, allow_zero=True) == minutes


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 500), st.integers(0, 5000), calendars)
def test_parse_then_format_is_canonical(
    weeks: int, days: int, hours: int, mins: int, calendar: WorkCalendar
) -> None:
    typed = "".join(
        f"{n}{u}" for n, u in ((weeks, "w"), (days, "d"), (hours, "h"), (mins, "m")) if n
    )
    assume(typed)
    total = parse(typed, calendar, limit=10**9)
    assert total == (weeks * calendar.week_days + days) * calendar.day_minutes + hours * 60 + mins
    assert parse(format_minutes(total, calendar), calendar, limit=10**9) == total
