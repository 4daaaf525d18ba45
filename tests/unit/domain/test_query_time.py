"""`logged` and `remaining` in the query language: durations as values, plain errors."""

from __future__ import annotations

import pytest

from tracker_gui.domain.durations import Parts
from tracker_gui.domain.query import Field, QueryError, parse


@pytest.mark.parametrize(
    ("text", "op", "parts"),
    [
        ("logged>4h", ">", Parts(hours=4)),
        ("remaining<=1d", "<=", Parts(days=1)),
        ("logged:0m", ":", Parts()),
        ("remaining>=1w2d3h4m", ">=", Parts(1, 2, 3, 4)),
    ],
)
def test_time_fields_read_durations(text: str, op: str, parts: Parts) -> None:
    root = parse(text).root
    assert isinstance(root, Field)
    assert (root.op, root.values) == (op, (parts,))


def test_time_sorts_are_sort_keys() -> None:
    assert parse("sort:logged").sort == "logged"
    assert parse("is:open sort:-remaining").sort == "-remaining"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("logged>4", "col 8: logged: '4' has no unit: write e.g. 4h or 4m"),
        ("remaining<soon", "col 11: remaining: 'soon' is not a duration: use w, d, h and m"),
        ("logged:1h,2h", "col 11: logged: takes one value"),
    ],
)
def test_a_bad_time_value_says_why_and_where(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert str(caught.value).startswith(message)
