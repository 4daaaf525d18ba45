"""The query language's fields: names, operators, typed values, and help for completion."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from tracker_gui.domain import durations
from tracker_gui.domain.enums import IssueType, Priority, StatusCategory, parse_enum

EQUAL = (":", "=")
ORDERED = (":", "=", ">", ">=", "<", "<=")
ME, NONE = "me", "none"
CURRENT = "current"
IS_VALUES = ("open", "closed", "archived")
HAS_VALUES = ("due", "assignee", "parent", "label", "estimate", "description")
DATE_WORDS = ("today", "overdue", "week")
# The orders `sort:` takes: the keys of storage.filtering.SORTS (a storage test checks it).
SORT_KEYS = (
    "rank", "key", "-key", "updated", "-updated", "created", "-created", "priority",
    "-priority", "title", "-title", "due", "-due", "status", "-status", "type", "-type",
    "assignee", "-assignee",
    "logged", "-logged", "remaining", "-remaining",
)  # fmt: skip
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RELATIVE = re.compile(r"^([+-]?)(\d{1,5})([dw])$")
_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9]{0,9})-(~?)(\d{1,9})$")  # ~: provisional (offline)


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date as typed: absolute (2026-12-01), days from today (-7d, +2w), or a word."""

    date: dt.date | None = None
    days: int = 0
    word: str = ""  # "today", "overdue" or "week" (the last two only with `due:`)

    def on(self, today: dt.date) -> dt.date:
        """The calendar day meant, seen from `today`."""
        return self.date if self.date is not None else today + dt.timedelta(days=self.days)


