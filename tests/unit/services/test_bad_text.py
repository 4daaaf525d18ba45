"""NUL, lone surrogates (what invalid UTF-8 becomes in Python) and huge text in every text
field a service takes: a ValidationError naming the field, and nothing stored. Both backends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.unit.conftest import Board
from tests.unit.helpers import row_counts
from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import NewIssue
from tracker_gui.errors import ValidationError

BAD = {
    "NUL": "before\x00after",
    "lone surrogate": "caf\udce9",  # b"caf\xe9" read with errors="surrogateescape"
    "high surrogate": "x\ud800y",
}
MESSAGES = {"NUL": "contains a NUL character", "lone surrogate": "invalid character at position 3",
            "high surrogate": "invalid character at position 1"}  # fmt: skip

Write = Callable[[Board, str], Any]


def _issue(board: Board) -> int:
    return board.new("target").id


FIELDS: dict[str, Write] = {
    "issue title": lambda b, t: b.new(t),
    "issue description": lambda b, t: b.new("ok", description=t),
    "issue label": lambda b, t: b.new("ok", labels=(t,)),
    "edited title": lambda b, t: b.services.issues.edit(1, 1, {"title": t}),
    "edited description": lambda b, t: b.services.issues.edit(1, 1, {"description": t}),
    "edited labels": lambda b, t: b.services.issues.edit(1, 1, {"labels": [t]}),
    "comment": lambda b, t: b.services.issues.comment(1, t),
    "attachment name": lambda b, t: b.services.issues.attach(1, t, b"data"),
    "project name": lambda b, t: b.services.projects.ensure_project("NEW", t),
    "project rename": lambda b, t: b.services.projects.update_project("TRK", t),
    "project description": lambda b, t: b.services.projects.update_project("TRK", "Tr", t),
    "status name": lambda b, t: b.services.projects.add_status(
        b.project.id, t, StatusCategory.TODO
    ),
    "label name": lambda b, t: b.services.projects.ensure_label(b.project.id, t),
    "user display name": lambda b, t: b.services.projects.ensure_user("zed", t),
    "user email": lambda b, t: b.services.projects.ensure_user("zed", "Zed", t),
    "saved filter name": lambda b, t: b.services.projects.save_filter(t, "is:open"),
    "saved filter query": lambda b, t: b.services.projects.save_filter("mine", t),
}


@pytest.mark.parametrize("bad", list(BAD))
@pytest.mark.parametrize("field", list(FIELDS))
def test_bad_characters_in_every_text_field_are_refused(board: Board, field: str, bad: str) -> None:
    board.new("the issue edits and comments go to")
    before = row_counts(board.services)
    with pytest.raises(ValidationError) as caught:
        FIELDS[field](board, BAD[bad])
    assert MESSAGES[bad] in str(caught.value)
    assert row_counts(board.services) == before


def test_a_10_mb_description_is_refused_with_its_size(board: Board) -> None:
    before = row_counts(board.services)
    huge = "x" * 10_000_000
    with pytest.raises(ValidationError) as caught:
        board.services.issues.create(NewIssue("TRK", "huge", description=huge))
    assert str(caught.value) == "description is 10,000,000 bytes; the limit is 1,000,000"
    assert caught.value.field == "description"
    issue = board.new("small")
    before = row_counts(board.services)
    with pytest.raises(ValidationError, match="10,000,000 bytes"):
        board.services.issues.edit(issue.id, issue.version, {"description": huge})
    with pytest.raises(ValidationError, match="comment is 10,000,000 bytes"):
        board.services.issues.comment(issue.id, huge)
    assert row_counts(board.services) == before
    # Just under the limit is fine: the limit is the rule, not a symptom of a crash.
    board.services.issues.edit(issue.id, issue.version, {"description": "y" * 1_000_000})
    assert len(board.get(issue).description) == 1_000_000
