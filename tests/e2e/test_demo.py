"""`tracker-gui demo`: realistic, deterministic data that the rest of the app reads back."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import Cli
from tracker_gui.domain import history, rank
from tracker_gui.domain.models import IssueFilter
from tracker_gui.services import Services, open_services
from tracker_gui.services.demo import LABELS, USERS, fill_demo


def listed(cli: Cli, db: Path, *extra: str) -> list[dict[str, Any]]:
    result = cli("--db", str(db), "list", "--include-archived", "--format", "json", *extra)
    assert result.code == 0, result
    data: list[dict[str, Any]] = json.loads(result.out)
    return data


@pytest.fixture
def demo_db(cli: Cli, db: Path) -> Path:
    result = cli("--db", str(db), "demo", "--issues", "200")
    assert result.code == 0, result
    assert result.out.startswith("added 200 issues to DEMO (DEMO-1..DEMO-200)")
    return db


@pytest.fixture
def services(demo_db: Path) -> Iterator[Services]:
    opened = open_services(str(demo_db))
    yield opened
    opened.close()


def test_same_seed_same_issues(cli: Cli, tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "c.db"
    for path, seed in ((a, "7"), (b, "7"), (c, "8")):
        assert cli("--db", str(path), "demo", "--issues", "150", "--seed", seed).code == 0

    def shape(path: Path) -> list[tuple[Any, ...]]:
        return [
            (i["key"], i["title"], i["type"], i["status"], i["priority"], i["assignee"],
             i["labels"], i["parent"], i["description"])
            for i in listed(cli, path)
        ]  # fmt: skip

    assert shape(a) == shape(b)
    assert [s[1] for s in shape(a)] != [s[1] for s in shape(c)]


def test_demo_issues_look_like_a_real_project(cli: Cli, demo_db: Path) -> None:
    issues = listed(cli, demo_db)
    today = dt.datetime.now(dt.UTC).date().isoformat()

    assert [i["key"] for i in issues] == [f"DEMO-{n}" for n in range(1, 201)]
    assert len({i["title"] for i in issues}) > 150
    statuses = Counter(i["status"] for i in issues)
    assert set(statuses) == {"To Do", "In Progress", "In Review", "Done"}
    assert statuses["Done"] > statuses["In Review"]
    assert statuses["To Do"] > statuses["In Review"]
    assert {i["type"] for i in issues} >= {"task", "bug", "story", "subtask"}
    assert len({i["priority"] for i in issues}) == 5
    assert {i["assignee"] for i in issues} - {None} <= {u for u, _ in USERS}
    assert any(i["assignee"] is None for i in issues)
    assert {label for i in issues for label in i["labels"]} <= {n for n, _ in LABELS}
    assert sum(bool(i["description"]) for i in issues) in range(60, 141)
    assert any(i["description"].startswith("## Steps to reproduce") for i in issues)
    assert any(i["parent"] for i in issues if i["type"] == "subtask")
    overdue = [i for i in issues if i["due"] and i["due"] < today and i["status"] != "Done"]
    assert overdue
    assert all(i["resolved_at"] for i in issues if i["status"] == "Done")
    assert any(i["archived"] for i in issues)


def test_demo_history_replays_to_every_issue(services: Services) -> None:
    issues = services.issues.search(IssueFilter(include_archived=True))
    moved = 0
    for found in issues:
        issue = services.issues.get(found.id)  # with its description
        changes = services.feed.history(issue.id)
        assert changes[0].field == history.CREATED
        assert history.replay(changes, history.state_of(issue)) == history.state_of(issue), (
            issue.key
        )
        moved += any(c.field == "status" for c in changes)
    assert moved > 50


def test_demo_comments_links_and_watchers_show_up(cli: Cli, demo_db: Path) -> None:
    shown = [
        json.loads(cli("--db", str(demo_db), "show", f"DEMO-{n}", "--format", "json").out)
        for n in range(1, 101)
    ]

    assert sum(bool(s["comments"]) for s in shown) in range(15, 50)
    assert any(s["links"] for s in shown)
    assert any(s["watchers"] for s in shown)
    assert any(s["children"] for s in shown)
    assert all(s["history"][0]["text"] == "created the issue" for s in shown)


def test_demo_again_appends_with_continuing_numbers(cli: Cli, demo_db: Path) -> None:
    again = cli("--db", str(demo_db), "demo", "--issues", "50")
    added = cli("--db", str(demo_db), "add", "--project", "DEMO", "--title", "After the demo")
    services = open_services(str(demo_db))
    try:
        assert_columns_in_rank_order(services, appended_from=201)
    finally:
        services.close()

    assert again.code == 0, again
    assert "(DEMO-201..DEMO-250)" in again.out
    assert added.out.strip() == "DEMO-251"
    assert cli("--db", str(demo_db), "check").out.strip() == "ok"
    assert len(listed(cli, demo_db)) == 251


def test_demo_ranks_keep_every_board_column_in_order(services: Services) -> None:
    assert_columns_in_rank_order(services)


def assert_columns_in_rank_order(services: Services, appended_from: int = 0) -> None:
    """Every card (archived ones too) has its own valid rank, so a drop between any two
    neighbours has room; cards from a second run come after the first run's."""
    project = services.projects.project("DEMO")
    for status in services.projects.statuses(project.id):
        flt = IssueFilter(status_ids=(status.id,), include_archived=True)
        cards = services.issues.search(flt, sort="rank")
        ranks = [i.rank for i in cards]
        assert len(set(ranks)) == len(ranks)
        assert all(rank.is_valid(r) for r in ranks), ranks
        if appended_from:
            numbers = [i.number for i in cards]
            old = [n for n in numbers if n < appended_from]
            assert numbers[: len(old)] == old, status.name


def test_demo_publishes_one_summary_event(tmp_path: Path) -> None:
    services = open_services(str(tmp_path / "bus.db"), create=True)
    seen: list[str] = []
    services.bus.subscribe(lambda events: seen.extend(e.field for e in events))
    try:
        report = fill_demo(services, issues=120, seed=3, project_key="BUS")
    finally:
        services.close()

    assert report.issues == 120
    assert seen.count("demo") == 1
    assert history.CREATED not in seen


def test_demo_refuses_a_negative_count(cli: Cli, db: Path) -> None:
    result = cli("--db", str(db), "demo", "--issues", "-5")

    assert result.code == 2
    assert "must not be negative" in result.err
    assert not db.exists()


def test_demo_again_never_reuses_the_rank_of_an_archived_card(cli: Cli, demo_db: Path) -> None:
    services = open_services(str(demo_db))
    try:
        todo = services.projects.workflow(services.projects.project("DEMO").id).initial
        top = services.issues.search(IssueFilter(status_ids=(todo.id,)), sort="rank")[-1]
    finally:
        services.close()
    assert cli("--db", str(demo_db), "archive", top.key).code == 0

    assert cli("--db", str(demo_db), "demo", "--issues", "150").code == 0

    services = open_services(str(demo_db))
    try:
        assert_columns_in_rank_order(services, appended_from=201)
    finally:
        services.close()