@dataclass(frozen=True, slots=True)
class IssueKey:
    project: str
    number: int

    def __str__(self) -> str:
        return (
            f"{self.project}-~{-self.number}"
            if self.number < 0
            else f"{self.project}-{self.number}"
        )


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one field reads its values: `kind` picks the parser, `ops` the operators."""

    kind: str
    ops: tuple[str, ...] = EQUAL
    many: bool = True  # `label:a,b` means either
    words: tuple[str, ...] = ()  # fixed values, offered by completion


FIELDS: dict[str, FieldSpec] = {
    "assignee": FieldSpec("user", words=(ME, NONE)),
    "blocks": FieldSpec("key"),
    "category": FieldSpec("category", words=tuple(c.value for c in StatusCategory)),
    "created": FieldSpec("date", ORDERED, many=False, words=("today", "-7d", "-30d")),
    "due": FieldSpec("date", ORDERED, many=False, words=DATE_WORDS),
    "has": FieldSpec("has", many=False, words=HAS_VALUES),
    "is": FieldSpec("is", many=False, words=IS_VALUES),
    "key": FieldSpec("key"),
    "label": FieldSpec("name"),
    "parent": FieldSpec("key"),
    "priority": FieldSpec("priority", ORDERED, words=tuple(p.label for p in Priority)),
    "project": FieldSpec("project"),
    "reporter": FieldSpec("user", words=(ME,)),
    "sort": FieldSpec("sort", many=False, words=SORT_KEYS),
    # A sprint's name; `current`: the active sprint of each issue's project; `none`: backlog.
    "sprint": FieldSpec("sprint", words=(CURRENT, NONE)),
    "status": FieldSpec("name", words=tuple(c.value for c in StatusCategory)),
    "type": FieldSpec("type", words=tuple(t.value for t in IssueType)),
    "updated": FieldSpec("date", ORDERED, many=False, words=("today", "-7d", "-30d")),
    "watching": FieldSpec("user", words=(ME,)),
    # Time tracking: minutes logged, and time left; `1d`/`1w` on each issue's project calendar.
    "logged": FieldSpec("duration", ORDERED, many=False, words=("0m", "1h", "4h", "1d")),
    "remaining": FieldSpec("duration", ORDERED, many=False, words=("0m", "1h", "4h", "1d")),
}
# Older saved filters wrote `watcher:me`.
ALIASES = {"watcher": "watching"}
# Fields that change the whole query rather than test an issue: top level only.
MODIFIERS = frozenset({"sort"})


def known_fields() -> str:
    return ", ".join(sorted(FIELDS))


def _date(field: str, raw: str) -> DateValue:
    low = raw.lower()
    if low in DATE_WORDS and (low == "today" or field == "due"):
        return DateValue(word=low)
    relative = _RELATIVE.match(low)
    if relative:
        sign, amount, unit = relative.groups()
        days = int(amount) * (7 if unit == "w" else 1)
        return DateValue(days=-days if sign == "-" else days)
    if _ISO_DATE.match(raw):
        try:
            return DateValue(date=dt.date.fromisoformat(raw))
        except ValueError:
            raise ValueError(f"{raw!r} is not a calendar date") from None
    extra = ", due:week or due:overdue" if field == "due" else " or today"
    raise ValueError(f"expected a date like 2026-12-01, -7d, +2w{extra}")


def _key(raw: str) -> IssueKey:
    found = _KEY.match(raw)
    if not found:
        raise ValueError(f"{raw!r} is not an issue key like TRK-12")
    number = int(found.group(3))
    return IssueKey(found.group(1).upper(), -number if found.group(2) else number)


def _choice(raw: str, choices: tuple[str, ...], what: str) -> str:
    low = raw.lower()
    if low not in choices:
        raise ValueError(f"unknown {what} {raw!r} (use one of: {', '.join(choices)})")
    return low


def parse_value(field: str, raw: str) -> Any:
    """The typed value of `field:raw`; ValueError says what is wrong with it."""
    kind = FIELDS[field].kind
    if kind == "date":
        return _date(field, raw)
    if kind == "key":
        return _key(raw)
    if kind == "duration":
        return durations.parse_parts(raw)  # a DurationError is a ValueError
    if kind == "priority":
        return Priority.parse(raw)
    if kind == "type":
        return parse_enum(IssueType, raw, "type")
    if kind == "category":
        return parse_enum(StatusCategory, raw.replace(" ", "_").replace("-", "_"), "category")
    if kind == "is":
        return _choice(raw, IS_VALUES, "is: value")
    if kind == "has":
        return _choice(raw, HAS_VALUES, "has: value")
    if kind == "sort":
        return _choice(raw, SORT_KEYS, "sort order")
    if kind == "project":
        return raw.upper()
    if kind == "sprint":
        return raw.lower() if raw.lower() in (CURRENT, NONE) else raw
    if kind == "user" and raw.lower() in (ME, NONE):
        if raw.lower() == NONE and field != "assignee":
            raise ValueError(f"{field}:none is not supported (use -has:{field} or assignee:none)")
        return raw.lower()
    return raw


# -- completion --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Cursor:
    """The token under the text cursor: replace text[start:end] with a completion."""

    start: int
    end: int
    field: str | None  # None: a field name or a bare word is being typed
    prefix: str  # what is typed so far of the name or of the value


# A field name and its operator, as the tokenizer and completion read them.
FIELD_START = re.compile(r"([A-Za-z][A-Za-z_]*)(>=|<=|:|=|>|<)")


def _token_bounds(text: str, cursor: int) -> tuple[int, int]:
    """Where the whitespace-separated token under the cursor starts and ends (quotes kept)."""
    start, quoted = 0, False
    for i, char in enumerate(text[:cursor]):
        if char == '"':
            quoted = not quoted
        elif not quoted and (char.isspace() or char in "()"):
            start = i + 1
    end = cursor
    while end < len(text) and not quoted and not (text[end].isspace() or text[end] in "()"):
        end += 1
    return start, end


def at_cursor(text: str, cursor: int) -> Cursor:
    """What is being typed at `cursor`: a field name, or one value of a field."""
    cursor = max(0, min(cursor, len(text)))
    start, end = _token_bounds(text, cursor)
    while start < cursor and text[start] == "-":
        start += 1
    typed = text[start:cursor]
    found = FIELD_START.match(typed)
    if found is None:
        return Cursor(start, end, None, typed.lstrip('"'))
    name = found.group(1).lower()
    value_start = start + found.end()
    last_comma = text.rfind(",", value_start, cursor)
    if last_comma >= 0:
        value_start = last_comma + 1
    comma_after = text.find(",", cursor, end)
    value_end = comma_after if comma_after >= 0 else end
    return Cursor(value_start, value_end, ALIASES.get(name, name), text[value_start:cursor])


def quote(value: str) -> str:
    """A value as the query language reads it back: quoted when it holds a break character."""
    if value and not any(c.isspace() or c in '(),:"\\' for c in value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
