"""Compile a parsed query into a peewee WHERE (bound parameters only), with FTS5 or tsvector."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from peewee import JOIN, SQL, Expression, Table, fn

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.query import And, Field, Node, Not, Or, Query, QueryContext, Text
from tracker_gui.domain.query_fields import CURRENT, ME, NONE, DateValue, IssueKey
from tracker_gui.storage import time_sql
from tracker_gui.storage.tables import (
    IssueLabelRow,
    IssueRow,
    LabelRow,
    LinkRow,
    ProjectRow,
    SprintRow,
    StatusRow,
    UserRow,
    WatcherRow,
)

# Text search reads `issue_fts` (SQLite FTS5, porter + unicode61) or `issue_search` (a
# PostgreSQL tsvector, 'english'); migration 0002 made both and the triggers that keep them.
# Both engines get the same words: a typed word or phrase is cut into its letter/digit runs
# here and English stop words are dropped on both, so a query finds the same issues on each.
FTS: Any = Table("issue_fts", ("rowid",))
SEARCH: Any = Table("issue_search", ("issue_id", "document"))
# bm25 weights of the FTS5 columns in their order (description, title, comments, since
# migration 10): a title hit ranks first.
BM25 = 'bm25("issue_fts", 4.0, 10.0, 1.0)'
ENGLISH = SQL("'english'::regconfig")
# PostgreSQL's english.stop (Snowball): dropped on SQLite too, so both find the same.
_STOP_TEXT = (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his "
    "himself she her hers herself it its itself they them their theirs themselves what which "
    "who whom this that these those am is are was were be been being have has had having do "
    "does did doing a an the and but if or because as until while of at by for with about "
    "against between into through during before after above below to from up down in out on "
    "off over under again further then once here there when where why how all any both each "
    "few more most other some such no nor not only own same so than too very s t can will "
    "just don should now"
)
STOPWORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[^\W_]+")
_ORDER_OPS = {">": "__gt__", ">=": "__ge__", "<": "__lt__", "<=": "__le__"}


def words_of(text: str) -> list[str]:
    """The letter/digit runs of `text`, lower case: what both backends index."""
    return [w.lower() for w in _WORD.findall(text)]


def phrase_of(node: Text) -> str | None:
    """The quoted phrase both engines read safely, or None when nothing searchable is left."""
    found = words_of(node.value)
    if not node.phrase and len(found) == 1 and found[0] in STOPWORDS:
        return None
    if not found or all(w in STOPWORDS for w in found):
        return None
    # Only letters and digits inside the quotes: no operator of either engine can appear.
    return '"' + " ".join(found) + '"'


def _text_match(phrases: list[str], either: bool, postgres: bool) -> Any:
    if postgres:
        tsquery = fn.websearch_to_tsquery(ENGLISH, (" or " if either else " ").join(phrases))
        found = SEARCH.select(SEARCH.issue_id).where(Expression(SEARCH.document, "@@", tsquery))
    else:
        match = (" OR " if either else " ").join(phrases)
        found = FTS.select(FTS.rowid).where(SQL('"issue_fts" MATCH ?', [match]))
    return IssueRow.id.in_(found)


def _combine(parts: list[Any], either: bool) -> Any | None:
    if not parts:
        return None
    out = parts[0]
    for part in parts[1:]:
        out = (out | part) if either else (out & part)
    return out


def _users(names: list[str]) -> Any:
    return UserRow.select(UserRow.id).where(fn.lower(UserRow.username).in_(names))


def _issue_ids(keys: list[IssueKey]) -> Any:
    keyed = IssueRow.alias("keyed_issue")
    conds = [
        (keyed.number == k.number)
        & keyed.project.in_(ProjectRow.select(ProjectRow.id).where(ProjectRow.key == k.project))
        for k in keys
    ]
    return keyed.select(keyed.id).where(_combine(conds, either=True))


def _statuses(cond: Any) -> Any:
    return IssueRow.status.in_(StatusRow.select(StatusRow.id).where(cond))


def _status_named(value: str) -> Any:
    """Statuses with that name; a category's own word (todo, in_progress or in-progress, done)
    also means every status of that category ("In Progress", with a space, is a name only)."""
    name = value.lower()
    named = fn.lower(StatusRow.name) == name
    category = name.replace("-", "_")
    if category not in set(StatusCategory):
        return named
    return named | (StatusRow.category == category)


def _next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=7 - today.weekday())


class Compiler:
    """Turns one Query's nodes into peewee expressions; None means "no condition"."""

    def __init__(self, ctx: QueryContext, postgres: bool) -> None:
        self.ctx = ctx
        self.postgres = postgres

    def node(self, node: Node) -> Any | None:
        if isinstance(node, Text):
            phrase = phrase_of(node)
            return None if phrase is None else _text_match([phrase], False, self.postgres)
        if isinstance(node, Not):
            inner = self.node(node.child)
            return None if inner is None else ~inner
        if isinstance(node, And | Or):
            return self.group(node)
        return self.field(node)

    def group(self, node: And | Or) -> Any | None:
        either = isinstance(node, Or)
        # The words of one AND (or one OR) go to the engine as one full-text query.
        phrases = [p for c in node.children if isinstance(c, Text) and (p := phrase_of(c))]
        parts = [self.node(c) for c in node.children if not isinstance(c, Text)]
        found = [p for p in parts if p is not None]
        if phrases:
            found.insert(0, _text_match(phrases, either, self.postgres))
        return _combine(found, either)

    def _who(self, values: tuple[Any, ...]) -> list[str]:
        return [(self.ctx.me if v == ME else str(v)).lower() for v in values if v != NONE]

    def field(self, node: Field) -> Any | None:
        name, op, values = node.name, node.op, node.values
        if node.is_modifier:
            return None
        if name == "status":
            return _statuses(_combine([_status_named(str(v)) for v in values], either=True))
        if name == "category":
            return _statuses(StatusRow.category.in_([v.value for v in values]))
        if name == "assignee":
            parts = []
            if NONE in values:
                parts.append(IssueRow.assignee.is_null())
            if who := self._who(values):
                parts.append(IssueRow.assignee.is_null(False) & IssueRow.assignee.in_(_users(who)))
            return _combine(parts, either=True)
        if name == "reporter":
            return IssueRow.reporter.in_(_users(self._who(values)))
        # Nested id lists: the few labels or users first, then the (label, issue) and
        # (user, issue) indexes, never a scan of every issue's labels.
        if name == "watching":
            watchers = WatcherRow.user.in_(_users(self._who(values)))
            return IssueRow.id.in_(WatcherRow.select(WatcherRow.issue).where(watchers))
        if name == "label":
            names = [str(v).lower() for v in values]
            labels = LabelRow.select(LabelRow.id).where(fn.lower(LabelRow.name).in_(names))
            tagged = IssueLabelRow.select(IssueLabelRow.issue).where(
                IssueLabelRow.label.in_(labels)
            )
            return IssueRow.id.in_(tagged)
        if name == "type":
            return IssueRow.type.in_([v.value for v in values])
        if name == "priority":
            if op in (":", "="):
                return IssueRow.priority.in_([int(v) for v in values])
            return getattr(IssueRow.priority, _ORDER_OPS[op])(int(values[0]))
        if name == "project":
            keys = [str(v) for v in values]
            return IssueRow.project.in_(
                ProjectRow.select(ProjectRow.id).where(ProjectRow.key.in_(keys))
            )
        if name == "key":
            return IssueRow.id.in_(_issue_ids(list(values)))
        if name == "parent":
            parents = _issue_ids(list(values))
            return IssueRow.parent.is_null(False) & IssueRow.parent.in_(parents)
        if name == "blocks":
            blocking = LinkRow.select(LinkRow.source).where(
                (LinkRow.kind == "blocks") & LinkRow.target.in_(_issue_ids(list(values)))
            )
            return IssueRow.id.in_(blocking)
        if name == "sprint":
            return self.sprint(values)
        if name == "due":
            return self.due(op, values[0])
        if name in ("created", "updated"):
            column = IssueRow.created_at if name == "created" else IssueRow.updated_at
            return _day_compare(column, op, values[0].on(self.ctx.today))
        if name == "is":
            done = StatusRow.category == StatusCategory.DONE.value
            return _statuses(~done if values[0] == "open" else done)
        if name == "has":
            return self.has(str(values[0]))
        if name in ("logged", "remaining"):
            spent = time_sql.logged() if name == "logged" else time_sql.remaining()
            return getattr(spent, _ORDER_OPS.get(op, "__eq__"))(time_sql.minutes_of(values[0]))
        raise AssertionError(f"no compiler for {name}")  # the parser knows no other field

    def sprint(self, values: tuple[Any, ...]) -> Any:
        """A name (any case), `current` (an issue joins only its own project's sprints, and a
        project has one active at most: any active sprint is its project's) or `none`."""
        parts = [IssueRow.sprint.is_null()] if NONE in values else []
        chosen = [SprintRow.state == "active"] if CURRENT in values else []
        names = [str(v).lower() for v in values if v not in (NONE, CURRENT)]
        if names:
            chosen.append(fn.lower(SprintRow.name).in_(names))
        if chosen:
            ids = SprintRow.select(SprintRow.id).where(_combine(chosen, either=True))
            # Not NULL first, as `parent:`: `-sprint:x` then keeps the backlog's issues.
            parts.append(IssueRow.sprint.is_null(False) & IssueRow.sprint.in_(ids))
        return _combine(parts, either=True)

    def due(self, op: str, value: DateValue) -> Any:
        today = self.ctx.today
        known = IssueRow.due.is_null(False)
        if value.word == "overdue":
            open_ = _statuses(StatusRow.category != StatusCategory.DONE.value)
            return known & (IssueRow.due < today) & open_
        if value.word == "week":
            return known & (IssueRow.due < _next_monday(today))
        day = value.on(today)
        if op in (":", "="):
            return known & (IssueRow.due == day)
        return known & getattr(IssueRow.due, _ORDER_OPS[op])(day)

    def has(self, what: str) -> Any:
        if what == "label":
            return IssueRow.id.in_(IssueLabelRow.select(IssueLabelRow.issue))
        if what == "description":
            return IssueRow.description != ""
        column: Any = {"due": IssueRow.due, "assignee": IssueRow.assignee,
                       "parent": IssueRow.parent, "estimate": IssueRow.estimate}[what]  # fmt: skip
        return column.is_null(False)


