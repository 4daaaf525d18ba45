"""Importing the fixture Trello board reproduces every card, list, label, comment and item."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.helpers import EventLog, column_keys, stored_changes
from tests.unit.interchange.conftest import TRELLO
from tracker_gui.domain.enums import IssueType, Priority, StatusCategory
from tracker_gui.domain.models import Issue, IssueFilter
from tracker_gui.interchange import import_trello
from tracker_gui.interchange.trello import key_for
from tracker_gui.services import Services

T = dt.datetime
ID_TIME = T(2024, 3, 12, 18, 40, 50)  # the time inside the fixture's card ids


@pytest.fixture
def board(services: Services) -> dict[str, Issue]:
    report = import_trello(services, TRELLO)
    assert report.committed and report.project == "WR"
    issues = services.issues.repo.search(IssueFilter(include_archived=True), with_description=True)
    return {i.title: i for i in issues}


def test_lists_become_statuses_in_board_order_with_guessed_categories(
    services: Services, board: dict[str, Issue]
) -> None:
    project = services.projects.project("WR")
    assert project.name == "Website Relaunch"
    got = [(s.name, s.category) for s in services.projects.statuses(project.id)]
    assert got == [
        ("Backlog", StatusCategory.TODO),
        ("Doing", StatusCategory.IN_PROGRESS),
        ("Code Review", StatusCategory.IN_PROGRESS),
        ("Done", StatusCategory.DONE),
        ("Parked", StatusCategory.TODO),  # archived list, kept because a card sits in it
    ]


def test_members_and_commenters_become_users(services: Services, board: dict[str, Issue]) -> None:
    users = {u.username: u.display_name for u in services.projects.users()}
    assert users == {
        "alice": "Alice Martin",
        "bobchen": "Bob Chen",
        "carol_d": "Carol Díaz",
        "dave_ops": "Dave Okafor",  # commented, no longer a board member
    }


def test_labels_keep_trello_colours(services: Services, board: dict[str, Issue]) -> None:
    project = services.projects.project("WR")
    labels = {lab.name: lab.colour for lab in services.projects.labels(project.id)}
    assert labels == {
        "bug": "#eb5a46",
        "copy": "#6e5dc6",
        "frontend": "#61bd4f",
        "sky": "#00c2e0",  # unnamed label: named after its colour
        "someday": "",  # no colour
    }


def test_every_card_field_by_field(services: Services, board: dict[str, Issue]) -> None:
    status = {s.id: s.name for s in services.projects.statuses(board["Pick a web font"].project_id)}
    expected = {
        # title: (key, status, assignee, reporter, labels, due, archived, created, updated)
        "Pick a web font": ("WR-1", "Backlog", None, "alice", ("sky", "someday"),
                            dt.date(2024, 3, 29), False, ID_TIME, T(2024, 3, 14, 10)),
        "Draft the new home page copy": ("WR-2", "Backlog", "carol_d", "carol_d", ("copy",),
                                         None, False, ID_TIME, T(2024, 3, 18, 11)),
        "Compress images": ("WR-3", "Doing", "alice", "alice", ("frontend",), None, False,
                            ID_TIME, T(2024, 3, 19, 17, 20)),
        "Fix broken footer links": ("WR-4", "Doing", "bobchen", "alice", ("bug", "frontend"),
                                    dt.date(2024, 4, 2), False, T(2024, 3, 12, 18, 45),
                                    T(2024, 3, 20, 9, 30)),
        "Contact form sends to the wrong inbox": ("WR-5", "Code Review", "alice", "alice",
                                                  ("bug",), None, False, ID_TIME,
                                                  T(2024, 3, 21, 15, 45)),
        "Set up analytics": ("WR-6", "Done", "bobchen", "alice", (), dt.date(2024, 3, 15),
                             False, ID_TIME, T(2024, 3, 15, 13)),
        "Old hero video": ("WR-7", "Done", None, "alice", ("frontend",), None, True, ID_TIME,
                           T(2024, 3, 16, 8)),
        "Newsletter sign-up": ("WR-8", "Parked", "carol_d", "alice", (), None, True, ID_TIME,
                               T(2024, 3, 17, 8)),
    }  # fmt: skip
    for title, (
        key,
        st,
        assignee,
        reporter,
        labels,
        due,
        archived,
        created,
        updated,
    ) in expected.items():
        issue = board[title]
        got = (issue.key, status[issue.status_id], issue.assignee, issue.reporter, issue.labels)
        assert got == (key, st, assignee, reporter, labels), title
        assert (issue.due, issue.archived, issue.created_at, issue.updated_at) == (
            due,
            archived,
            created,
            updated,
        ), title
        assert (issue.type, issue.priority, issue.parent_id) == (
            IssueType.TASK,
            Priority.MEDIUM,
            None,
        )
        assert issue.version == 1
    assert board["Set up analytics"].resolved_at == T(2024, 3, 15, 13)
    assert board["Compress images"].resolved_at is None


def test_descriptions_list_attachments_as_links(board: dict[str, Issue]) -> None:
    assert board["Draft the new home page copy"].description == (
        "Tone: friendly, short sentences.\n\nSee the brief in the drive.\n\n"
        "## Attachments\n\n"
        "- [brief.pdf](https://trello.com/1/cards/65f0a1b2c3d4e5f601000001/attachments/brief.pdf)\n"
        "- [Moodboard [v2\\]](https://www.figma.com/file/abc123/moodboard)"
    )
    assert board["Fix broken footer links"].description == (
        "The *Imprint* and *Privacy* links point at the old domain."
    )
    assert board["Pick a web font"].description == ""


def test_comments_keep_author_and_date_oldest_first(
    services: Services, board: dict[str, Issue]
) -> None:
    footer = services.issues.detail(board["Fix broken footer links"].id)
    got = [(c.author, c.created_at, c.body, c.edited_at) for c in footer.comments]
    assert got == [
        ("bobchen", T(2024, 3, 19, 8, 15), "Both links still 404; started on it.", None),
        ("alice", T(2024, 3, 20, 9, 30), "Only the *Imprint* link is left.", None),
    ]
    form = services.issues.detail(board["Contact form sends to the wrong inbox"].id)
    assert [(c.author, c.created_at) for c in form.comments] == [
        ("dave_ops", T(2024, 3, 21, 15, 45))
    ]


def test_second_and_later_members_watch_the_card(
    services: Services, board: dict[str, Issue]
) -> None:
    assert services.issues.detail(board["Fix broken footer links"].id).watchers == ("alice",)
    assert services.issues.detail(board["Compress images"].id).watchers == ()


def test_checklist_items_become_subtasks_and_ticked_ones_are_done(
    services: Services, board: dict[str, Issue]
) -> None:
    status = {s.id: s.name for s in services.projects.statuses(board["Hero"].project_id)}
    copy, form = (
        board["Draft the new home page copy"],
        board["Contact form sends to the wrong inbox"],
    )
    expected = [
        ("Hero", "WR-9", copy.id, "Done", None, None),
        ("Features", "WR-10", copy.id, "Backlog", None, None),
        ("Pricing", "WR-11", copy.id, "Backlog", None, None),
        ("Send a test message", "WR-12", form.id, "Done", "alice", None),
        ("Ask sales to confirm", "WR-13", form.id, "Backlog", None, dt.date(2024, 3, 25)),
    ]
    for title, key, parent, st, assignee, due in expected:
        item = board[title]
        assert item.type == IssueType.SUBTASK
        got = (item.key, item.parent_id, status[item.status_id], item.assignee, item.due)
        assert got == (key, parent, st, assignee, due)
    assert board["Hero"].description == "Checklist: Sections"
    assert board["Send a test message"].description == "Checklist: Verify"
    children = services.issues.detail(copy.id).children
    assert [c.title for c in children] == ["Hero", "Features", "Pricing"]


def test_card_positions_become_ranks(services: Services, board: dict[str, Issue]) -> None:
    statuses = {s.name: s.id for s in services.projects.statuses(board["Hero"].project_id)}
    assert column_keys(services, statuses["Backlog"]) == ["WR-1", "WR-2", "WR-10", "WR-11", "WR-13"]
    assert column_keys(services, statuses["Doing"]) == ["WR-3", "WR-4"]
    assert column_keys(services, statuses["Done"]) == ["WR-6", "WR-9", "WR-12"]


def test_history_has_a_created_row_per_issue_and_the_comments(
    services: Services, board: dict[str, Issue]
) -> None:
    changes = stored_changes(services)
    created = [c for c in changes if c.field == "created"]
    assert len(created) == 13
    footer = board["Fix broken footer links"]
    own = [(c.field, c.actor, c.at) for c in changes if c.issue_id == footer.id]
    assert own == [
        ("created", "alice", T(2024, 3, 12, 18, 45)),
        ("comment", "bobchen", T(2024, 3, 19, 8, 15)),
        ("comment", "alice", T(2024, 3, 20, 9, 30)),
    ]
    assert changes[-1].field == "import" and changes[-1].actor == "alice"


def test_events_are_published_once_after_commit(services: Services) -> None:
    log = EventLog(services)
    seen_during: list[int] = []
    import_trello(
        services, TRELLO, progress=lambda done, total: seen_during.append(len(log.events))
    )
    assert seen_during and set(seen_during) == {0}  # nothing published while writing
    assert [e.id for e in log.events] == [c.id for c in stored_changes(services)]


def test_dry_run_reports_what_would_be_created_and_writes_nothing(services: Services) -> None:
    report = import_trello(services, TRELLO, dry_run=True)
    assert not report.committed and report.ok
    assert dict(report.created) == {
        "projects": 1,
        "statuses": 5,
        "users": 4,
        "labels": 5,
        "issues": 8,
        "subtasks": 5,
        "comments": 3,
        "watchers": 1,
        "links": 0,
    }
    assert [str(p) for p in report.warnings] == [
        "cards[7].idMembers: a member is not on the board's member list: skipped"
    ]
    assert services.projects.projects() == [] and stored_changes(services) == []


def test_into_an_existing_project_statuses_must_exist(services: Services) -> None:
    services.projects.ensure_project("WEB", "Web")
    report = import_trello(services, TRELLO, project="WEB", dry_run=True)
    missing = {p.message.split("'")[1] for p in report.errors}
    assert missing == {"Backlog", "Doing", "Code Review", "Parked"}  # "Done" exists
    report = import_trello(services, TRELLO, project="WEB", create_statuses=True)
    web = services.projects.project("WEB")
    names = [s.name for s in services.projects.statuses(web.id)]
    # Created open statuses go before Done (issue 15, Part B), not after it.
    assert names == ["To Do", "In Progress", "In Review", "Backlog", "Doing", "Code Review",
                     "Parked", "Done"]  # fmt: skip
    assert report.created["statuses"] == 4 and report.created["issues"] == 8


def test_board_names_give_project_keys() -> None:
    assert key_for("Website Relaunch") == "WR"
    assert key_for("Q3 marketing plan 2024") == "QMP"
    assert key_for("Roadmap") == "ROAD"
    assert key_for("✨") == "TRELLO"


def test_an_import_no_window_listens_to_still_counts_as_published(services: Services) -> None:
    # Nothing subscribes (the command line): the rows are not read back, but a window that
    # subscribes afterwards must not be handed them again as new.
    import_trello(services, TRELLO)
    assert services.bus.last_published == stored_changes(services)[-1].id
    log = EventLog(services)
    services.bus.publish([])
    assert log.events == []
