"""Who is notified of a status change, and how a burst becomes one notification."""

from __future__ import annotations

import pytest

from tracker_gui.notify.policy import (
    Batcher,
    Prefs,
    StatusMove,
    ToldSets,
    compose,
    relations_of,
    wanted,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def move(
    n: int = 42,
    status: str = "Done",
    actor: str = "bob",
    relations: frozenset[str] = frozenset({"reporter"}),
    change_id: int | None = None,
) -> StatusMove:
    return StatusMove(
        change_id=change_id or n,
        issue_id=n,
        key=f"TRK-{n}",
        title=f"Issue {n}",
        actor=actor,
        status=status,
        relations=relations,
    )


def test_relations_say_how_i_am_involved() -> None:
    assert relations_of("alice", "alice", "bob", False) == {"reporter"}
    assert relations_of("alice", "bob", "alice", True) == {"assignee", "watcher"}
    assert relations_of("alice", "bob", None, False) == frozenset()


def test_preferences_choose_relations_statuses_and_quiet_focus() -> None:
    reported = move(relations=frozenset({"reporter"}))
    assert wanted(reported, Prefs())
    assert not wanted(reported, Prefs(enabled=False))
    assert not wanted(reported, Prefs(relations=frozenset({"assignee", "watcher"})))
    assert wanted(reported, Prefs(relations=frozenset({"reporter"})))
    assert wanted(reported, Prefs(statuses=frozenset({"done"})))  # names match case-blind
    assert not wanted(reported, Prefs(statuses=frozenset({"In Review"})))
    quiet = Prefs(quiet_when_focused=True)
    assert not wanted(reported, quiet, focused=True)
    assert wanted(reported, quiet, focused=False)
    assert wanted(reported, Prefs(), focused=True)


def test_one_move_is_one_notification_with_who_and_title() -> None:
    [note] = compose([move(42)])
    assert note.summary == "TRK-42 moved to Done"
    assert note.body == "bob moved “Issue 42”"
    assert note.issue_id == 42
    assert note.kind == "status"


def test_an_issue_moved_twice_in_a_burst_is_told_once_where_it_ended() -> None:
    [note] = compose([move(7, "In Progress", change_id=1), move(7, "Done", change_id=2)])
    assert note.summary == "TRK-7 moved to Done"


def test_a_bulk_move_of_thirty_is_one_notification() -> None:
    notes = compose([move(n, "In Review") for n in range(1, 31)])
    assert len(notes) == 1
    [note] = notes
    assert note.summary == "30 issues changed status"
    assert note.body == "bob moved TRK-1, TRK-2, TRK-3, TRK-4, TRK-5 and 25 more to In Review"
    assert note.issue_id is None
    assert note.issue_ids == tuple(range(1, 31))


def test_a_mixed_burst_names_the_people_and_no_single_target() -> None:
    moves = [move(1, "Done", "bob"), move(2, "In Review", "carol"), move(3, "Done", "dave")]
    [note] = compose(moves)
    assert note.summary == "3 issues changed status"
    assert note.body == "bob, carol and 1 more moved TRK-1, TRK-2, TRK-3"


def test_nothing_to_tell_is_no_notification() -> None:
    assert compose([]) == []


def test_the_batcher_waits_out_the_burst_window_on_its_clock() -> None:
    clock = FakeClock()
    batcher = Batcher(window=0.4, clock=clock)
    assert not batcher.ready()
    batcher.add([move(1)])
    assert not batcher.ready()
    assert batcher.remaining() == pytest.approx(0.4)
    clock.now += 0.2
    batcher.add([move(n) for n in range(2, 30)])  # more of the same burst
    clock.now += 0.1
    assert not batcher.ready()
    batcher.add([move(30)])
    clock.now += 0.15
    assert batcher.ready()  # the window started at the first move: it does not slide
    [note] = batcher.take()
    assert note.summary == "30 issues changed status"
    assert batcher.pending == 0
    assert not batcher.ready()
    assert batcher.take() == []


def test_the_batcher_tells_separate_bursts_separately() -> None:
    clock = FakeClock()
    batcher = Batcher(window=0.4, clock=clock)
    batcher.add([move(1)])
    clock.now += 0.5
    assert [n.summary for n in batcher.take()] == ["TRK-1 moved to Done"]
    batcher.add([])
    assert not batcher.ready()  # an empty add starts no window
    batcher.add([move(2, "In Review")])
    clock.now += 0.5
    assert [n.summary for n in batcher.take()] == ["TRK-2 moved to In Review"]


def test_a_change_set_is_told_once_and_the_memory_stays_bounded() -> None:
    told = ToldSets(keep=3)
    assert told.new_sets(["a", None, "a", "b"]) == ["a", "b"]
    assert told.new_sets(["b", "c"]) == ["c"]  # b's later rows (a second read): skipped
    assert told.new_sets(["d"]) == ["d"]
    assert told.new_sets(["a"]) == ["a"]  # the oldest was forgotten past `keep`