def _day_compare(column: Any, op: str, day: dt.date) -> Any:
    """A time column against a whole day: `>` is after that day, `<` before it."""
    start = dt.datetime.combine(day, dt.time())
    after = start + dt.timedelta(days=1)
    if op in (":", "="):
        return (column >= start) & (column < after)
    return {
        ">": column >= after,
        ">=": column >= start,
        "<": column < start,
        "<=": column < after,
    }[op]


def compile_query(query: Query, ctx: QueryContext, postgres: bool) -> Any | None:
    """The WHERE condition the query means (None: it narrows nothing)."""
    return None if query.root is None else Compiler(ctx, postgres).node(query.root)


def _wanted(node: Node | None, postgres: bool) -> Any | None:
    """The words of the tree with its ANDs and ORs (what is excluded or is a field left out):
    an FTS5 query string, or a tsquery expression."""
    if isinstance(node, Text):
        phrase = phrase_of(node)
        if phrase is None or not postgres:
            return phrase
        return fn.websearch_to_tsquery(ENGLISH, phrase)
    if not isinstance(node, And | Or):
        return None
    parts = [p for child in node.children if (p := _wanted(child, postgres)) is not None]
    if len(parts) <= 1:
        return parts[0] if parts else None
    either = isinstance(node, Or)
    if postgres:
        out = parts[0]
        for part in parts[1:]:
            out = Expression(out, "||" if either else "&&", part)
        return out
    return "(" + (" OR " if either else " ").join(parts) + ")"


