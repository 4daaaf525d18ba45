"""Saved-filter text: encode the filter pane's state as query-language text and back (no Qt)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from tracker_gui.domain.enums import IssueType, Priority, StatusCategory, parse_enum
from tracker_gui.domain.models import IssueFilter

ME = "me"
NONE = "none"
WEEK = "week"
OVERDUE = "overdue"
KEYS = (
    "project",
    "assignee",
    "reporter",
    "watcher",
    "due",
    "type",
    "priority",
    "label",
    "category",
)


@dataclass(frozen=True, slots=True)
class FilterQuery:
    """What the filter pane shows: a project key, quick toggles, picked values and free text."""

    project: str | None = None
    assigned_to_me: bool = False
    reported_by_me: bool = False
    watching: bool = False
    due_this_week: bool = False
    overdue: bool = False
    types: tuple[IssueType, ...] = ()
    priorities: tuple[Priority, ...] = ()
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    unassigned: bool = False
    categories: tuple[StatusCategory, ...] = ()
    text: str = ""

    def is_empty(self) -> bool:
        return dataclasses.replace(self, project=None) == FilterQuery()


def next_monday(today: dt.date) -> dt.date:
    """The Monday after `today` (a week later when today is a Monday)."""
    return today + dt.timedelta(days=7 - today.weekday())


def to_issue_filter(
    query: FilterQuery, *, me: str, today: dt.date, project_ids: tuple[int, ...] = ()
) -> IssueFilter:
    """The IssueFilter the store runs; relative dates are computed from `today`."""
    assignees = list(query.assignees)
    if query.assigned_to_me and me not in assignees:
        assignees.insert(0, me)
    return IssueFilter(
        project_ids=project_ids,
        categories=query.categories,
        assignees=tuple(assignees),
        unassigned=query.unassigned,
        reporters=(me,) if query.reported_by_me else (),
        labels=query.labels,
        types=query.types,
        priorities=query.priorities,
        watched_by=me if query.watching else None,
        text=query.text.strip(),
        due_before=next_monday(today) if query.due_this_week else None,
        overdue_on=today if query.overdue else None,
    )


# -- encoding --------------------------------------------------------------------------------
def _quote(value: str) -> str:
    plain = value and not any(c.isspace() or c in ',:"\\' for c in value)
    if plain:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _term(key: str, values: list[str]) -> str:
    return f"{key}:{','.join(_quote(v) for v in values)}"


def encode(query: FilterQuery) -> str:
    """Canonical text, e.g. `assignee:me type:bug label:ui priority:high,highest fix login`."""
    terms: list[str] = []
    if query.project:
        terms.append(_term("project", [query.project]))
    who = ([ME] if query.assigned_to_me else []) + list(query.assignees)
    if query.unassigned:
        who.append(NONE)
    if who:
        terms.append(_term("assignee", who))
    if query.reported_by_me:
        terms.append(_term("reporter", [ME]))
    if query.watching:
        terms.append(_term("watcher", [ME]))
    due = ([WEEK] if query.due_this_week else []) + ([OVERDUE] if query.overdue else [])
    if due:
        terms.append(_term("due", due))
    if query.types:
        order = list(IssueType)
        terms.append(_term("type", [t.value for t in sorted(query.types, key=order.index)]))
    if query.priorities:
        terms.append(_term("priority", [p.label for p in sorted(query.priorities)]))
    if query.labels:
        terms.append(_term("label", list(query.labels)))
    if query.categories:
        order_c = list(StatusCategory)
        cats = sorted(query.categories, key=order_c.index)
        terms.append(_term("category", [c.value for c in cats]))
    for word in query.text.split():
        terms.append(_quote(word) if ":" in word or '"' in word else word)
    return " ".join(terms)


# -- decoding --------------------------------------------------------------------------------
def _read_quoted(text: str, i: int) -> tuple[str, int]:
    """The string starting at the quote at `i`, and the index after its closing quote."""
    out: list[str] = []
    i += 1
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if c == '"':
            return "".join(out), i + 1
        out.append(c)
        i += 1
    raise ValueError("a quoted value is missing its closing quote")


def tokenize(text: str) -> list[tuple[str | None, list[str]]]:
    """Split into (key, values) terms; free text comes out as (None, [word])."""
    terms: list[tuple[str | None, list[str]]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        if text[i] == '"':
            word, i = _read_quoted(text, i)
            terms.append((None, [word]))
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in ':"':
            j += 1
        if j < n and text[j] == ":" and j > i:
            key, values, i = text[i:j].lower(), [], j + 1
            current: list[str] = []
            while i < n and not text[i].isspace():
                if text[i] == '"':
                    part, i = _read_quoted(text, i)
                    current.append(part)
                elif text[i] == ",":
                    values.append("".join(current))
                    current, i = [], i + 1
                else:
                    current.append(text[i])
                    i += 1
            values.append("".join(current))
            terms.append((key, [v for v in values if v]))
        else:
            while j < n and not text[j].isspace():
                j += 1
            terms.append((None, [text[i:j]]))
            i = j
    return terms


def _enum_values(key: str, values: list[str]) -> list[Any]:
    if key == "type":
        return [parse_enum(IssueType, v, "type") for v in values]
    if key == "priority":
        return [Priority.parse(v) for v in values]
    return [parse_enum(StatusCategory, v.replace("-", "_"), "category") for v in values]


def decode(text: str) -> FilterQuery:
    """Parse what `encode` writes (repeated keys add up); raises ValueError on anything else."""
    flags: dict[str, Any] = {}
    lists: dict[str, list[Any]] = {
        "types": [],
        "priorities": [],
        "labels": [],
        "assignees": [],
        "categories": [],
    }
    words: list[str] = []
    for key, values in tokenize(text):
        if key is None:
            words.extend(values)
            continue
        if key not in KEYS:
            raise ValueError(f"unknown filter term {key!r} (use: {', '.join(KEYS)})")
        if not values:
            raise ValueError(f"{key}: needs a value")
        lowered = [v.lower() for v in values]
        if key == "project":
            flags["project"] = values[-1].upper()
        elif key == "assignee":
            for v, low in zip(values, lowered, strict=True):
                if low == ME:
                    flags["assigned_to_me"] = True
                elif low == NONE:
                    flags["unassigned"] = True
                else:
                    lists["assignees"].append(v)
        elif key in ("reporter", "watcher"):
            if lowered != [ME]:
                raise ValueError(f"{key}: only {key}:me is supported")
            flags["reported_by_me" if key == "reporter" else "watching"] = True
        elif key == "due":
            for low in lowered:
                if low not in (WEEK, OVERDUE):
                    raise ValueError(f"due: use due:{WEEK} or due:{OVERDUE}")
                flags["due_this_week" if low == WEEK else "overdue"] = True
        elif key == "label":
            lists["labels"].extend(values)
        else:
            name = {"type": "types", "priority": "priorities", "category": "categories"}[key]
            lists[name].extend(_enum_values(key, values))
    kwargs: dict[str, Any] = {k: tuple(dict.fromkeys(v)) for k, v in lists.items()}
    return FilterQuery(**flags, **kwargs, text=" ".join(words))
