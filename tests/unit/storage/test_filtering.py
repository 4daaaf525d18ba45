"""IssueFilter pushed down to SQL: every field gives the same issues on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest

from tests.conftest import PgDatabases
from tracker_gui.domain.enums import IssueType, Priority, StatusCategory
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.services import Services, open_services
from tracker_gui.storage.filtering import SORTS


@dataclass(frozen=True)
class Dataset:
    services: Services
    project_ids: dict[str, int]
    status_ids: dict[str, int]
    issue_ids: dict[str, int]


def build(services: Services, bob: Services) -> Dataset:
    """Seven issues in two projects, each picked to fall in or out of some filter."""
    trk, _ = services.projects.ensure_project("TRK")
    ops, _ = services.projects.ensure_project("OPS")
    for name in ("bob", "carol"):
        services.projects.ensure_user(name)

    def new(services: Services, key: str, title: str, **fields: object) -> int:
        return services.issues.create(NewIssue(key, title, **fields)).id  # type: ignore[arg-type]

    ids = {
        "TRK-1": new(
            services,
            "TRK",
            "Login fails with 100% CPU",
            type=IssueType.BUG,
            priority=Priority.HIGH,
            assignee="bob",
            labels=("backend",),
            due=dt.date(2024, 1, 10),
        ),
        "TRK-2": new(
            services,
            "TRK",
            "Add dark_mode toggle",
            type=IssueType.STORY,
            priority=Priority.LOW,
            labels=("UI", "frontend"),
            due=dt.date(2024, 3, 1),
            status="In Progress",
            description="Users ask for it.",
            watchers=("carol",),
        ),
        "TRK-3": new(
            services,
            "TRK",
            "Crash on save",
            type=IssueType.BUG,
            priority=Priority.HIGHEST,
            assignee="carol",
            due=dt.date(2024, 1, 5),
            status="Done",
        ),
        "TRK-4": new(
            bob,
            "TRK",
            "Add darkXmode docs",
            assignee="bob",
            labels=("docs",),
            status="In Review",
            description="Explain it to 1000 users",
        ),
        "TRK-5": new(services, "TRK", "Archived idea", priority=Priority.LOW, labels=("ui",)),
        "TRK-6": new(services, "TRK", "Ärger im Büro", description="Die Straße ist laut"),
        "OPS-1": new(
            bob,
            "OPS",
            "Rotate keys",
            assignee="alice",
            due=dt.date(2024, 2, 1),
            description="Mind the login CPU budget",
        ),
    }
    archived = services.issues.get(ids["TRK-5"])
    services.issues.archive(archived.id, archived.version)
    statuses = {
        f"{p.key}/{s.name}": s.id for p in (trk, ops) for s in services.projects.statuses(p.id)
    }
    return Dataset(services, {"TRK": trk.id, "OPS": ops.id}, statuses, ids)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def dataset(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dataset]:
    """One read-only dataset per backend, shared by every filter case of this module."""
    pg: PgDatabases | None = None
    name = ""
    if request.param == "postgres":
        pg = request.getfixturevalue("pg_databases")
        name, target = pg.create()
    else:
        target = str(tmp_path_factory.mktemp("filtering") / "tracker.db")
    alice = open_services(target, create=True, actor="alice")
    bob = open_services(target, actor="bob")
    try:
        yield build(alice, bob)
    finally:
        bob.close()
        alice.close()
        if pg is not None:
            pg.release(name)


def keys_for(data: Dataset, flt: IssueFilter) -> list[str]:
    return sorted(i.key for i in data.services.issues.search(flt))


ALL_LIVE = ["OPS-1", "TRK-1", "TRK-2", "TRK-3", "TRK-4", "TRK-6"]
D = dt.date

CASES: list[tuple[str, IssueFilter, list[str]]] = [
    ("nothing", IssueFilter(), ALL_LIVE),
    ("status-names-ignore-case", IssueFilter(status_names=("in progress",)), ["TRK-2"]),
    (
        "status-names-across-projects",
        IssueFilter(status_names=("TO DO",)),
        ["OPS-1", "TRK-1", "TRK-6"],
    ),
    ("status-names-several", IssueFilter(status_names=("done", "In Review")), ["TRK-3", "TRK-4"]),
    ("category-done", IssueFilter(categories=(StatusCategory.DONE,)), ["TRK-3"]),
    (
        "category-in-progress",
        IssueFilter(categories=(StatusCategory.IN_PROGRESS,)),
        ["TRK-2", "TRK-4"],
    ),
    ("assignee", IssueFilter(assignees=("bob",)), ["TRK-1", "TRK-4"]),
    ("unassigned", IssueFilter(unassigned=True), ["TRK-2", "TRK-6"]),
    (
        "assignee-or-unassigned",
        IssueFilter(assignees=("carol",), unassigned=True),
        ["TRK-2", "TRK-3", "TRK-6"],
    ),
    ("reporter", IssueFilter(reporters=("bob",)), ["OPS-1", "TRK-4"]),
    ("label-ignores-case", IssueFilter(labels=("ui",)), ["TRK-2"]),
    ("labels-any-of", IssueFilter(labels=("DOCS", "backend")), ["TRK-1", "TRK-4"]),
    ("type", IssueFilter(types=(IssueType.BUG,)), ["TRK-1", "TRK-3"]),
    (
        "types",
        IssueFilter(types=(IssueType.STORY, IssueType.TASK)),
        ["OPS-1", "TRK-2", "TRK-4", "TRK-6"],
    ),
    ("priorities", IssueFilter(priorities=(Priority.HIGH, Priority.HIGHEST)), ["TRK-1", "TRK-3"]),
    ("watched-by", IssueFilter(watched_by="carol"), ["TRK-2"]),
    ("watched-by-nobody", IssueFilter(watched_by="dave"), []),
    ("text-ignores-case", IssueFilter(text="LOGIN"), ["OPS-1", "TRK-1"]),
    ("text-all-words", IssueFilter(text="login  cpu"), ["OPS-1", "TRK-1"]),
    ("text-in-description", IssueFilter(text="ask"), ["TRK-2"]),
    ("text-percent-is-literal", IssueFilter(text="100%"), ["TRK-1"]),
    ("text-underscore-is-literal", IssueFilter(text="dark_mode"), ["TRK-2"]),
    ("text-no-match", IssueFilter(text="zebra"), []),
    ("text-non-ascii-ignores-case", IssueFilter(text="ärger"), ["TRK-6"]),
    ("text-non-ascii-exact", IssueFilter(text="Straße"), ["TRK-6"]),
    ("due-before", IssueFilter(due_before=D(2024, 2, 1)), ["TRK-1", "TRK-3"]),
    ("overdue-skips-done", IssueFilter(overdue_on=D(2024, 2, 15)), ["OPS-1", "TRK-1"]),
    ("include-archived", IssueFilter(include_archived=True), sorted([*ALL_LIVE, "TRK-5"])),
    (
        "include-archived-with-label",
        IssueFilter(labels=("UI",), include_archived=True),
        ["TRK-2", "TRK-5"],
    ),
    (
        "combined",
        IssueFilter(assignees=("bob",), types=(IssueType.BUG,), text="cpu"),
        ["TRK-1"],
    ),
]


@pytest.mark.parametrize(("flt", "expected"), [pytest.param(f, e, id=i) for i, f, e in CASES])
def test_filter_field(dataset: Dataset, flt: IssueFilter, expected: list[str]) -> None:
    assert keys_for(dataset, flt) == expected
    assert dataset.services.issues.count(flt) == len(expected)


def test_project_ids(dataset: Dataset) -> None:
    ops = dataset.project_ids["OPS"]
    trk = dataset.project_ids["TRK"]
    assert keys_for(dataset, IssueFilter(project_ids=(ops,))) == ["OPS-1"]
    assert keys_for(dataset, IssueFilter(project_ids=(trk, ops))) == ALL_LIVE
    assert keys_for(dataset, IssueFilter(project_ids=(trk,), assignees=("alice",))) == []


def test_status_ids_and_issue_ids(dataset: Dataset) -> None:
    review = dataset.status_ids["TRK/In Review"]
    assert keys_for(dataset, IssueFilter(status_ids=(review,))) == ["TRK-4"]
    wanted = (dataset.issue_ids["TRK-2"], dataset.issue_ids["TRK-5"])
    assert keys_for(dataset, IssueFilter(issue_ids=wanted)) == ["TRK-2"]
    flt = IssueFilter(issue_ids=wanted, include_archived=True)
    assert keys_for(dataset, flt) == ["TRK-2", "TRK-5"]


def test_count_by_status_agrees_with_search(dataset: Dataset) -> None:
    flt = IssueFilter(project_ids=(dataset.project_ids["TRK"],))
    counts = dataset.services.issues.count_by_status(flt)
    by_status: dict[int, int] = {}
    for issue in dataset.services.issues.search(flt):
        by_status[issue.status_id] = by_status.get(issue.status_id, 0) + 1
    assert counts == by_status
    assert counts[dataset.status_ids["TRK/To Do"]] == 2


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_every_sort_returns_the_same_issues(dataset: Dataset, sort: str) -> None:
    found = dataset.services.issues.search(IssueFilter(), sort=sort)
    assert sorted(i.key for i in found) == ALL_LIVE


def test_key_sort_and_paging(dataset: Dataset) -> None:
    flt = IssueFilter()
    ordered = [i.key for i in dataset.services.issues.search(flt, sort="key")]
    assert ordered == ["OPS-1", "TRK-1", "TRK-2", "TRK-3", "TRK-4", "TRK-6"]
    assert [i.key for i in dataset.services.issues.search(flt, sort="-key")][:3] == [
        "OPS-1",
        "TRK-6",
        "TRK-4",
    ]
    page = dataset.services.issues.search(flt, sort="key", offset=2, limit=3)
    assert [i.key for i in page] == ordered[2:5]


def test_priority_sort(dataset: Dataset) -> None:
    found = dataset.services.issues.search(IssueFilter(), sort="-priority")
    assert [i.priority for i in found] == sorted((i.priority for i in found), reverse=True)
    assert found[0].key == "TRK-3"


def test_is_empty_ignores_only_the_project() -> None:
    assert IssueFilter(project_ids=(1, 2)).is_empty()
    assert not IssueFilter(text="x").is_empty()
    assert not replace(IssueFilter(), include_archived=True).is_empty()


def test_filter_values_are_parameters_not_sql(dataset: Dataset) -> None:
    hostile = "x'); DROP TABLE issue; --"
    assert keys_for(dataset, IssueFilter(text=hostile)) == []
    assert keys_for(dataset, IssueFilter(assignees=(hostile,))) == []
    assert keys_for(dataset, IssueFilter(status_names=(hostile,))) == []
    assert keys_for(dataset, IssueFilter()) == ALL_LIVE
