"""The query language: a tokenizer and a parser into an AST (pure Python; storage compiles it)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from tracker_gui.domain.query_fields import (
    ALIASES,
    FIELD_START,
    FIELDS,
    MODIFIERS,
    known_fields,
    parse_value,
)
from tracker_gui.errors import UserError

_KEYWORDS = {"OR": "or", "AND": "and", "NOT": "not"}


class QueryError(UserError):
    """A query that cannot be read; `column` (1-based) is where reading failed."""

    def __init__(self, column: int, reason: str) -> None:
        super().__init__(f"col {column}: {reason}")
        self.column = column
        self.reason = reason


@dataclass(frozen=True, slots=True)
class QueryContext:
    """What a query is compiled against: who `me` is and which day it is."""

    me: str
    today: dt.date


# -- the AST: every node knows its span in the source (start inclusive, end exclusive) -------
@dataclass(frozen=True, slots=True)
class Text:
    value: str
    phrase: bool
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    op: str
    values: tuple[Any, ...]
    start: int
    end: int

    @property
    def is_modifier(self) -> bool:
        return self.name in MODIFIERS or (self.name == "is" and self.values == ("archived",))


@dataclass(frozen=True, slots=True)
class Not:
    child: Node
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]
    start: int
    end: int


Node = Text | Field | Not | And | Or


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: the condition tree plus what applies to the whole query."""

    source: str
    root: Node | None
    sort: str | None = None
    include_archived: bool = False

    def top_level(self) -> tuple[Node, ...]:
        """The terms joined by the outermost AND (one term when there is no AND)."""
        if self.root is None:
            return ()
        return self.root.children if isinstance(self.root, And) else (self.root,)

    def texts(self) -> list[Text]:
        """Words and phrases that must match (not under a `-`): what ranking uses."""
        return list(_positive(self.root))

    @property
    def has_text(self) -> bool:
        return bool(self.texts())


def _positive(node: Node | None) -> Iterator[Text]:
    if isinstance(node, Text):
        yield node
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from _positive(child)


# -- tokens ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # word, phrase, field, lparen, rparen, or, and, not, eof
    start: int
    end: int
    text: str = ""
    name: str = ""
    op: str = ""
    values: tuple[tuple[str, int], ...] = ()  # (raw value, offset) for a field


def _read_quoted(source: str, i: int) -> tuple[str, int]:
    """The text of the quoted string opening at `i` and the offset after its closing quote."""
    out: list[str] = []
    j = i + 1
    while j < len(source):
        char = source[j]
        if char == "\\" and j + 1 < len(source) and source[j + 1] in '"\\':
            out.append(source[j + 1])
            j += 2
            continue
        if char == '"':
            return "".join(out), j + 1
        out.append(char)
        j += 1
    raise QueryError(i + 1, 'missing closing quote (")')


def _bare_end(source: str, i: int, stops: str) -> int:
    while i < len(source) and not source[i].isspace() and source[i] not in stops:
        i += 1
    return i


def _read_field(source: str, start: int, found: re.Match[str]) -> Token:
    values: list[tuple[str, int]] = []
    j = found.end()
    while True:
        if j < len(source) and source[j] == '"':
            text, after = _read_quoted(source, j)
            values.append((text, j))
            j = after
        else:
            after = _bare_end(source, j, '(),"')
            values.append((source[j:after], j))
            j = after
        if j < len(source) and source[j] == ",":
            j += 1
            continue
        break
    name, op = found.group(1), found.group(2)
    return Token("field", start, j, source[start:j], name, op, tuple(values))


def tokenize(source: str) -> list[Token]:
    """Tokens ending with an `eof` token; a missing closing quote is a QueryError."""
    if "\x00" in source:
        raise QueryError(source.index("\x00") + 1, "the query contains a NUL character")
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(Token("lparen" if char == "(" else "rparen", i, i + 1, char))
            i += 1
        elif char == "-" and i + 1 < n and not source[i + 1].isspace() and source[i + 1] != ")":
            tokens.append(Token("not", i, i + 1, char))
            i += 1
        elif char == '"':
            text, end = _read_quoted(source, i)
            tokens.append(Token("phrase", i, end, text))
            i = end
        elif found := FIELD_START.match(source, i):
            tokens.append(_read_field(source, i, found))
            i = tokens[-1].end
        else:
            end = _bare_end(source, i, '()"')
            word = source[i:end]
            tokens.append(Token(_KEYWORDS.get(word, "word"), i, end, word))
            i = end
    tokens.append(Token("eof", n, n))
    return tokens