def requires_words(query: Query) -> bool:
    """Whether every issue the query finds must hold some word of it (a word alone, or one
    beside other terms joined by AND): then its few full-text hits are where to start."""
    node = query.root
    if isinstance(node, Text):
        return phrase_of(node) is not None
    return isinstance(node, And) and any(
        isinstance(child, Text) and phrase_of(child) is not None for child in node.children
    )


def ranked(select: Any, query: Query, postgres: bool) -> Any | None:
    """`select` ordered by relevance to the query's words (bm25 | ts_rank), else None.

    Only issues that match the words are scored (the same AND/OR shape as the query), so a
    two-word search scores its few hits rather than every issue holding either word.
    """
    wanted = _wanted(query.root, postgres)
    if wanted is None:
        return None
    if postgres:
        scores = SEARCH.select(
            SEARCH.issue_id.alias("rid"), fn.ts_rank(SEARCH.document, wanted).alias("score")
        ).where(Expression(SEARCH.document, "@@", wanted))
    else:
        scores = FTS.select(FTS.rowid.alias("rid"), SQL(BM25).alias("score")).where(
            SQL('"issue_fts" MATCH ?', [wanted])
        )
    source = scores.alias("ranked")
    # bm25 is best when lowest, ts_rank when highest; unscored rows (an OR's other side) last.
    best_first = (
        fn.coalesce(source.c.score, -1.0).desc() if postgres else fn.coalesce(source.c.score, 1e9)
    )
    return select.join(source, JOIN.LEFT_OUTER, on=(IssueRow.id == source.c.rid)).order_by(
        best_first, ProjectRow.key, IssueRow.number
    )
