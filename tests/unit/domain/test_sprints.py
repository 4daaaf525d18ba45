"""The rules of a sprint's name, days and history words (pure: no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker_gui.domain import sprints
from tracker_gui.errors import ValidationError


def test_a_name_is_one_trimmed_line_of_at_most_60() -> None:
    assert sprints.name("  Sprint 12 ") == "Sprint 12"
    assert sprints.name("x" * 60) == "x" * 60
    for bad in ("", "   ", "x" * 61, "two\nlines", "tab\there"):
        with pytest.raises(ValidationError):
            sprints.name(bad)


def test_days_are_iso_and_both_count() -> None:
    assert sprints.span("2026-01-05", "2026-01-05") == (dt.date(2026, 1, 5), dt.date(2026, 1, 5))
    assert sprints.span(dt.date(2026, 1, 5), "2026-01-16")[1] == dt.date(2026, 1, 16)
    with pytest.raises(ValidationError, match="before it starts"):
        sprints.span("2026-01-16", "2026-01-15")
    for bad in ("2026-02-30", "05/01/2026", "0001-01-01", ""):
        with pytest.raises(ValidationError):
            sprints.span(bad, "2026-12-31")


def test_history_words_name_sprints() -> None:
    names = {"1": "Sprint 12", "2": "Sprint 13"}
    assert sprints.moved(None, "1", names) == "sprint: the backlog -> Sprint 12"
    assert sprints.moved("1", "2", names) == "sprint: Sprint 12 -> Sprint 13"
    assert sprints.moved("9", None, names) == "sprint: sprint #9 -> the backlog"