# -- the parser ------------------------------------------------------------------------------
class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.pos = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.pos]

    def fail(self, token: Token, reason: str) -> QueryError:
        return QueryError(token.start + 1, reason)

    def ends_term(self) -> bool:
        return self.token.kind in ("eof", "rparen", "or", "and")

    def parse(self) -> Node | None:
        if self.token.kind == "eof":
            return None
        node = self.parse_or()
        if self.token.kind == "rparen":
            raise self.fail(self.token, 'unexpected ")" (no "(" to close)')
        return node

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while self.token.kind == "or":
            self.pos += 1
            if self.ends_term():
                raise self.fail(self.token, "expected a term after OR")
            items.append(self.parse_and())
        if len(items) == 1:
            return items[0]
        return Or(tuple(items), items[0].start, items[-1].end)

    def parse_and(self) -> Node:
        items: list[Node] = []
        while True:
            if self.token.kind == "and":
                if not items:
                    raise self.fail(self.token, "expected a term before AND")
                self.pos += 1
                if self.ends_term():
                    raise self.fail(self.token, "expected a term after AND")
            if self.ends_term():
                break
            items.append(self.parse_unary())
        if not items:
            token = self.token
            if token.kind == "or":
                raise self.fail(token, "expected a term before OR")
            if token.kind == "rparen":
                raise self.fail(token, 'expected a term before ")"')
            raise self.fail(token, "expected a term")
        if len(items) == 1:
            return items[0]
        return And(tuple(items), items[0].start, items[-1].end)

    def parse_unary(self) -> Node:
        token = self.token
        if token.kind == "not":
            self.pos += 1
            if self.ends_term():
                raise self.fail(self.token, f"expected a term after {token.text}")
            child = self.parse_unary()
            return Not(child, token.start, child.end)
        return self.parse_primary()

    def parse_primary(self) -> Node:
        token = self.token
        self.pos += 1
        if token.kind == "lparen":
            if self.token.kind == "rparen":
                raise self.fail(self.token, 'expected a term before ")"')
            inner = self.parse_or()
            if self.token.kind != "rparen":
                raise self.fail(self.token, 'expected ")"')
            close = self.token
            self.pos += 1
            return replace(inner, start=token.start, end=close.end)
        if token.kind in ("word", "phrase"):
            return Text(token.text, token.kind == "phrase", token.start, token.end)
        return self.field(token)

    def field(self, token: Token) -> Field:
        typed = token.name.lower()
        name = ALIASES.get(typed, typed)
        spec = FIELDS.get(name)
        if spec is None:
            raise self.fail(token, f"unknown field {typed!r} (known fields: {known_fields()})")
        if token.op not in spec.ops:
            ops = " ".join(f"{name}{op}" for op in spec.ops if op != "=")
            raise QueryError(token.start + len(token.name) + 1, f"{name} takes only {ops}")
        if len(token.values) > 1 and (not spec.many or token.op not in (":", "=")):
            raise QueryError(token.values[1][1] + 1, f"{name}{token.op} takes one value")
        values: list[Any] = []
        for raw, offset in token.values:
            if not raw.strip():
                raise QueryError(offset + 1, f"{name}{token.op} needs a value")
            try:
                values.append(parse_value(name, raw.strip()))
            except ValueError as exc:
                raise QueryError(offset + 1, f"{name}: {exc}") from None
        return Field(name, token.op, tuple(values), token.start, token.end)


def _modifiers(node: Node | None, top: bool = True) -> Iterator[tuple[Field, bool]]:
    """Every `sort:` / `is:archived` term, and whether it stands at the top level (in ANDs only)."""
    if isinstance(node, Field) and node.is_modifier:
        yield node, top
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from _modifiers(child, top and isinstance(node, And))
    elif isinstance(node, Not):
        yield from _modifiers(node.child, False)


def _check_modifiers(root: Node | None) -> tuple[str | None, bool]:
    """The query's sort and whether it includes archived issues; misplaced ones are errors."""
    sort: str | None = None
    archived = False
    for node, top in _modifiers(root):
        if not top:
            raise QueryError(
                node.start + 1,
                f"{node.name}:{node.values[0]} applies to the whole query: "
                "put it outside OR, - and parentheses",
            )
        if node.name == "sort":
            if sort is not None:
                raise QueryError(node.start + 1, "only one sort: term")
            sort = str(node.values[0])
        else:
            archived = True
    return sort, archived


@functools.lru_cache(maxsize=256)
def parse(source: str) -> Query:
    """The Query a text means; a QueryError points at the column where reading failed.

        status:"In Review" assignee:me priority>=high -label:wontfix (crash OR "data loss")

    Terms side by side must all hold (AND binds tighter than OR); `OR` (upper case) joins
    alternatives; parentheses group; `-` before a term, phrase or group excludes it. Bare
    words and "exact phrases" search titles, descriptions and comments. `field:a,b` means
    either value. `sort:` and `is:archived` apply to the whole query: top level only.
    """
    root = _Parser(source).parse()
    sort, archived = _check_modifiers(root)
    return Query(source, root, sort, archived)


def validate(source: str) -> str | None:
    """The error message of `source`, or None when it reads."""
    try:
        parse(source)
    except QueryError as exc:
        return str(exc)
    return None
