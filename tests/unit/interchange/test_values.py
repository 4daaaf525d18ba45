"""Foreign values to ours: priorities, types, dates, user names, categories, rank keys."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker_gui.domain import rank
from tracker_gui.domain.enums import IssueType, Priority, StatusCategory
from tracker_gui.interchange.values import (
    guess_category,
    parse_date,
    parse_datetime,
    parse_priority,
    parse_type,
    username_for,
)
from tracker_gui.services.bulk_writer import ranks_after


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Highest", Priority.HIGHEST), ("Blocker", Priority.HIGHEST),
        ("High", Priority.HIGH), ("Critical", Priority.HIGH),
        ("Medium", Priority.MEDIUM), ("Major", Priority.MEDIUM),
        ("Low", Priority.LOW), ("Minor", Priority.LOW),
        ("Lowest", Priority.LOWEST), ("Trivial", Priority.LOWEST),
        (" high ", Priority.HIGH), ("5", Priority.HIGHEST), ("1", Priority.LOWEST),
    ],
)  # fmt: skip
def test_jira_and_our_priority_names(text: str, expected: Priority) -> None:
    assert parse_priority(text) == expected


def test_unknown_priority_lists_the_choices() -> None:
    with pytest.raises(ValueError, match=r"unknown priority 'P0'.*Blocker"):
        parse_priority("P0")


def test_issue_types() -> None:
    assert parse_type("Sub-task") == IssueType.SUBTASK
    assert parse_type("New Feature") == IssueType.STORY
    assert parse_type("improvement") == IssueType.TASK
    with pytest.raises(ValueError, match="Spike"):
        parse_type("Spike")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/Mar/24 10:15 AM", dt.datetime(2024, 3, 5, 10, 15)),
        ("21/Mar/24 4:10 PM", dt.datetime(2024, 3, 21, 16, 10)),
        ("2024-03-05 10:15", dt.datetime(2024, 3, 5, 10, 15)),
        ("2024-03-15T12:00:00.000Z", dt.datetime(2024, 3, 15, 12)),
        ("2024-03-15T12:00:00+02:00", dt.datetime(2024, 3, 15, 10)),  # to UTC
        ("2024-03-15", dt.datetime(2024, 3, 15)),
        ("15/Mar/24", dt.datetime(2024, 3, 15)),
    ],
)
def test_dates_and_times(text: str, expected: dt.datetime) -> None:
    assert parse_datetime(text) == expected
    assert parse_date(text) == expected.date()


def test_a_bad_date_says_what_it_wants() -> None:
    with pytest.raises(ValueError, match="'soon' is not a date"):
        parse_date("soon")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alice", "alice"),
        ("bob.chen@example.com", "bob.chen@example.com"),
        ("Ana Núñez", "ana.nunez"),
        ("  Carol  Díaz ", "carol.diaz"),
        ("李雷", "user-"),
    ],
)
def test_user_names(text: str, expected: str) -> None:
    assert username_for(text).startswith(expected)


def test_categories_from_status_names() -> None:
    assert guess_category("Done") == StatusCategory.DONE
    assert guess_category("Closed (won't fix)") == StatusCategory.DONE
    assert guess_category("In Progress") == StatusCategory.IN_PROGRESS
    assert guess_category("Code Review") == StatusCategory.IN_PROGRESS
    assert guess_category("Doing") == StatusCategory.IN_PROGRESS
    assert guess_category("Backlog") is None


def _ends() -> list[str | None]:
    long = rank.between(None, None)
    for _ in range(5000):
        long = rank.between(long, None)
    return [None, rank.between(None, None), rank.spread(7)[-1], long]


@pytest.mark.parametrize("last", _ends())
def test_ranks_after_the_end_of_a_column(last: str | None) -> None:
    keys = ranks_after(last, 1000)
    assert keys == sorted(keys) and len(set(keys)) == 1000
    assert all(rank.is_valid(k) and (last is None or k > last) for k in keys)
    assert max(len(k) for k in keys) < 12
