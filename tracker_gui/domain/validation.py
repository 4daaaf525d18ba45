"""Field rules every write obeys, on both backends, before anything is stored."""

from __future__ import annotations

import re

from tracker_gui.errors import ValidationError

TITLE_MAX = 500
DESCRIPTION_MAX_BYTES = 1_000_000
COMMENT_MAX_BYTES = 1_000_000
NAME_MAX = 60
LABEL_MAX = 50
ATTACHMENT_MAX_BYTES = 10_000_000
PROJECT_KEY_RE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
USERNAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,62}$")
COLOUR_RE = re.compile(r"^(#[0-9a-fA-F]{6})?$")


def clean_text(field: str, value: str, *, max_bytes: int, allow_empty: bool = True) -> str:
    """Reject NUL bytes and unencodable text (lone surrogates); enforce a byte limit."""
    if not isinstance(value, str):
        raise ValidationError(field, f"{field} must be text")
    if "\x00" in value:
        raise ValidationError(field, f"{field} contains a NUL character")
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise ValidationError(
            field, f"{field} contains an invalid character at position {exc.start}"
        ) from None
    if size > max_bytes:
        raise ValidationError(field, f"{field} is {size:,} bytes; the limit is {max_bytes:,}")
    if not allow_empty and not value.strip():
        raise ValidationError(field, f"{field} must not be empty")
    return value


def title(value: str) -> str:
    value = clean_text("title", value, max_bytes=4 * TITLE_MAX, allow_empty=False).strip()
    if "\n" in value or "\r" in value:
        raise ValidationError("title", "title must be a single line")
    if len(value) > TITLE_MAX:
        raise ValidationError(
            "title", f"title is {len(value)} characters; the limit is {TITLE_MAX}"
        )
    return value


def description(value: str) -> str:
    return clean_text("description", value, max_bytes=DESCRIPTION_MAX_BYTES)


def comment(value: str) -> str:
    return clean_text("comment", value, max_bytes=COMMENT_MAX_BYTES, allow_empty=False).strip()


def name(field: str, value: str, limit: int = NAME_MAX) -> str:
    value = clean_text(field, value, max_bytes=4 * limit, allow_empty=False).strip()
    if len(value) > limit:
        raise ValidationError(field, f"{field} is {len(value)} characters; the limit is {limit}")
    return value


def project_key(value: str) -> str:
    value = value.strip().upper()
    if not PROJECT_KEY_RE.match(value):
        raise ValidationError(
            "key", f"project key {value!r} must be 2-10 letters or digits, starting with a letter"
        )
    return value


def username(value: str) -> str:
    value = value.strip()
    if not USERNAME_RE.match(value):
        raise ValidationError("username", f"{value!r} is not a valid user name")
    return value


def colour(value: str) -> str:
    value = value.strip()
    if not COLOUR_RE.match(value):
        raise ValidationError("colour", f"colour {value!r} must look like #12ab9f")
    return value


def wip_limit(value: int | None) -> int | None:
    if value is not None and (value < 1 or value > 10_000):
        raise ValidationError("wip_limit", "WIP limit must be between 1 and 10000, or none")
    return value


def estimate(value: float | None) -> float | None:
    if value is not None and not (0 <= value <= 100_000):  # also refuses NaN
        raise ValidationError("estimate", "estimate must be between 0 and 100000 hours")
    return value


def split_key(key: str) -> tuple[str, int]:
    """`TRK-42` -> ("TRK", 42), with a clear error for anything else.

    `TRK-~3`, the provisional key of an issue made offline (not yet numbered by the server),
    is ("TRK", -3): a replica stores it with the negative number.
    """
    project, sep, number = key.strip().upper().rpartition("-")
    provisional = number.startswith("~")
    digits = number[1:] if provisional else number
    if not sep or not digits.isdigit() or not PROJECT_KEY_RE.match(project):
        raise ValidationError("key", f"{key!r} is not an issue key like TRK-42")
    if provisional and int(digits) == 0:
        raise ValidationError("key", f"{key!r} is not an issue key like TRK-42")
    return project, -int(digits) if provisional else int(digits)


def issue_key(project_key: str, number: int) -> str:
    """`TRK-42`; a negative number is a provisional key made offline: `TRK-~3`."""
    return f"{project_key}-~{-number}" if number < 0 else f"{project_key}-{number}"
