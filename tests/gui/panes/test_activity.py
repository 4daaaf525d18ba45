"""The activity model and pane: readable sentences, newest first, updated as changes arrive."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import Issue
from tracker_gui.services import Services
from tracker_gui.ui.models.activity_model import (
    ActivityModel,
    ActorRole,
    IssueIdRole,
    TimeTextRole,
)
from tracker_gui.ui.panes.activity_pane import ActivityPane
from tracker_gui.ui.store import Store


def texts(model: ActivityModel) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_model_passes_the_model_tester(
    qtmodeltester: object, store: Store, three_issues: list[Issue]
) -> None:
    model = ActivityModel(store)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 4  # the project, then three issues


def test_history_reads_as_sentences_newest_first(
    store: Store, three_issues: list[Issue], gui_services: Services
) -> None:
    first = three_issues[0]
    done = store.workflow(first.project_id).statuses
    moved = gui_services.issues.move(first.id, first.version, done[1].id)
    gui_services.issues.comment(first.id, "Started on this today.\nMore tomorrow.")
    gui_services.issues.edit(moved.id, moved.version, {"assignee": "bob"})
    model = ActivityModel(store)
    assert texts(model)[:4] == [
        "alice assigned TRK-1 to bob",
        "alice commented on TRK-1: Started on this today. More tomorrow.",
        "alice moved TRK-1 from To Do to In Progress",
        "alice created TRK-3 'Plan the release'",
    ]
    assert texts(model)[-1] == "alice created the project TRK"
    top = model.index(0, 0)
    assert top.data(ActorRole) == "alice"
    assert top.data(IssueIdRole) == first.id
    assert top.data(TimeTextRole) == "just now"


def test_rank_only_changes_are_hidden(
    store: Store, three_issues: list[Issue], gui_services: Services
) -> None:
    model = ActivityModel(store)
    before = model.rowCount()
    last = three_issues[2]
    store.move_issue(last, last.status_id, before_id=three_issues[0].id)  # reorder only
    assert gui_services.feed.history(last.id)[-1].field == "rank"
    assert model.rowCount() == before


def test_new_changes_are_prepended(
    qtbot: QtBot, store: Store, three_issues: list[Issue], make_issue: Callable[..., Issue]
) -> None:
    model = ActivityModel(store)
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        make_issue("Add dark mode")
    assert blocker.args[1:] == [0, 0]
    assert texts(model)[0] == "alice created TRK-4 'Add dark mode'"


def test_changes_made_elsewhere_show_who_made_them(
    store: Store, three_issues: list[Issue], other_services: Services
) -> None:
    model = ActivityModel(store)
    issue = other_services.issues.get(three_issues[1].id)
    statuses = other_services.projects.statuses(issue.project_id)
    other_services.issues.move(issue.id, issue.version, statuses[-1].id)
    store.poll()
    assert texts(model)[0] == "bob moved TRK-2 from To Do to Done"


def test_data_never_reads_the_database(
    store: Store, three_issues: list[Issue], gui_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = ActivityModel(store)
    gui_services.issues.comment(three_issues[0].id, "cached names only")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("data() must not query")

    monkeypatch.setattr(gui_services.issues, "search", refuse)
    monkeypatch.setattr(gui_services.issues, "get", refuse)
    monkeypatch.setattr(gui_services.projects, "workflow", refuse)
    roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ActorRole, TimeTextRole]
    for row in range(model.rowCount()):
        for role in roles:
            model.index(row, 0).data(role)
    assert texts(model)[0] == "alice commented on TRK-1: cached names only"


def test_pane_opens_the_issue_of_an_activated_row(
    qtbot: QtBot, store: Store, three_issues: list[Issue]
) -> None:
    pane = ActivityPane(store)
    qtbot.addWidget(pane)
    pane.resize(320, 480)
    pane.show()
    qtbot.waitExposed(pane)
    index = pane.model.index(0, 0)
    with qtbot.waitSignal(pane.issueActivated) as blocker:
        pane.view.activated.emit(index)
    assert blocker.args == [three_issues[2].id]
    assert pane.view.visualRect(index).height() >= 40


# -- one user action, one entry (change sets) ---------------------------------------------
def bulk_done(services: Services, issues: list[Issue]) -> None:
    done = services.projects.statuses(issues[0].project_id)[-1]
    current = [services.issues.get(i.id) for i in issues]
    services.issues.bulk_move([(i.id, i.version, done.id) for i in current])


def test_a_bulk_move_elsewhere_is_one_entry(
    store: Store, make_issue: Callable[..., Issue], other_services: Services
) -> None:
    issues = [make_issue(f"card {n}") for n in range(30)]
    model = ActivityModel(store)
    before = model.rowCount()
    bulk_done(other_services, issues)
    store.poll()
    assert model.rowCount() == before + 1
    assert texts(model)[0] == "bob moved 30 issues to Done: TRK-1, TRK-2, TRK-3 and 27 more"
    assert model.index(0, 0).data(IssueIdRole) is None  # about several issues
    # Opened afresh, the log reads the same.
    assert texts(ActivityModel(store))[0] == texts(model)[0]


def test_an_action_read_in_two_pages_stays_one_entry(
    store: Store, make_issue: Callable[..., Issue], other_services: Services
) -> None:
    issues = [make_issue(f"card {n}") for n in range(30)]
    model = ActivityModel(store)
    before = model.rowCount()
    start = store.services.feed.last_id()
    bulk_done(other_services, issues)
    rows = store.services.feed.changes_since(start)
    cut = [n for n, r in enumerate(rows) if r.field == "status"][28]
    store.apply_changes(rows[:cut])
    assert texts(model)[0].startswith("bob moved 28 issues to Done")
    store.apply_changes(rows[cut:])
    assert model.rowCount() == before + 1
    assert texts(model)[0].startswith("bob moved 30 issues to Done")


def test_a_limit_that_cuts_an_action_still_shows_it_whole(
    store: Store, make_issue: Callable[..., Issue], gui_services: Services
) -> None:
    issues = [make_issue(f"card {n}") for n in range(30)]
    bulk_done(gui_services, issues)
    model = ActivityModel(store, initial=40)  # 30 status rows and 30 hidden rank rows
    assert texts(model)[0] == "alice moved 30 issues to Done: TRK-1, TRK-2, TRK-3 and 27 more"


def test_an_import_and_an_edit_of_two_fields_are_one_entry_each(
    store: Store, three_issues: list[Issue], gui_services: Services, tmp_path: Path
) -> None:
    model = ActivityModel(store)
    before = model.rowCount()
    first = three_issues[0]
    gui_services.issues.edit(first.id, first.version, {"title": "Write it", "priority": "high"})
    csv = tmp_path / "in.csv"
    csv.write_text("title,status\none,To Do\ntwo,Done\nthree,In Progress\n", encoding="utf-8")
    report = store.transfers.import_file("csv", csv, project="TRK").value
    assert report is not None and report.committed
    assert model.rowCount() == before + 2
    assert texts(model)[:2] == [
        "alice imported into TRK: csv file in.csv",
        "alice renamed TRK-1 to 'Write it' and changed the priority of TRK-1 from medium to high",
    ]


def test_a_link_reads_on_both_ends_by_key_and_an_unreadable_end_is_not_named(
    store: Store, three_issues: list[Issue], gui_services: Services
) -> None:
    a, b = three_issues[0], three_issues[1]
    gui_services.issues.link(a.id, LinkKind.BLOCKS, b.key)
    gui_services.issues.unlink(a.id, LinkKind.BLOCKS, b.key)
    # A row naming an issue this reader cannot read (here: one that does not exist).
    gui_services.projects.catalog.append_changes(
        [(a.project_id, a.id, "bob", "link", None, "relates #987654")]
    )
    model = ActivityModel(store)
    assert texts(model)[:3] == [
        f"bob linked {a.key}: relates an issue in another project",
        f"alice unlinked {a.key}: blocks {b.key}",  # both ends' rows, told once
        f"alice linked {a.key}: blocks {b.key}",
    ]


def test_sprint_planning_and_sprint_states_read_as_sentences(
    store: Store, three_issues: list[Issue], gui_services: Services
) -> None:
    import datetime as dt

    day = dt.date(2026, 12, 7)
    gui_services.sprints.add("TRK", "Sprint 1", day, day + dt.timedelta(days=13))
    gui_services.sprints.set_sprint([three_issues[0].id], "Sprint 1")
    gui_services.sprints.start("TRK", "Sprint 1")
    gui_services.sprints.close("TRK", "Sprint 1", None)
    model = ActivityModel(store)
    assert texts(model)[:4] == [
        "alice closed a sprint in TRK and moved TRK-1 to the backlog",  # one action
        "alice started a sprint in TRK",
        "alice planned TRK-1 into a sprint",
        "alice planned a sprint in TRK",
    ]


def test_logged_and_remaining_time_read_as_sentences(
    store: Store, three_issues: list[Issue], gui_services: Services
) -> None:
    from tracker_gui.services.worklogs import WorklogService

    time = WorklogService.of(gui_services)
    first = three_issues[0]
    entry = time.log(first.id, "1h30m")
    time.set_remaining(first.id, "45m")
    time.remove(entry.id)
    time.set_remaining(first.id, None)
    model = ActivityModel(store)
    assert texts(model)[:4] == [
        "alice cleared the time remaining on TRK-1",
        "alice removed 1h30m of logged time from TRK-1",
        "alice set the time remaining on TRK-1 to 45m",
        "alice logged 1h30m on TRK-1",
    ]
