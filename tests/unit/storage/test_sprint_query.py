"""`sprint:` in the query language, pushed down to SQL on both backends."""

from __future__ import annotations

import pytest

from tests.unit.conftest import Board
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.domain.query import QueryError, parse
from tracker_gui.domain.query_fields import FIELDS, at_cursor


def _titles(board: Board, query: str) -> list[str]:
    found = board.services.issues.search(IssueFilter(query=query), sort="key")
    return [i.title for i in found]


@pytest.fixture
def planned(board: Board) -> Board:
    """TRK: Sprint 12 (active) holds a1, a2; Sprint 13 (planned) holds b; c is in the backlog.
    OPS: its own active sprint holds o; p is in its backlog."""
    services = board.services
    services.projects.ensure_project("OPS", "Operations")
    sprints = services.sprints
    sprints.add("TRK", "Sprint 12", "2026-01-05", "2026-01-16")
    sprints.add("TRK", "Sprint 13", "2026-01-19", "2026-01-30")
    sprints.add("OPS", "Ops week", "2026-01-05", "2026-01-09")
    made = {t: board.new(t) for t in ("a1", "a2", "b", "c")}
    made["o"] = services.issues.create(NewIssue("OPS", "o"))
    made["p"] = services.issues.create(NewIssue("OPS", "p"))
    sprints.set_sprint([made["a1"].id, made["a2"].id], "Sprint 12")
    sprints.set_sprint([made["b"].id], "sprint 13")
    sprints.set_sprint([made["o"].id], "Ops week")
    sprints.start("TRK", "Sprint 12")
    sprints.start("OPS", "Ops week")
    return board


def test_sprint_current_is_each_projects_active_sprint(planned: Board) -> None:
    assert sorted(_titles(planned, "sprint:current")) == ["a1", "a2", "o"]
    assert sorted(_titles(planned, "sprint:current project:OPS")) == ["o"]
    # Excluding keeps the backlog (no NULL trap).
    assert sorted(_titles(planned, "-sprint:current")) == ["b", "c", "p"]


def test_sprint_by_name_and_none(planned: Board) -> None:
    assert _titles(planned, 'sprint:"Sprint 12"') == ["a1", "a2"]
    assert _titles(planned, 'sprint:"sprint 13"') == ["b"]
    assert sorted(_titles(planned, "sprint:none")) == ["c", "p"]
    assert sorted(_titles(planned, 'sprint:none,"Sprint 13"')) == ["b", "c", "p"]
    assert _titles(planned, 'sprint:"No such sprint"') == []
    # Closing moves the unfinished out: `current` then finds none in TRK.
    planned.services.sprints.close("TRK", "Sprint 12", carry_to="Sprint 13")
    assert sorted(_titles(planned, "sprint:current")) == ["o"]
    assert sorted(_titles(planned, 'sprint:"Sprint 13"')) == ["a1", "a2", "b"]


def test_sprint_is_a_field_the_completer_offers() -> None:
    assert FIELDS["sprint"].words == ("current", "none")
    assert at_cursor("is:open sprint:cu", 17).field == "sprint"
    assert parse('sprint:"Sprint 12"').top_level()[0].values == ("Sprint 12",)  # type: ignore[union-attr]
    with pytest.raises(QueryError):
        parse("sprint:")
