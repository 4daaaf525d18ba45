"""Importing the fixture Jira CSV reproduces every issue, label, comment, watcher and link."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.interchange.conftest import JIRA
from tracker_gui.cli_format import StatusNames, history_lines
from tracker_gui.domain.enums import IssueType, LinkKind, Priority
from tracker_gui.domain.models import Issue, IssueFilter, NewIssue
from tracker_gui.interchange import import_jira
from tracker_gui.services import Services

T = dt.datetime


@pytest.fixture
def shop(services: Services) -> dict[str, Issue]:
    report = import_jira(services, JIRA)
    assert report.committed
    issues = services.issues.repo.search(IssueFilter(include_archived=True), with_description=True)
    return {i.key: i for i in issues}


def test_keys_are_kept_when_the_project_key_is_free(
    services: Services, shop: dict[str, Issue]
) -> None:
    assert sorted(shop, key=lambda k: int(k.split("-")[1])) == [
        "SHOP-1", "SHOP-2", "SHOP-3", "SHOP-4", "SHOP-5", "SHOP-7", "SHOP-8", "SHOP-10",
    ]  # fmt: skip
    project = services.projects.project("SHOP")
    assert project.name == "Webshop"
    later = services.issues.create(NewIssue("SHOP", "Made after the import"))
    assert later.key == "SHOP-11"  # numbering continues after Jira's highest
    assert "Imported from" not in shop["SHOP-3"].description


def test_statuses_come_from_the_file_in_category_order(
    services: Services, shop: dict[str, Issue]
) -> None:
    project = services.projects.project("SHOP")
    got = [(s.name, s.category.value) for s in services.projects.statuses(project.id)]
    assert got == [
        ("To Do", "todo"),
        ("In Progress", "in_progress"),
        ("In Review", "in_progress"),
        ("Done", "done"),
    ]


def test_every_issue_field_by_field(services: Services, shop: dict[str, Issue]) -> None:
    status = {s.id: s.name for s in services.projects.statuses(shop["SHOP-1"].project_id)}
    expected = {
        # key: (type, status, priority, assignee, reporter, labels, due, estimate,
        #       created, updated, resolved)
        "SHOP-1": (IssueType.EPIC, "In Progress", Priority.HIGHEST, "carol.diaz", "carol.diaz",
                   ("payments",), None, None, T(2024, 3, 10, 13), T(2024, 3, 10, 13), None),
        "SHOP-2": (IssueType.STORY, "To Do", Priority.HIGH, "alice", "carol.diaz",
                   ("payments",), dt.date(2024, 4, 5), 8.0, T(2024, 3, 10, 14),
                   T(2024, 3, 11, 10, 30), None),
        "SHOP-3": (IssueType.BUG, "In Progress", Priority.HIGH, "bob.chen", "carol.diaz",
                   ("backend", "payments", "urgent"), None, None, T(2024, 3, 11, 9),
                   T(2024, 3, 21, 9), None),
        "SHOP-4": (IssueType.SUBTASK, "Done", Priority.MEDIUM, "bob.chen", "bob.chen",
                   ("frontend", "payments"), None, 1.0, T(2024, 3, 11, 10, 30),
                   T(2024, 3, 13, 16, 45), T(2024, 3, 13, 16, 45)),
        "SHOP-5": (IssueType.TASK, "In Review", Priority.MEDIUM, "alice", "alice",
                   ("copy", "email"), dt.date(2024, 3, 22), 2.0, T(2024, 3, 12, 15),
                   T(2024, 3, 19, 10), None),
        "SHOP-7": (IssueType.BUG, "Done", Priority.HIGHEST, "bob.chen", "alice", ("payments",),
                   None, None, T(2024, 3, 14, 9, 15), T(2024, 3, 18, 17), T(2024, 3, 18, 17)),
        "SHOP-8": (IssueType.TASK, "In Progress", Priority.LOWEST, "carol.diaz", "bob.chen",
                   ("performance",), dt.date(2024, 3, 29), 4.0, T(2024, 3, 15, 11),
                   T(2024, 3, 20, 14, 30), None),
        "SHOP-10": (IssueType.BUG, "To Do", Priority.LOWEST, None, "alice", ("safari", "ui"),
                    None, None, T(2024, 3, 21, 16, 10), T(2024, 3, 21, 16, 10), None),
    }  # fmt: skip
    for key, want in expected.items():
        i = shop[key]
        got = (i.type, status[i.status_id], i.priority, i.assignee, i.reporter, i.labels,
               i.due, i.estimate, i.created_at, i.updated_at, i.resolved_at)  # fmt: skip
        assert got == want, key
    assert shop["SHOP-3"].description == (
        "Prices like 19.99 € end up 0.01 € off.\nSteps:\n1. Add item for 19.99\n2. Check out"
    )
    assert shop["SHOP-8"].description == 'Search takes 3 s for "shoes".\nTarget: under 300 ms.'
    assert shop["SHOP-1"].title == "Payments"


def test_jira_priority_names_map_to_ours(shop: dict[str, Issue]) -> None:
    # Blocker, Critical, Major, Medium, Trivial, Lowest, High, Highest in the file
    got = {k: i.priority.label for k, i in shop.items()}
    assert got == {
        "SHOP-7": "highest", "SHOP-3": "high", "SHOP-5": "medium", "SHOP-4": "medium",
        "SHOP-8": "lowest", "SHOP-10": "lowest", "SHOP-2": "high", "SHOP-1": "highest",
    }  # fmt: skip


def test_parents_from_issue_ids(services: Services, shop: dict[str, Issue]) -> None:
    assert services.issues.detail(shop["SHOP-2"].id).parent_key == "SHOP-1"
    assert services.issues.detail(shop["SHOP-4"].id).parent_key == "SHOP-2"
    assert [c.key for c in services.issues.detail(shop["SHOP-1"].id).children] == ["SHOP-2"]


def test_comments_from_repeated_columns_keep_date_author_and_semicolons(
    services: Services, shop: dict[str, Issue]
) -> None:
    got = [
        (c.created_at, c.author, c.body) for c in services.issues.detail(shop["SHOP-3"].id).comments
    ]
    assert got == [
        (T(2024, 3, 11, 9, 30), "alice", "Reproduced on staging."),
        (T(2024, 3, 12, 13), "carol.diaz", "Root cause: float maths; switching to Decimal."),
        (T(2024, 3, 21, 9), "bob.chen", "Fix is in review."),
    ]
    five = services.issues.detail(shop["SHOP-5"].id).comments
    assert [c.body for c in five] == [
        "Draft is in the shared folder; feedback welcome.",
        "Looks good; sent to review.",
    ]


def test_watchers_and_display_names(services: Services, shop: dict[str, Issue]) -> None:
    assert services.issues.detail(shop["SHOP-5"].id).watchers == ("bob.chen", "carol.diaz")
    users = {u.username: u.display_name for u in services.projects.users()}
    assert users == {"alice": "alice", "bob.chen": "bob.chen", "carol.diaz": "Carol Díaz"}


def test_links_from_both_ends_are_stored_once(services: Services, shop: dict[str, Issue]) -> None:
    def links(key: str) -> list[tuple[LinkKind, str, str]]:
        found = services.issues.detail(shop[key].id).links
        return sorted((ln.kind, ln.phrase, ln.other_key) for ln in found)

    assert links("SHOP-3") == [
        (LinkKind.BLOCKS, "blocks", "SHOP-5"),
        (LinkKind.DUPLICATES, "is duplicated by", "SHOP-7"),
    ]
    assert links("SHOP-5") == [(LinkKind.BLOCKS, "is blocked by", "SHOP-3")]
    assert links("SHOP-2") == [(LinkKind.RELATES, "relates to", "SHOP-8")]
    assert links("SHOP-1") == []  # its link to SHOP-99 leaves the file: skipped


def test_imported_links_are_in_both_ends_histories(
    services: Services, shop: dict[str, Issue]
) -> None:
    def told(key: str) -> list[str]:
        detail = services.issues.detail(shop[key].id)
        lines = history_lines(services, detail, StatusNames(services))
        return sorted(text for c, text in lines if c.field == "link")

    assert told("SHOP-3") == ["linked: blocks SHOP-5", "linked: duplicated by SHOP-7"]
    assert told("SHOP-5") == ["linked: blocked by SHOP-3"]
    assert told("SHOP-7") == ["linked: duplicates SHOP-3"]


def test_links_leaving_the_file_and_unknown_kinds_are_reported(services: Services) -> None:
    report = import_jira(services, JIRA, dry_run=True)
    assert [str(p) for p in report.warnings] == [
        "row 3, column 'Outward issue link (Cloners)': link to SHOP-5 skipped",
        "link SHOP-1 relates SHOP-99: SHOP-99 is not in the file",
    ]
    assert report.created["links"] == 3 and report.created["issues"] == 7


def test_a_taken_project_key_maps_keys_and_records_the_old_one(
    services: Services, shop: dict[str, Issue]
) -> None:
    report = import_jira(services, JIRA)
    assert report.key_map == {
        "SHOP-1": "SHOP-11", "SHOP-2": "SHOP-12", "SHOP-3": "SHOP-13", "SHOP-4": "SHOP-14",
        "SHOP-5": "SHOP-15", "SHOP-7": "SHOP-16", "SHOP-8": "SHOP-17", "SHOP-10": "SHOP-18",
    }  # fmt: skip
    again = services.issues.by_key("SHOP-11")
    assert again.description == "Everything about taking money.\n\nImported from SHOP-1"
    assert services.issues.detail(services.issues.by_key("SHOP-12").id).parent_key == "SHOP-11"
    assert "  SHOP-3 -> SHOP-13" in report.lines()


def test_into_another_new_project_numbers_are_kept_and_old_keys_noted(
    services: Services,
) -> None:
    report = import_jira(services, JIRA, project="WEB")
    assert report.key_map["SHOP-10"] == "WEB-10"
    assert services.issues.by_key("WEB-7").description.endswith("\n\nImported from SHOP-7")
