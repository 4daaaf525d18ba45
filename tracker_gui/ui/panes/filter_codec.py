"""Saved-filter text: the filter pane's state as query-language text and back (no Qt)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from tracker_gui.domain.enums import IssueType, Priority, StatusCategory
from tracker_gui.domain.models import IssueFilter
from tracker_gui.domain.query import Field, Node, Or, QueryError, parse
from tracker_gui.domain.query_fields import DateValue, quote

# The text is plain query language: the pickers and quick toggles become terms
# (`assignee:me type:bug,story`) in front of what was typed in the box; decoding lifts such
# terms back into the toggles and pickers and leaves the rest, as typed, for the box.
ME = "me"
NONE = "none"
WEEK = "week"
OVERDUE = "overdue"
# The terms the toggles and pickers stand for: decode lifts only these (first of each).
KEYS = (
    "project",
    "assignee",
    "reporter",
    "watching",
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

    def same_as(self, text: str) -> bool:
        """Does the saved query `text` say what this one says (however it was written)?"""
        try:
            return encode(decode(text)) == encode(self)
        except ValueError:
            return False


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
        query=query.text.strip(),
        due_before=next_monday(today) if query.due_this_week else None,
        overdue_on=today if query.overdue else None,
    )


# -- encoding --------------------------------------------------------------------------------
def _term(key: str, values: list[str]) -> str:
    return f"{key}:{','.join(quote(v) for v in values)}"


def _typed(text: str) -> str:
    """The search box's text as one term: parenthesised when it is an OR of alternatives."""
    try:
        root = parse(text).root
    except QueryError:
        return text
    return f"({text})" if isinstance(root, Or) else text


def encode(query: FilterQuery) -> str:
    """Canonical text, e.g. `assignee:me type:bug label:ui priority:high,highest login crash`."""
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
        terms.append(_term("watching", [ME]))
    # Separate terms: both must hold (a comma would mean either).
    if query.due_this_week:
        terms.append(_term("due", [WEEK]))
    if query.overdue:
        terms.append(_term("due", [OVERDUE]))
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
    text = query.text.strip()
    if text:
        terms.append(_typed(text) if terms else text)
    return " ".join(terms)


# -- decoding --------------------------------------------------------------------------------
def _lift(node: Node, flags: dict[str, Any], lists: dict[str, list[Any]], done: set[str]) -> bool:
    """Put a top-level term into the toggles or pickers; False leaves it for the search box."""
    if not isinstance(node, Field) or node.op != ":" or node.name not in KEYS:
        return False
    name, values = node.name, node.values
    slot = f"due:{values[0].word}" if isinstance(values[0], DateValue) else name
    if slot in done:
        return False
    if name == "project" and len(values) == 1:
        flags["project"] = values[0]
    elif name == "assignee":
        for value in values:
            if value == ME:
                flags["assigned_to_me"] = True
            elif value == NONE:
                flags["unassigned"] = True
            else:
                lists["assignees"].append(value)
    elif name in ("reporter", "watching") and values == (ME,):
        flags["reported_by_me" if name == "reporter" else "watching"] = True
    elif slot in (f"due:{WEEK}", f"due:{OVERDUE}"):
        flags["due_this_week" if slot == f"due:{WEEK}" else "overdue"] = True
    elif name in ("type", "priority", "label", "category"):
        target = {"type": "types", "priority": "priorities", "label": "labels"}
        lists[target.get(name, "categories")].extend(values)
    else:
        return False
    done.add(slot)
    return True


def decode(text: str) -> FilterQuery:
    """The pane's state for query text (as `encode` writes or a person types); ValueError
    with the column when the text does not read."""
    try:
        query = parse(text)
    except QueryError as exc:
        raise ValueError(str(exc)) from None
    flags: dict[str, Any] = {}
    lists: dict[str, list[Any]] = {
        "types": [],
        "priorities": [],
        "labels": [],
        "assignees": [],
        "categories": [],
    }
    done: set[str] = set()
    rest = [
        text[node.start : node.end]
        for node in query.top_level()
        if not _lift(node, flags, lists, done)
    ]
    kwargs: dict[str, Any] = {k: tuple(dict.fromkeys(v)) for k, v in lists.items()}
    return FilterQuery(**flags, **kwargs, text=" ".join(rest))
