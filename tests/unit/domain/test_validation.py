"""Field rules: each bad value raises ValidationError naming the field; good values pass cleaned."""

from __future__ import annotations

import pytest

from tracker_gui.domain import validation
from tracker_gui.errors import UserError, ValidationError


def test_validation_error_is_a_user_error_naming_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        validation.title("")
    assert isinstance(info.value, UserError)
    assert info.value.field == "title"
    assert "empty" in str(info.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "must not be empty"),
        ("   \t ", "must not be empty"),
        ("x" * 501, "501 characters; the limit is 500"),
        ("first line\nsecond line", "single line"),
        ("first line\rsecond line", "single line"),
        ("nul\x00byte", "NUL"),
        ("lone \ud800 surrogate", "invalid character at position 5"),
        ("\U0001f600" * 501, "the limit is"),
    ],
)
def test_bad_titles(value: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        validation.title(value)
    assert info.value.field == "title"


def test_good_titles_are_stripped_and_may_reach_the_limit() -> None:
    assert validation.title("  Fix the login page \n") == "Fix the login page"
    assert validation.title("x" * 500) == "x" * 500
    assert validation.title("\u00e9t\u00e9 \U0001f600") == "\u00e9t\u00e9 \U0001f600"


def test_description_limit_is_in_bytes() -> None:
    limit = validation.DESCRIPTION_MAX_BYTES
    assert validation.description("a" * limit) == "a" * limit
    assert validation.description("") == ""
    with pytest.raises(ValidationError, match="1,000,001 bytes") as info:
        validation.description("a" * (limit + 1))
    assert info.value.field == "description"
    # Two bytes per character in UTF-8: half the characters already reach the limit.
    with pytest.raises(ValidationError):
        validation.description("\u00e9" * (limit // 2 + 1))


@pytest.mark.parametrize("bad", ["a\x00b", "\udfff", "ok \ud800"])
def test_description_and_comment_reject_nul_and_lone_surrogates(bad: str) -> None:
    with pytest.raises(ValidationError) as info:
        validation.description(bad)
    assert info.value.field == "description"
    with pytest.raises(ValidationError) as info:
        validation.comment(bad)
    assert info.value.field == "comment"


def test_comment_must_not_be_empty_and_is_stripped() -> None:
    assert validation.comment("  looks good  ") == "looks good"
    with pytest.raises(ValidationError, match="empty"):
        validation.comment("  \n ")


def test_non_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be text"):
        validation.clean_text("title", 42, max_bytes=10)  # type: ignore[arg-type]


@pytest.mark.parametrize("key", ["TRK", "ab", "A1", "ABCDEFGHIJ", " ops "])
def test_good_project_keys_are_upper_cased(key: str) -> None:
    assert validation.project_key(key) == key.strip().upper()


@pytest.mark.parametrize("key", ["", "A", "1AB", "TR-K", "ABCDEFGHIJK", "TR K", "\u00c4BC", "_AB"])
def test_bad_project_keys(key: str) -> None:
    with pytest.raises(ValidationError, match="2-10 letters or digits") as info:
        validation.project_key(key)
    assert info.value.field == "key"


@pytest.mark.parametrize("colour", ["", "#12ab9f", "#ABCDEF", " #000000 "])
def test_good_colours(colour: str) -> None:
    assert validation.colour(colour) == colour.strip()


@pytest.mark.parametrize("colour", ["red", "#12ab9", "#12ab9fa", "12ab9f", "#gg0000"])
def test_bad_colours(colour: str) -> None:
    with pytest.raises(ValidationError, match="#12ab9f") as info:
        validation.colour(colour)
    assert info.value.field == "colour"


@pytest.mark.parametrize("limit", [None, 1, 10_000])
def test_good_wip_limits(limit: int | None) -> None:
    assert validation.wip_limit(limit) == limit


@pytest.mark.parametrize("limit", [0, -1, 10_001])
def test_bad_wip_limits(limit: int) -> None:
    with pytest.raises(ValidationError, match="between 1 and 10000") as info:
        validation.wip_limit(limit)
    assert info.value.field == "wip_limit"


@pytest.mark.parametrize("hours", [None, 0.0, 0.5, 100_000.0])
def test_good_estimates(hours: float | None) -> None:
    assert validation.estimate(hours) == hours


@pytest.mark.parametrize("hours", [-0.5, 100_000.5, float("inf"), float("-inf"), float("nan")])
def test_bad_estimates(hours: float) -> None:
    with pytest.raises(ValidationError, match="between 0 and 100000") as info:
        validation.estimate(hours)
    assert info.value.field == "estimate"


@pytest.mark.parametrize(
    ("key", "expected"),
    [("TRK-42", ("TRK", 42)), (" trk-7 ", ("TRK", 7)), ("AB1-1", ("AB1", 1))],
)
def test_split_key(key: str, expected: tuple[str, int]) -> None:
    assert validation.split_key(key) == expected


@pytest.mark.parametrize("key", ["TRK42", "TRK-", "-42", "TRK-4x", "1TRK-4", "TRK--4", "", "T-1"])
def test_bad_issue_keys(key: str) -> None:
    with pytest.raises(ValidationError, match="is not an issue key like TRK-42") as info:
        validation.split_key(key)
    assert info.value.field == "key"


@pytest.mark.parametrize("name", ["alice", "bob.smith", "a@b.c", "_svc", "x" * 63])
def test_good_usernames(name: str) -> None:
    assert validation.username(name) == name


@pytest.mark.parametrize("name", ["", "-alice", "al ice", "x" * 64, "al\x00ice", "\u00e9mile"])
def test_bad_usernames(name: str) -> None:
    with pytest.raises(ValidationError, match="not a valid user name") as info:
        validation.username(name)
    assert info.value.field == "username"


def test_names_have_a_character_limit_and_no_blank() -> None:
    assert validation.name("status", " Blocked ") == "Blocked"
    assert validation.name("label", "x" * 50, limit=50) == "x" * 50
    with pytest.raises(ValidationError, match="51 characters; the limit is 50") as info:
        validation.name("label", "x" * 51, limit=50)
    assert info.value.field == "label"
    with pytest.raises(ValidationError, match="empty"):
        validation.name("status", "   ")
