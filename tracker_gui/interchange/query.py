"""Export's --query: the query language, plus the words of the earlier stopgap syntax."""

from __future__ import annotations

import re

from tracker_gui.domain.models import IssueFilter
from tracker_gui.domain.query import Field, Node, Not, parse
from tracker_gui.services import Services

_YES = {"yes", "true", "1"}


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
