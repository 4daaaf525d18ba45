"""The query language parser: what each text means, and where a bad one fails."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker_gui.domain.enums import IssueType, Priority, StatusCategory
from tracker_gui.domain.query import And, Field, Not, Or, QueryError, Text, parse, validate
from tracker_gui.domain.query_fields import FIELDS, DateValue, IssueKey, at_cursor, quote
from tracker_gui.errors import UserError


def only(text: str) -> Field:
    root = parse(text).root
    assert isinstance(root, Field)
    return root


@pytest.mark.parametrize(
    ("text", "name", "op", "values"),
    [
        ('status:"In Review"', "status", ":", ("In Review",)),
        ("status:done", "status", ":", ("done",)),
        ("assignee:me", "assignee", ":", ("me",)),
        ("assignee:NONE", "assignee", ":", ("none",)),
        ("reporter:bob", "reporter", ":", ("bob",)),
        ("label:bug", "label", ":", ("bug",)),
        ('label:ui,"needs review"', "label", ":", ("ui", "needs review")),
        ("type:bug", "type", ":", (IssueType.BUG,)),
        ("priority>=high", "priority", ">=", (Priority.HIGH,)),
        ("priority>high", "priority", ">", (Priority.HIGH,)),
        ("priority<Medium", "priority", "<", (Priority.MEDIUM,)),
        ("priority<=low", "priority", "<=", (Priority.LOW,)),
        ("priority=highest", "priority", "=", (Priority.HIGHEST,)),
        ("project:trk", "project", ":", ("TRK",)),
        ("key:TRK-12", "key", ":", (IssueKey("TRK", 12),)),
        ("due<2026-12-01", "due", "<", (DateValue(date=dt.date(2026, 12, 1)),)),
        ("due:overdue", "due", ":", (DateValue(word="overdue"),)),
        ("created>-7d", "created", ">", (DateValue(days=-7),)),
        ("updated<-30d", "updated", "<", (DateValue(days=-30),)),
        ("updated>=-2w", "updated", ">=", (DateValue(days=-14),)),
        ("due<+1w", "due", "<", (DateValue(days=7),)),
        ("is:open", "is", ":", ("open",)),
        ("has:due", "has", ":", ("due",)),
        ("watching:me", "watching", ":", ("me",)),
        ("watcher:me", "watching", ":", ("me",)),  # what older saved filters wrote
        ("parent:TRK-3", "parent", ":", (IssueKey("TRK", 3),)),
        ("blocks:trk-9", "blocks", ":", (IssueKey("TRK", 9),)),
        ("category:in-progress", "category", ":", (StatusCategory.IN_PROGRESS,)),
    ],
)
def test_every_field_reads_its_typed_values(
    text: str, name: str, op: str, values: tuple[object, ...]
) -> None:
    field = only(text)
    assert (field.name, field.op, field.values) == (name, op, values)
    assert (field.start, field.end) == (0, len(text))


def test_words_phrases_not_or_and_parentheses() -> None:
    query = parse('crash -"data loss" (ui OR -label:wontfix) AND login')
    root = query.root
    assert isinstance(root, And)
    crash, no_loss, group, login = root.children
    assert crash == Text("crash", False, 0, 5)
    assert isinstance(no_loss, Not) and no_loss.child == Text("data loss", True, 7, 18)
    assert isinstance(group, Or) and (group.start, group.end) == (19, 41)
    assert isinstance(group.children[1], Not)
    assert login == Text("login", False, 46, 51)
    assert [t.value for t in query.texts()] == ["crash", "ui", "login"]  # not the excluded
    assert query.has_text


def test_and_binds_tighter_than_or() -> None:
    root = parse("a OR b c").root
    assert isinstance(root, Or)
    assert isinstance(root.children[1], And)
    assert parse("a or b").root == And(
        (Text("a", False, 0, 1), Text("or", False, 2, 4), Text("b", False, 5, 6)), 0, 6
    ), "only upper-case OR is the operator"


def test_sort_and_archived_apply_to_the_whole_query() -> None:
    query = parse("is:archived login sort:-updated")
    assert (query.sort, query.include_archived) == ("-updated", True)
    assert parse("login").sort is None and not parse("login").include_archived
    assert parse("").root is None and parse("   ").root is None


def test_a_dash_inside_a_word_or_value_is_not_a_not() -> None:
    root = parse("e-mail key:TRK-1 - x").root
    assert isinstance(root, And)
    assert root.children[0] == Text("e-mail", False, 0, 6)
    assert root.children[2] == Text("-", False, 17, 18)


@pytest.mark.parametrize(
    ("text", "column", "reason"),
    [
        ("(status:done crash", 19, 'expected ")"'),
        ("status:done (crash", 19, 'expected ")"'),
        ("crash)", 6, 'unexpected ")"'),
        ("()", 2, 'expected a term before ")"'),
        ("crash OR", 9, "expected a term after OR"),
        ("OR crash", 1, "expected a term before OR"),
        ("crash AND", 10, "expected a term after AND"),
        ("crash NOT", 10, "expected a term after NOT"),
        ('title "unclosed', 7, "missing closing quote"),
        ('label:"unclosed', 7, "missing closing quote"),
        ("reporter:", 10, "reporter: needs a value"),
        ("label:a,,b", 9, "label: needs a value"),
        ("priority:urgent", 10, "unknown priority 'urgent'"),
        ("type:feature", 6, "unknown type 'feature'"),
        ("due<2026-13-01", 5, "not a calendar date"),
        ("due:someday", 5, "due:week or due:overdue"),
        ("created>yesterday", 9, "expected a date like 2026-12-01"),
        ("key:TRK12", 5, "not an issue key like TRK-12"),
        ("label>bug", 6, "label takes only label:"),
        ("priority>high,highest", 15, "priority> takes one value"),
        ("is:closedish", 4, "unknown is: value"),
        ("sort:colour", 6, "unknown sort order"),
        ("(sort:key OR a)", 2, "applies to the whole query"),
        ("-is:archived", 2, "applies to the whole query"),
        ("sort:key sort:-key", 10, "only one sort: term"),
        ("reporter:none", 10, "reporter:none is not supported"),
        ("a\x00b", 2, "NUL"),
    ],
)
def test_a_syntax_error_says_where_it_failed(text: str, column: int, reason: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert caught.value.column == column
    assert reason in str(caught.value)
    assert str(caught.value).startswith(f"col {column}: ")
    assert isinstance(caught.value, UserError)
    assert validate(text) == str(caught.value)


def test_an_unknown_field_lists_the_known_ones() -> None:
    with pytest.raises(QueryError) as caught:
        parse("crash colour:red")
    assert caught.value.column == 7
    assert "unknown field 'colour'" in str(caught.value)
    for name in FIELDS:
        assert name in str(caught.value)


def test_quotes_and_backslashes_in_values() -> None:
    assert only(r'label:"say \"hi\""').values == ('say "hi"',)
    assert only(r'label:"C:\\temp"').values == ("C:\\temp",)
    assert only(r"label:C:\temp").values == ("C:\\temp",)
    assert parse(r'"a \" b"').root == Text('a " b', True, 0, 8)
    for value in ("plain", "two words", 'q"uote', "back\\slash", "a,b", "x:y", "(p)", ""):
        assert only(f"label:{quote(value)}").values == (value,) if value else True


# -- completion: the token under the cursor ---------------------------------------------------
def test_the_cursor_token_is_a_field_name_or_one_value() -> None:
    text = 'crash sta label:ui,do -assignee:b status:"In R'
    name = at_cursor(text, 9)
    assert (name.start, name.end, name.field, name.prefix) == (6, 9, None, "sta")
    label = at_cursor(text, 21)
    assert (label.start, label.end, label.field, label.prefix) == (19, 21, "label", "do")
    who = at_cursor(text, 33)
    assert (who.start, who.field, who.prefix) == (32, "assignee", "b")
    status = at_cursor(text, len(text))
    assert (status.start, status.field, status.prefix) == (41, "status", '"In R')
    assert at_cursor("", 0).prefix == "" and at_cursor("watcher:m", 9).field == "watching"


@given(st.text(max_size=40))
def test_any_text_parses_or_fails_with_a_column_inside_it(text: str) -> None:
    try:
        parse(text)
    except QueryError as exc:
        assert 1 <= exc.column <= len(text) + 1
