"""The Change log encoding, and rebuilding an issue's state from it."""

from __future__ import annotations

import datetime as dt
import json

from tracker_gui.domain import history
from tracker_gui.domain.enums import IssueType, Priority
from tracker_gui.domain.models import Change, Issue

T0 = dt.datetime(2024, 5, 1, 12, 0, 0)


def make_issue(**overrides: object) -> Issue:
    values: dict[str, object] = {
        "id": 7,
        "uid": "5b0f6c1e-0000-4000-8000-000000000007",
        "project_id": 1,
        "project_key": "TRK",
        "number": 42,
        "type": IssueType.BUG,
        "title": "Login fails",
        "status_id": 3,
        "priority": Priority.HIGH,
        "rank": "i",
        "reporter": "alice",
        "created_at": T0,
        "updated_at": T0,
        "version": 1,
        "description": "Steps: *click*",
        "assignee": "bob",
        "parent_id": None,
        "due": dt.date(2024, 6, 30),
        "estimate": 2.5,
        "labels": ("ui", "backend"),
    }
    values.update(overrides)
    return Issue(**values)  # type: ignore[arg-type]


def change(cid: int, field: str, old: str | None, new: str | None) -> Change:
    return Change(cid, 1, 7, "alice", T0, field, old, new)


def test_encode_each_kind_of_value() -> None:
    assert history.encode("title", None) is None
    assert history.encode("priority", Priority.HIGHEST) == "highest"
    assert history.encode("priority", "low") == "low"
    assert history.encode("type", IssueType.STORY) == "story"
    assert history.encode("labels", ("ui", "backend", "api")) == "api,backend,ui"
    assert history.encode("labels", ()) == ""
    assert history.encode("archived", True) == "true"
    assert history.encode("archived", False) == "false"
    assert history.encode("due", dt.date(2024, 1, 2)) == "2024-01-02"
    assert history.encode("estimate", 1.5) == "1.5"
    assert history.encode("status", 12) == "12"
    assert history.encode("assignee", "bob") == "bob"


def test_state_of_covers_every_replayable_field() -> None:
    state = history.state_of(make_issue())
    assert list(state) == list(history.STATE_FIELDS)
    assert state == {
        "title": "Login fails",
        "description": "Steps: *click*",
        "type": "bug",
        "priority": "high",
        "status": "3",
        "assignee": "bob",
        "due": "2024-06-30",
        "estimate": "2.5",
        "parent": None,
        "labels": "backend,ui",
        "rank": "i",
        "archived": "false",
    }


def test_snapshot_is_json_with_the_state_but_not_the_text_the_row_holds() -> None:
    issue = make_issue()
    data = json.loads(history.snapshot(issue))
    state = history.state_of(issue)
    assert "title" not in data and "description" not in data and "key" not in data
    # Not archived and no parent: the two fields of this issue that are still empty.
    kept = {f: v for f, v in state.items() if f not in ("title", "description")}
    assert data == {f: v for f, v in kept.items() if f not in ("parent", "archived")}


def test_snapshot_of_a_new_issue_leaves_out_the_empty_fields_but_keeps_the_status() -> None:
    issue = make_issue(assignee=None, due=None, estimate=None, labels=())
    text = history.snapshot(issue)
    assert json.loads(text) == {"priority": "high", "rank": "i", "status": "3", "type": "bug"}
    assert " " not in text  # compact separators
    # Replays to the issue as stored, with nothing taken from the row but its text.
    row = history.state_of(issue)
    assert history.replay([change(1, history.CREATED, None, text)], row) == row
    no_row_text = {**row, "title": None, "description": None}
    assert history.replay([change(1, history.CREATED, None, text)]) == no_row_text


def test_replay_notices_a_field_the_row_holds_but_the_log_never_set() -> None:
    """An empty field left out of the snapshot is empty, not "whatever the row says": a row
    whose labels or status changed without a Change row does not replay to itself."""
    issue = make_issue(assignee=None, due=None, estimate=None, labels=())
    changes = [change(1, history.CREATED, None, history.snapshot(issue))]
    for lost in (
        make_issue(assignee=None, due=None, estimate=None, labels=("ui",)),
        make_issue(assignee="bob", due=None, estimate=None, labels=()),
        make_issue(assignee=None, due=None, estimate=None, labels=(), status_id=4),
        make_issue(assignee=None, due=None, estimate=None, labels=(), archived=True),
    ):
        row = history.state_of(lost)
        assert history.replay(changes, row) != row


def test_replay_reads_a_snapshot_of_every_earlier_form() -> None:
    issue = make_issue(assignee=None, labels=())
    state = history.state_of(issue)
    with_keys = {f: v for f, v in state.items() if f not in ("title", "description")}
    for text in (
        json.dumps({"key": "TRK-42", **state}, sort_keys=True),  # before migration 9
        json.dumps(with_keys, sort_keys=True),  # migration 9: every field but the text
        history.snapshot(issue),  # now
    ):
        assert history.replay([change(1, history.CREATED, None, text)], state) == state, text


def test_replay_takes_the_text_a_new_snapshot_left_out_from_the_row() -> None:
    issue = make_issue()
    changes = [change(1, history.CREATED, None, history.snapshot(issue))]
    assert history.replay(changes, history.state_of(issue)) == history.state_of(issue)


def test_replay_still_reads_an_old_snapshot_that_holds_the_text() -> None:
    issue = make_issue()
    old = json.dumps({"key": "TRK-42", **history.state_of(issue)}, sort_keys=True)
    assert history.replay([change(1, history.CREATED, None, old)]) == history.state_of(issue)


def test_replay_applies_changes_in_order() -> None:
    created = make_issue()
    final = make_issue(
        title="Login fails on Safari",
        priority=Priority.HIGHEST,
        status_id=4,
        assignee=None,
        labels=("ui",),
        archived=True,
        rank="j",
    )
    changes = [
        change(1, history.CREATED, None, history.snapshot(created)),
        change(2, "title", "Login fails", "Login fails on Safari"),
        change(3, "priority", "high", "highest"),
        change(4, "status", "3", "4"),
        change(5, "rank", "i", "j"),
        change(6, "assignee", "bob", None),
        change(7, "labels", "backend,ui", "ui"),
        change(8, "comment", None, "not a state field: ignored"),
        change(9, "watch", None, "carol"),
        change(10, "archived", "false", "true"),
    ]
    assert history.replay(changes, history.state_of(final)) == history.state_of(final)


def test_replay_of_a_deleted_or_never_created_issue_is_none() -> None:
    created = change(1, history.CREATED, None, history.snapshot(make_issue()))
    assert history.replay([]) is None
    assert history.replay([change(1, "title", "a", "b")]) is None
    assert history.replay([created, change(2, history.DELETED, "TRK-42", None)]) is None


def test_changes_before_creation_do_not_leak_into_the_state() -> None:
    issue = make_issue()
    changes = [
        change(1, "title", None, "stray"),
        change(2, history.CREATED, None, history.snapshot(issue)),
    ]
    assert history.replay(changes, history.state_of(issue)) == history.state_of(issue)
