"""The query language against both backends: every operator finds the same issues on each."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tracker_gui.domain.enums import IssueType, LinkKind, Priority, StatusCategory
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.domain.query import QueryError
from tracker_gui.domain.query_fields import SORT_KEYS
from tracker_gui.services import Services, open_services
from tracker_gui.storage import filtering
from tracker_gui.storage.tables import IssueRow

TODAY = dt.date.today()
_numbers = itertools.count(1)


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


@dataclass
class Dataset:
    services: Services
    backend: str

    def keys(self, query: str, **fields: Any) -> set[str]:
        flt = IssueFilter(query=query, **fields)
        found = self.services.issues.search(flt)
        assert self.services.issues.count(flt) == len(found)
        return {i.key for i in found}

    def ordered(self, query: str) -> list[str]:
        return [i.key for i in self.services.issues.search(IssueFilter(query=query))]


def build(services: Services, bob: Services) -> None:
    """Two projects, three people, eight issues (one archived), made through the services."""
    services.projects.ensure_project("TRK", "Tracker")
    web_project, _ = services.projects.ensure_project("WEB", "Website")
    services.projects.add_status(web_project.id, "Shipped", StatusCategory.DONE)
    for name in ("bob", "carol"):
        services.projects.ensure_user(name, name.title())
    new, issues = services.issues.create, services.issues
    new(NewIssue("TRK", "Login crash on startup", IssueType.BUG, Priority.HIGH,
                 assignee="alice", labels=("bug", "ui"), due=day(-3),
                 description="The app crashes when the password is wrong."))  # fmt: skip
    new(NewIssue("TRK", "Export reports as PDF", IssueType.STORY, status="In Review",
                 assignee="bob", labels=("export",),
                 description="Users want printable reports for the board."))  # fmt: skip
    epic = new(NewIssue("TRK", "Dark theme", IssueType.EPIC, Priority.LOW, status="In Progress"))
    bob.issues.comment(epic.id, "A login screen crash was seen here too")
    new(NewIssue("TRK", "Fix typo in settings", IssueType.TASK, Priority.LOWEST, status="Done",
                 assignee="carol", parent_key="TRK-3", due=day(-10)))  # fmt: skip
    old = new(NewIssue("TRK", "Archived login idea", description="crash"))
    issues.archive(old.id, old.version)
    bob.issues.create(NewIssue("TRK", "Robert'); DROP TABLE issue; -- 100% of CPU_usage",
                               labels=("50%_off", "C:\\temp"),
                               description='Path to the "quoted" file'))  # fmt: skip
    web = bob.issues.create(NewIssue("WEB", "Landing page redesign", IssueType.STORY,
                                     Priority.HIGHEST, assignee="alice", labels=("ui",),
                                     due=day(20)))  # fmt: skip
    issues.link(web.id, LinkKind.BLOCKS, "TRK-2")
    issues.watch(web.id)
    new(NewIssue("WEB", "Crashing newsletter signup", IssueType.BUG, Priority.HIGH,
                 status="Shipped", assignee="carol", labels=("bug",),
                 description="The signup form crashed twice."))  # fmt: skip
    # Creation and update times, as days before today (at noon), for the date operators.
    times = {1: (-20, -1), 2: (-40, -35), 3: (-2, -2), 4: (-10, -5), 5: (-60, -60), 6: (-1, 0),
             7: (-5, -3), 8: (-100, -50)}  # fmt: skip
    with services.database.transaction():
        for issue_id, (created, updated) in times.items():
            noon = dt.time(12)
            IssueRow.update(
                created_at=dt.datetime.combine(day(created), noon),
                updated_at=dt.datetime.combine(day(updated), noon),
            ).where(IssueRow.id == issue_id).execute()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def dataset(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dataset]:
    """The same data on each backend, built once per module (queries only read it)."""
    pg = request.getfixturevalue("pg_databases") if request.param == "postgres" else None
    if pg is None:
        name = ""
        target = str(tmp_path_factory.mktemp("search") / "search.db")
    else:
        name, target = pg.create()
    services = open_services(target, create=True, actor="alice")
    bob = open_services(target, actor="bob")
    services.issues.repo.clock = lambda: TODAY
    try:
        build(services, bob)
        yield Dataset(services, request.param)
    finally:
        bob.close()
        services.close()
        if pg is not None:
            pg.release(name)


VISIBLE = {"TRK-1", "TRK-2", "TRK-3", "TRK-4", "TRK-6", "WEB-1", "WEB-2"}
CASES: list[tuple[str, set[str]]] = [
    ("", VISIBLE),
    ('status:"In Review"', {"TRK-2"}),
    ("status:done", {"TRK-4", "WEB-2"}),  # the name, and the category (WEB-2 is Shipped)
    ("status:shipped", {"WEB-2"}),
    ('status:"In Progress"', {"TRK-3"}),  # a name: not In Review, also in progress
    ("status:in-progress", {"TRK-2", "TRK-3"}),  # the category's own word
    ("status:todo", {"TRK-1", "TRK-6", "WEB-1"}),
    ('status:"to do",DONE', {"TRK-1", "TRK-6", "WEB-1", "TRK-4", "WEB-2"}),
    ("category:in_progress", {"TRK-2", "TRK-3"}),
    ("assignee:me", {"TRK-1", "WEB-1"}),
    ("assignee:none", {"TRK-3", "TRK-6"}),
    ("assignee:bob,none", {"TRK-2", "TRK-3", "TRK-6"}),
    ("-assignee:alice", {"TRK-2", "TRK-3", "TRK-4", "TRK-6", "WEB-2"}),
    ("reporter:bob", {"TRK-6", "WEB-1"}),
    ("reporter:me", {"TRK-1", "TRK-2", "TRK-3", "TRK-4", "WEB-2"}),
    ("label:bug", {"TRK-1", "WEB-2"}),
    ("label:BUG,export", {"TRK-1", "TRK-2", "WEB-2"}),
    ("-label:bug", {"TRK-2", "TRK-3", "TRK-4", "TRK-6", "WEB-1"}),
    ("type:bug", {"TRK-1", "WEB-2"}),
    ("type:story,epic", {"TRK-2", "TRK-3", "WEB-1"}),
    ("priority>=high", {"TRK-1", "WEB-1", "WEB-2"}),
    ("priority>high", {"WEB-1"}),
    ("priority<medium", {"TRK-3", "TRK-4"}),
    ("priority<=low", {"TRK-3", "TRK-4"}),
    ("priority=medium", {"TRK-2", "TRK-6"}),
    ("priority:low,lowest", {"TRK-3", "TRK-4"}),
    ("project:WEB", {"WEB-1", "WEB-2"}),
    ("project:web,trk", VISIBLE),
    ("-project:TRK", {"WEB-1", "WEB-2"}),
    ("key:TRK-2", {"TRK-2"}),
    ("key:trk-2,WEB-1", {"TRK-2", "WEB-1"}),
    ("key:TRK-99", set()),
    (f"due<{TODAY}", {"TRK-1", "TRK-4"}),
    (f"due<={day(-3)}", {"TRK-1", "TRK-4"}),
    (f"due>={TODAY}", {"WEB-1"}),
    (f"due>{day(-10)}", {"TRK-1", "WEB-1"}),
    (f"due:{day(20)}", {"WEB-1"}),
    (f"-due<{TODAY}", {"TRK-2", "TRK-3", "TRK-6", "WEB-1", "WEB-2"}),
    ("due:overdue", {"TRK-1"}),
    ("due<+3w", {"TRK-1", "TRK-4", "WEB-1"}),
    ("created>-7d", {"TRK-3", "TRK-6", "WEB-1"}),
    ("created>=-10d", {"TRK-3", "TRK-4", "TRK-6", "WEB-1"}),
    (f"created:{day(-2)}", {"TRK-3"}),
    ("created<=-40d", {"TRK-2", "WEB-2"}),
    ("updated<-30d", {"TRK-2", "WEB-2"}),
    ("updated>-2w", {"TRK-1", "TRK-3", "TRK-4", "TRK-6", "WEB-1"}),
    ("updated:today", {"TRK-6"}),
    ("is:open", {"TRK-1", "TRK-2", "TRK-3", "TRK-6", "WEB-1"}),
    ("is:closed", {"TRK-4", "WEB-2"}),
    ("-is:open", {"TRK-4", "WEB-2"}),
    ("is:archived", VISIBLE | {"TRK-5"}),
    ("is:archived login", {"TRK-1", "TRK-3", "TRK-5"}),
    ("has:due", {"TRK-1", "TRK-4", "WEB-1"}),
    ("-has:due", {"TRK-2", "TRK-3", "TRK-6", "WEB-2"}),
    ("has:parent", {"TRK-4"}),
    ("has:assignee", {"TRK-1", "TRK-2", "TRK-4", "WEB-1", "WEB-2"}),
    ("has:label", {"TRK-1", "TRK-2", "TRK-6", "WEB-1", "WEB-2"}),
    ("has:description", {"TRK-1", "TRK-2", "TRK-6", "WEB-2"}),
    ("watching:me", {"WEB-1"}),
    ("watcher:alice", {"WEB-1"}),
    ("watching:bob", set()),
    ("parent:TRK-3", {"TRK-4"}),
    ("-parent:TRK-3", VISIBLE - {"TRK-4"}),
    ("blocks:TRK-2", {"WEB-1"}),
    ("blocks:TRK-1", set()),
    # Words and phrases: titles, descriptions and comments, stemmed alike on both engines.
    ("crash", {"TRK-1", "TRK-3", "WEB-2"}),
    ("CRASHES", {"TRK-1", "TRK-3", "WEB-2"}),
    ("login crash", {"TRK-1", "TRK-3"}),
    ('"login crash"', {"TRK-1"}),
    ('"screen crash"', {"TRK-3"}),
    ("crash -login", {"WEB-2"}),
    ("-crash", {"TRK-2", "TRK-4", "TRK-6", "WEB-1"}),
    ("crash OR pdf", {"TRK-1", "TRK-2", "TRK-3", "WEB-2"}),
    ("(crash OR pdf) type:bug", {"TRK-1", "WEB-2"}),
    ("login OR label:export", {"TRK-1", "TRK-2", "TRK-3"}),
    ("-(crash OR pdf)", {"TRK-4", "TRK-6", "WEB-1"}),
    ("report printable", {"TRK-2"}),
    ("the crash", {"TRK-1", "TRK-3", "WEB-2"}),  # stop words are ignored on both
    ("the", VISIBLE),
    ("assignee:me is:open sort:-updated", {"TRK-1", "WEB-1"}),
    ("sort:priority", VISIBLE),
    # What a hostile or careless user types is data, never SQL.
    ("'; DROP TABLE issue; --", {"TRK-6"}),
    ('"DROP TABLE"', {"TRK-6"}),
    ("label:50%_off", {"TRK-6"}),
    ('label:"50%_off"', {"TRK-6"}),
    ("label:%", set()),
    ("label:50__off", set()),
    ("label:_", set()),
    (r"label:C:\temp", {"TRK-6"}),
    (r'label:"C:\\temp"', {"TRK-6"}),
    (r'label:"C:\\"', set()),
    ("status:%", set()),
    ('assignee:"\'"', set()),
    ("project:%", set()),
    ("100%", {"TRK-6"}),
    ("cpu_usage", {"TRK-6"}),
    ('"quoted"', {"TRK-6"}),
    ("%", VISIBLE),
    ("crash % _ \\", {"TRK-1", "TRK-3", "WEB-2"}),
    ("'", VISIBLE),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[q or "<empty>" for q, _ in CASES])
def test_every_operator_finds_the_same_issues_on_both_backends(
    dataset: Dataset, query: str, expected: set[str]
) -> None:
    assert dataset.keys(query) == expected


def test_the_query_narrows_the_other_filter_fields(dataset: Dataset) -> None:
    web = dataset.services.projects.project("WEB")
    assert dataset.keys("crash", project_ids=(web.id,)) == {"WEB-2"}
    assert dataset.keys("login", include_archived=True) == {"TRK-1", "TRK-3", "TRK-5"}
    counts = dataset.services.issues.count_by_status(IssueFilter(query="is:closed"))
    assert sum(counts.values()) == 2


def test_sort_terms_and_relevance_order(dataset: Dataset) -> None:
    assert dataset.ordered("project:TRK sort:-key") == ["TRK-6", "TRK-4", "TRK-3", "TRK-2", "TRK-1"]
    assert dataset.ordered("is:open sort:-updated") == ["TRK-6", "TRK-1", "TRK-3", "WEB-1", "TRK-2"]
    assert dataset.ordered("type:bug,story sort:priority") == ["TRK-2", "TRK-1", "WEB-2", "WEB-1"]
    # Words and no sort: best match first. A title hit beats a comment hit.
    assert dataset.ordered("login crash")[0] == "TRK-1"
    assert dataset.ordered("crash")[-1] == "TRK-3"
    # An explicit sort from the caller wins over the query's.
    explicit = dataset.services.issues.search(IssueFilter(query="crash sort:-key"), sort="key")
    assert [i.key for i in explicit] == ["TRK-1", "TRK-3", "WEB-2"]


def test_the_sort_words_are_the_storage_sorts() -> None:
    assert set(SORT_KEYS) == set(filtering.SORTS)


def test_a_bad_query_is_a_query_error_from_every_read(dataset: Dataset) -> None:
    issues = dataset.services.issues
    bad = IssueFilter(query="status:done (crash")
    for read in (issues.search, issues.count, issues.count_by_status):
        with pytest.raises(QueryError, match='col 19: expected "\\)"'):
            read(bad)


# -- the index follows every write (triggers) ---------------------------------------------------
def search_keys(services: Services, query: str) -> set[str]:
    return {i.key for i in services.issues.search(IssueFilter(query=query))}


def test_the_index_follows_edits_comments_and_deletes(services: Services) -> None:
    services.projects.ensure_project("TRK")
    first = services.issues.create(NewIssue("TRK", "Kettle whistles"))
    second = services.issues.create(NewIssue("TRK", "Toaster", description="burns the bread"))
    assert search_keys(services, "kettle") == {"TRK-1"}
    assert search_keys(services, "bread") == {"TRK-2"}

    services.issues.edit(first.id, first.version, {"title": "Teapot whistles"})
    assert search_keys(services, "kettle") == set()
    assert search_keys(services, "teapot") == {"TRK-1"}
    services.issues.edit(second.id, second.version, {"description": "smells of smoke"})
    assert search_keys(services, "bread") == set()
    assert search_keys(services, "smoke") == {"TRK-2"}

    comment = services.issues.comment(first.id, "The lid rattles loudly")
    services.issues.comment(first.id, "and the handle wobbles")
    assert search_keys(services, "rattle") == {"TRK-1"}
    assert search_keys(services, "rattle wobble") == {"TRK-1"}
    services.issues.edit_comment(comment.id, "The spout drips")
    assert search_keys(services, "rattle") == set()
    assert search_keys(services, "drip") == {"TRK-1"}
    assert search_keys(services, "wobble") == {"TRK-1"}
    services.issues.delete_comment(comment.id)
    assert search_keys(services, "drip") == set()
    assert search_keys(services, "wobble") == {"TRK-1"}
    # A move does not touch the text, and the index keeps finding the issue.
    status = services.projects.statuses(first.project_id)[1]
    moved = services.issues.move(first.id, services.issues.get(first.id).version, status.id)
    assert search_keys(services, "teapot") == {"TRK-1"}

    services.issues.delete(moved.id, moved.version)
    assert search_keys(services, "teapot") == set()
    assert search_keys(services, "wobble OR smoke") == {"TRK-2"}
    with services.database.reading():
        table = "issue_fts" if services.database.is_sqlite else "issue_search"
        rows = services.database.peewee.execute_sql(f"SELECT count(*) FROM {table}").fetchone()
    assert rows[0] == 1


def test_a_title_match_ranks_above_description_and_comment_matches(services: Services) -> None:
    services.projects.ensure_project("TRK")
    new = services.issues.create
    words = new(NewIssue("TRK", "Notes", description="printer printer printer jams"))
    said = new(NewIssue("TRK", "Other"))
    services.issues.comment(said.id, "the printer is out of paper")
    titled = new(NewIssue("TRK", "Printer offline"))
    new(NewIssue("TRK", "Unrelated"))
    found = [i.id for i in services.issues.search(IssueFilter(query="printer"))]
    assert found == [titled.id, words.id, said.id]


def test_hostile_text_leaves_every_table_intact(services: Services) -> None:
    services.projects.ensure_project("TRK")
    services.issues.create(NewIssue("TRK", "Robert'); DROP TABLE issue;--"))
    hostile = [
        "'; DROP TABLE issue; --",
        '"; DROP TABLE issue; --',
        'label:"\'); DELETE FROM issue; --"',
        "x' OR '1'='1",
        "\\'; DROP TABLE issue_fts; --",
        'NEAR("drop" "table") OR * ^ : { }',
        "status:' OR 1=1 --",
    ]
    for text in hostile:
        try:
            services.issues.search(IssueFilter(query=text))
            services.issues.count(IssueFilter(query=text))
        except QueryError:
            pass
    assert search_keys(services, "robert") == {"TRK-1"}
    assert services.issues.count(IssueFilter(include_archived=True)) == 1
    assert services.database.integrity_problems() == []


# -- migration 0002 on a database made at version 1 -----------------------------------------------
def test_version_1_databases_get_the_index_with_their_old_issues(
    tmp_path: Path, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker_gui.storage import database as database_module

    only_first = tmp_path / "migrations"
    only_first.mkdir()
    real = database_module.MIGRATIONS_DIR
    (only_first / "0001_initial.py").write_text((real / "0001_initial.py").read_text())
    # Today's services write each Change row's change set (0006): the old file gets that
    # column too, so they can write its history; the full-text migrations stay pending.
    (only_first / "0006_change_set.py").write_text((real / "0006_change_set.py").read_text())
    # The same for the columns today's issue and project rows read (0013, time tracking).
    (only_first / "0013_worklog.py").write_text((real / "0013_worklog.py").read_text())
    monkeypatch.setattr(database_module, "MIGRATIONS_DIR", only_first)
    path = tmp_path / "old.db"
    old = open_services(str(path), create=True, actor="alice")
    old.projects.ensure_project("TRK")
    issue = old.issues.create(NewIssue("TRK", "Kettle whistles", description="very loud"))
    old.issues.comment(issue.id, "the spout drips")
    old.close()

    monkeypatch.setattr(database_module, "MIGRATIONS_DIR", real)
    services = open_services(str(path), actor="alice")
    try:
        assert search_keys(services, "kettle") == {"TRK-1"}
        assert search_keys(services, "drip loud") == {"TRK-1"}
        services.issues.create(NewIssue("TRK", "Toaster drips too"))
        assert search_keys(services, "drip") == {"TRK-1", "TRK-2"}
    finally:
        services.close()
    backups = list((tracker_home / "data" / "backups").iterdir())
    assert len(backups) == 1 and "-before-0002_" in backups[0].name


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_postgres_version_1_databases_get_the_index(
    new_target: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker_gui.storage import database as database_module

    only_first = tmp_path / "migrations"
    only_first.mkdir()
    real = database_module.MIGRATIONS_DIR
    (only_first / "0001_initial.py").write_text((real / "0001_initial.py").read_text())
    # Today's services write each Change row's change set (0006): the old file gets that
    # column too, so they can write its history; the full-text migrations stay pending.
    (only_first / "0006_change_set.py").write_text((real / "0006_change_set.py").read_text())
    (only_first / "0013_worklog.py").write_text((real / "0013_worklog.py").read_text())
    monkeypatch.setattr(database_module, "MIGRATIONS_DIR", only_first)
    target = new_target(migrated=False)  # type: ignore[operator]
    old = open_services(target, create=True, actor="alice")
    old.projects.ensure_project("TRK")
    issue = old.issues.create(NewIssue("TRK", "Kettle whistles"))
    old.issues.comment(issue.id, "the spout drips")
    old.close()
    monkeypatch.setattr(database_module, "MIGRATIONS_DIR", real)
    services = open_services(target, actor="alice")
    try:
        assert search_keys(services, "kettle drip") == {"TRK-1"}
    finally:
        services.close()
