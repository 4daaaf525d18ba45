"""Sprints on both backends: plan, start with its scope, close with carry-over, and the log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.unit.conftest import Board
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.domain.sprints import SprintState
from tracker_gui.errors import NotFoundError, UserError, ValidationError


def _log(board: Board, field: str) -> list[tuple[Any, ...]]:
    """(issue id, old, new) of every Change row of `field`, oldest first."""
    rows = board.services.database.peewee.execute_sql(
        "SELECT issue_id, old, new FROM change WHERE field = "
        + board.services.database.peewee.param
        + " ORDER BY id",
        (field,),
    ).fetchall()
    return [tuple(r) for r in rows]


def test_add_checks_name_and_dates(board: Board) -> None:
    sprints = board.services.sprints
    made = sprints.add("TRK", "Sprint 12", "2026-01-05", "2026-01-16", goal="Ship it")
    assert (made.name, made.start, made.end, made.goal) == (
        "Sprint 12",
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 16),
        "Ship it",
    )
    assert made.state is SprintState.PLANNED and made.scope_start is None
    with pytest.raises(ValidationError, match="already has a sprint"):
        sprints.add("TRK", "sprint 12", "2026-01-05", "2026-01-16")
    with pytest.raises(ValidationError, match="before it starts"):
        sprints.add("TRK", "Sprint 13", "2026-01-16", "2026-01-15")
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        sprints.add("TRK", "Sprint 13", "16/01/2026", "2026-01-20")
    # One day is a sprint: both ends count.
    assert sprints.add("TRK", "Day", "2026-02-01", "2026-02-01").end == dt.date(2026, 2, 1)
    assert [s.name for s in sprints.sprints("TRK")] == ["Sprint 12", "Day"]


def test_one_active_sprint_per_project(board: Board) -> None:
    sprints = board.services.sprints
    sprints.add("TRK", "A", "2026-01-05", "2026-01-16")
    sprints.add("TRK", "B", "2026-01-19", "2026-01-30")
    sprints.start("TRK", "a")
    with pytest.raises(UserError, match="'A' is already active in TRK"):
        sprints.start("TRK", "B")
    assert sprints.find("TRK", "B").state is SprintState.PLANNED
    with pytest.raises(NotFoundError, match="no sprint 'C' in TRK"):
        sprints.start("TRK", "C")


def test_the_done_when_flow_records_scope_and_history(board: Board) -> None:
    """Five issues, started, three done, closed with the other two carried to the next."""
    services = board.services
    sprints = services.sprints
    first = sprints.add("TRK", "Sprint 1", "2026-01-05", "2026-01-16")
    second = sprints.add("TRK", "Sprint 2", "2026-01-19", "2026-01-30")
    issues = [board.new(f"Issue {n}") for n in range(1, 6)]
    outside = board.new("Not planned")
    planned = sprints.set_sprint([i.id for i in issues], "Sprint 1")
    assert [i.version for i in planned] == [2] * 5  # a planned issue is a changed issue
    started = sprints.start("TRK", "Sprint 1")
    assert started.state is SprintState.ACTIVE and started.scope_start == 5
    assert started.started_at is not None
    done = board.status("Done").id
    for issue in issues[:3]:
        services.issues.move(issue.id, board.get(issue).version, done)
    closed = sprints.close("TRK", "Sprint 1", carry_to="Sprint 2")
    assert (closed.sprint.scope_start, closed.sprint.scope_close, closed.sprint.done_close) == (
        5,
        5,
        3,
    )
    assert closed.sprint.state is SprintState.CLOSED and closed.sprint.closed_at is not None
    assert closed.moved == (issues[3].key, issues[4].key) and closed.carried_to == "Sprint 2"
    names = sprints.names_of([i.id for i in [*issues, outside]])
    assert [names[i.id] for i in issues] == ["Sprint 1"] * 3 + ["Sprint 2"] * 2
    assert names[outside.id] is None
    a, b = str(first.id), str(second.id)
    assert _log(board, "sprint") == [(i.id, None, a) for i in issues] + [
        (issues[3].id, a, b),
        (issues[4].id, a, b),
    ]
    assert _log(board, "sprint_state") == [
        (None, None, "planned"),  # each add is a project row, so other windows see it
        (None, None, "planned"),
        (None, "planned", "active"),
        (None, "active", "closed"),
    ]
    assert [s.issues for s in sprints.sprints("TRK")] == [3, 2]


def test_close_to_the_backlog_and_refusals(board: Board) -> None:
    sprints = board.services.sprints
    sprints.add("TRK", "A", "2026-01-05", "2026-01-16")
    sprints.add("TRK", "B", "2026-01-19", "2026-01-30")
    one = board.new("One")
    sprints.set_sprint([one.id], "A")
    with pytest.raises(UserError, match="has not started"):
        sprints.close("TRK", "A")
    sprints.start("TRK", "A")
    with pytest.raises(ValidationError, match="cannot stay"):
        sprints.close("TRK", "A", carry_to="A")
    closed = sprints.close("TRK", "A")
    assert closed.carried_to is None and closed.moved == (one.key,)
    assert sprints.names_of([one.id]) == {one.id: None}
    with pytest.raises(ValidationError, match="is closed"):
        sprints.set_sprint([one.id], "A")
    # Removing from a sprint is the backlog; unchanged issues are no change.
    sprints.set_sprint([one.id], "B")
    sprints.set_sprint([one.id], "")
    sprints.set_sprint([one.id], None)
    assert _log(board, "sprint")[-2:] == [
        (one.id, None, str(sprints.find("TRK", "B").id)),
        (one.id, str(sprints.find("TRK", "B").id), None),
    ]


def test_an_issue_made_straight_into_a_sprint(board: Board) -> None:
    sprints = board.services.sprints
    sprint = sprints.add("TRK", "A", "2026-01-05", "2026-01-16")
    made = sprints.create_in(board.services.issues, NewIssue("TRK", "Planned"), "A")
    assert sprints.names_of([made.id]) == {made.id: "A"}
    assert (made.id, None, str(sprint.id)) in _log(board, "sprint")
    with pytest.raises(NotFoundError):
        sprints.create_in(board.services.issues, NewIssue("TRK", "Nowhere"), "Zzz")
    titles = [i.title for i in board.services.issues.search(IssueFilter())]
    assert titles == ["Planned"]  # the refused one was never made


def test_a_bulk_plan_is_one_transaction_with_a_row_per_issue(board: Board) -> None:
    sprints = board.services.sprints
    sprints.add("TRK", "Big", "2026-01-05", "2026-01-16")
    made = [board.new(f"Issue {n}", description=f"text {n}") for n in range(30)]
    done = sprints.set_sprint([i.id for i in made], "Big")
    assert [(i.id, i.description, i.version) for i in done] == [
        (i.id, i.description, 2) for i in made
    ]
    rows = _log(board, "sprint")
    assert len(rows) == 30 and {r[2] for r in rows} == {str(sprints.find("TRK", "Big").id)}
    sets = board.services.database.peewee.execute_sql(
        "SELECT count(DISTINCT change_set) FROM change WHERE field = 'sprint'"
    ).fetchone()
    assert sets[0] == 1  # one action: one notification, one undo step
    assert sprints.find("TRK", "big").issues == 30
