"""Rank keys: between() and spread() keep a strict order, in Python and in the database."""

from __future__ import annotations

import random
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker_gui.domain import rank
from tracker_gui.domain.models import IssueFilter
from tracker_gui.services import Services
from tracker_gui.storage.tables import utcnow

# The rank column is varchar(255): a key longer than that cannot be stored on PostgreSQL.
RANK_COLUMN_MAX = 255
# A key is a head character saying how many integer digits follow, those digits, then an
# optional fraction with no trailing zero. Heads a..z: 1..26 digits; heads 9..0: 1..10.
INTEGER_DIGITS = {
    **{head: n for n, head in enumerate("abcdefghijklmnopqrstuvwxyz", start=1)},
    **{head: 10 - n for n, head in enumerate("0123456789")},
}
LOWEST = "0" + "0" * 10  # nothing sorts below it
HIGHEST = "z" + "z" * 26  # nothing can be appended after it


@st.composite
def keys(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from(sorted(INTEGER_DIGITS)))
    n = INTEGER_DIGITS[head]
    integer = draw(st.text(alphabet=rank.DIGITS, min_size=n, max_size=n))
    fraction = draw(st.text(alphabet=rank.DIGITS, max_size=8)).rstrip("0")
    return head + integer + fraction


ordered_pairs = st.tuples(keys(), keys()).filter(lambda p: p[0] != p[1]).map(sorted)


@given(keys())
def test_generated_keys_are_valid(key: str) -> None:
    assert rank.is_valid(key)


@pytest.mark.parametrize("key", ["a0", "a01", "b00", "9z", "9zi", "0000000000011", LOWEST, HIGHEST])
def test_valid_keys(key: str) -> None:
    assert rank.is_valid(key)


@pytest.mark.parametrize(
    "key", ["", "a", "a10", "b0", "A0", "a-", "a\u00e9", "10", "0000000000", "a0 ", "z" * 26]
)
def test_invalid_keys(key: str) -> None:
    assert not rank.is_valid(key)


@given(ordered_pairs)
def test_between_sorts_strictly_between(pair: list[str]) -> None:
    low, high = pair
    middle = rank.between(low, high)
    assert low < middle < high
    assert rank.is_valid(middle)


@given(keys())
def test_between_open_ends(key: str) -> None:
    if key != HIGHEST:
        above = rank.between(key, None)
        assert key < above
        assert rank.is_valid(above)
    if key != LOWEST:
        below = rank.between(None, key)
        assert below < key
        assert rank.is_valid(below)


def test_the_ends_of_the_key_space_say_so() -> None:
    with pytest.raises(ValueError, match="exhausted at the top"):
        rank.between(HIGHEST, None)
    with pytest.raises(ValueError, match="exhausted at the bottom"):
        rank.between(None, LOWEST)


def test_between_nothing_is_a_valid_middle_key() -> None:
    key = rank.between(None, None)
    assert rank.is_valid(key)
    assert rank.between(None, key) < key < rank.between(key, None)


@given(ordered_pairs)
def test_between_refuses_reversed_or_equal_neighbours(pair: list[str]) -> None:
    low, high = pair
    with pytest.raises(ValueError, match="must sort before"):
        rank.between(high, low)
    with pytest.raises(ValueError, match="must sort before"):
        rank.between(low, low)


@given(st.lists(st.tuples(st.integers(min_value=0), st.booleans()), max_size=120))
def test_any_sequence_of_insertions_keeps_a_strict_order(plan: list[tuple[int, bool]]) -> None:
    """Dropping cards anywhere, over and over, never produces a tie or a misplaced key."""
    column: list[str] = []
    for position, _ in plan:
        index = position % (len(column) + 1)
        before = column[index - 1] if index > 0 else None
        after = column[index] if index < len(column) else None
        column.insert(index, rank.between(before, after))
        assert column == sorted(column)
        assert len(set(column)) == len(column)
        assert all(rank.is_valid(k) for k in column)


@given(st.integers(min_value=0, max_value=1500))
def test_spread_is_increasing_unique_and_valid(count: int) -> None:
    spread = rank.spread(count)
    assert len(spread) == count
    assert spread == sorted(spread)
    assert len(set(spread)) == count
    assert all(rank.is_valid(k) for k in spread)


@given(st.integers(min_value=2, max_value=500), st.data())
def test_spread_leaves_room_between_neighbours_and_at_the_ends(
    count: int, data: st.DataObject
) -> None:
    spread = rank.spread(count)
    i = data.draw(st.integers(min_value=0, max_value=count - 2))
    assert spread[i] < rank.between(spread[i], spread[i + 1]) < spread[i + 1]
    assert rank.between(None, spread[0]) < spread[0]
    assert rank.between(spread[-1], None) > spread[-1]


@pytest.mark.parametrize("end", ["bottom", "top"])
def test_a_long_column_grown_at_one_end_keeps_short_keys(end: str) -> None:
    """Creating an issue appends it to its column: 100,000 issues in To Do must still fit,
    and so must a column where every card was dragged to the top."""
    key = rank.between(None, None)
    longest = len(key)
    for _ in range(100_000):
        nxt = rank.between(key, None) if end == "bottom" else rank.between(None, key)
        assert (nxt > key) if end == "bottom" else (nxt < key)
        key = nxt
        longest = max(longest, len(key))
    assert rank.is_valid(key)
    assert longest <= 8, f"keys grew to {longest} characters"
    assert longest <= RANK_COLUMN_MAX


def test_repeated_drops_between_the_same_two_cards_stay_storable() -> None:
    """Fractions grow when one gap is split again and again; 200 splits must still fit."""
    low, high = rank.between(None, None), None
    high = rank.between(low, None)
    for _ in range(200):
        middle = rank.between(low, high)
        assert low < middle < high
        high = middle
    assert len(high) <= RANK_COLUMN_MAX


def _random_keys(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    found: set[str] = set()
    heads = sorted(INTEGER_DIGITS)
    while len(found) < count:
        head = rng.choice(heads[:4] + heads[-14:])  # short and long integer parts
        integer = "".join(rng.choice(rank.DIGITS) for _ in range(INTEGER_DIGITS[head]))
        fraction = "".join(rng.choice(rank.DIGITS) for _ in range(rng.randint(0, 5)))
        found.add(head + integer + fraction.rstrip("0"))
    return list(found)


def test_database_order_by_rank_agrees_with_python(services: Services) -> None:
    """Keys stored in the rank column come back in byte order (SQLite and PostgreSQL)."""
    project, _ = services.projects.ensure_project("RNK")
    status = services.projects.statuses(project.id)[0]
    tricky = ["9z", "9zi", "a0", "a01", "a0z", "a1", "az", "b00", "b001", "8zz", LOWEST, HIGHEST]
    stored = sorted(set(_random_keys(600, seed=1234) + tricky + rank.spread(50)))
    shuffled = stored[:]
    random.Random(99).shuffle(shuffled)
    me = services.projects.ensure_user("alice")
    now = utcnow()
    with services.database.transaction():
        services.issues.repo.insert_many(
            {
                "uid": str(uuid.uuid4()),
                "project": project.id,
                "number": n,
                "type": "task",
                "title": f"rank {key}",
                "description": "",
                "status": status.id,
                "priority": 3,
                "reporter": me.id,
                "rank": key,
                "created_at": now,
                "updated_at": now,
                "version": 1,
                "archived": False,
            }
            for n, key in enumerate(shuffled, start=1)
        )
    column = services.issues.column(status.id, IssueFilter(project_ids=(project.id,)), limit=5000)
    assert [i.rank for i in column] == stored
