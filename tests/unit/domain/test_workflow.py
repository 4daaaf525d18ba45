"""Workflow rules: board order, finding statuses, and which moves a project allows."""

from __future__ import annotations

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Status, Transition
from tracker_gui.domain.workflow import DEFAULT_WORKFLOW, Workflow

TODO = Status(11, 1, "To Do", StatusCategory.TODO, 0)
DOING = Status(12, 1, "In Progress", StatusCategory.IN_PROGRESS, 1)
REVIEW = Status(13, 1, "In Review", StatusCategory.IN_PROGRESS, 2)
DONE = Status(14, 1, "Done", StatusCategory.DONE, 3)


def test_default_workflow_runs_from_todo_to_done() -> None:
    assert [name for name, _ in DEFAULT_WORKFLOW] == ["To Do", "In Progress", "In Review", "Done"]
    assert DEFAULT_WORKFLOW[0][1] is StatusCategory.TODO
    assert DEFAULT_WORKFLOW[-1][1] is StatusCategory.DONE


def test_statuses_are_in_board_order_whatever_the_input_order() -> None:
    flow = Workflow([DONE, REVIEW, TODO, DOING], [])
    assert [s.name for s in flow.statuses] == ["To Do", "In Progress", "In Review", "Done"]
    assert flow.initial == TODO
    assert flow.status(13) == REVIEW


def test_equal_positions_fall_back_to_id_order() -> None:
    a = Status(7, 1, "A", StatusCategory.TODO, 0)
    b = Status(3, 1, "B", StatusCategory.TODO, 0)
    assert [s.name for s in Workflow([a, b], []).statuses] == ["B", "A"]


def test_find_by_name_ignores_case_then_falls_back_to_category() -> None:
    flow = Workflow([TODO, DOING, REVIEW, DONE], [])
    assert flow.find("in review") == REVIEW
    assert flow.find("  DONE ") == DONE
    # No status is called "in progress"-the-category's name twice: the first of the category wins.
    assert flow.find("in_progress") == DOING
    assert flow.find("In Progress") == DOING
    assert flow.find("todo") == TODO
    assert flow.find("blocked") is None


def test_without_transitions_every_move_is_allowed() -> None:
    flow = Workflow([TODO, DOING, REVIEW, DONE], [])
    assert not flow.restricted
    assert all(flow.allows(a.id, b.id) for a in flow.statuses for b in flow.statuses)
    assert [s.name for s in flow.targets(TODO.id)] == ["In Progress", "In Review", "Done"]


def test_transitions_restrict_moves_but_staying_put_is_always_allowed() -> None:
    flow = Workflow(
        [TODO, DOING, REVIEW, DONE],
        [Transition(1, TODO.id, DOING.id), Transition(1, DOING.id, DONE.id)],
    )
    assert flow.restricted
    assert flow.allows(TODO.id, DOING.id)
    assert flow.allows(DOING.id, DONE.id)
    assert not flow.allows(TODO.id, DONE.id)
    assert not flow.allows(DOING.id, TODO.id)
    assert flow.allows(DONE.id, DONE.id)
    assert [s.name for s in flow.targets(TODO.id)] == ["In Progress"]
    assert flow.targets(DONE.id) == []


def test_neighbour_steps_along_the_board_and_stops_at_the_ends() -> None:
    flow = Workflow([TODO, DOING, REVIEW, DONE], [])
    assert flow.neighbour(DOING.id, 1) == REVIEW
    assert flow.neighbour(DOING.id, -1) == TODO
    assert flow.neighbour(TODO.id, -1) is None
    assert flow.neighbour(DONE.id, 1) is None
