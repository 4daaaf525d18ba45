"""Export's --query: the query language, plus the words of the earlier stopgap syntax."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Callable
from typing import Any

from tracker_gui.domain.enums import IssueType, Priority, StatusCategory, parse_enum
from tracker_gui.domain.models import IssueFilter
from tracker_gui.domain.query import Field, Node, Not, parse
from tracker_gui.errors import ValidationError
from tracker_gui.services import Services

_NONE = {"none", "nobody", "unassigned", "-"}
_YES = {"yes", "true", "1"}
# word -> (IssueFilter field, how to read the value); tuple fields collect repeats.
_WORDS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "status": ("status_names", str),
    "category": ("categories", lambda v: parse_enum(StatusCategory, v, "category")),
    "assignee": ("assignees", str),
    "reporter": ("reporters", str),
    "label": ("labels", str),
    "type": ("types", lambda v: parse_enum(IssueType, v, "type")),
    "priority": ("priorities", Priority.parse),
    "watcher": ("watched_by", str),
    "due-before": ("due_before", dt.date.fromisoformat),
    "overdue-on": ("overdue_on", dt.date.fromisoformat),
    "archived": ("include_archived", lambda v: v.casefold() in _YES),
}
HELP = "project:KEY " + " ".join(f"{w}:..." for w in _WORDS) + " and free text"


def parse_query(text: str) -> tuple[list[str], dict[str, Any]]:
    """The stopgap reader, kept for its callers: (project keys, IssueFilter keyword arguments)
    from `project:TRK status:"In Progress" bug`. Export now reads the query language."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ValidationError("query", f"cannot read the query: {exc}") from None
    projects: list[str] = []
    values: dict[str, Any] = {}
    free: list[str] = []
    for word in words:
        name, sep, value = word.partition(":")
        name = name.casefold()
        if not sep or not value or (name != "project" and name not in _WORDS):
            if sep and value and name.isidentifier() and not value.startswith("//"):
                raise ValidationError("query", f"unknown filter {name!r} (use: {HELP})")
            free.append(word)
            continue
        if name == "project":
            projects.append(value.upper())
            continue
        if name == "assignee" and value.casefold() in _NONE:
            values["unassigned"] = True
            continue
        target, read = _WORDS[name]
        try:
            parsed = read(value)
        except ValueError as exc:
            raise ValidationError("query", f"{name}:{value}: {exc}") from None
        if target in IssueFilter.__dataclass_fields__ and isinstance(
            IssueFilter.__dataclass_fields__[target].default, tuple
        ):
            values[target] = (*values.get(target, ()), parsed)
        else:
            values[target] = parsed
    if free:
        values["text"] = " ".join(free)
    return projects, values


# Stopgap words with no field of that name in the query language, and what they mean there.
_OLD_WORDS = re.compile(r"(?<![^\s(])(archived|due-before|overdue-on):([^\s()\"]+)", re.I)
_QUOTED = re.compile(r'("(?:\\.|[^"\\])*")')


def _modern(match: re.Match[str]) -> str:
    word, value = match.group(1).lower(), match.group(2)
    if word == "archived":
        return "is:archived" if value.casefold() in _YES else ""
    if word == "due-before":
        return f"due<{value}"
    return f"(due<{value} is:open)"


def to_query_language(text: str) -> str:
    """`archived:yes`, `due-before:D` and `overdue-on:D` rewritten; quoted text left alone."""
    parts = _QUOTED.split(text)
    return "".join(p if i % 2 else _OLD_WORDS.sub(_modern, p) for i, p in enumerate(parts))


def _fields(node: Node | None) -> list[Field]:
    if isinstance(node, Field):
        return [node]
    if isinstance(node, Not):
        return _fields(node.child)
    children = getattr(node, "children", ())
    return [f for child in children for f in _fields(child)]


def filter_from_query(services: Services, text: str) -> IssueFilter:
    """The IssueFilter a query means: a QueryError when it does not read, a NotFoundError for a
    project key that does not exist (a typo would otherwise export nothing, silently)."""
    query = to_query_language(text).strip()
    parsed = parse(query)
    for field in _fields(parsed.root):
        if field.name == "project":
            for key in field.values:
                services.projects.project(str(key))
    return IssueFilter(query=query)
