"""Exports: safe CSV cells, pages read by key in one snapshot, flat memory, the same bytes."""

from __future__ import annotations

import csv
import os
import sqlite3
import stat
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.unit.interchange.test_json import populate
from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.interchange import export_csv, export_json, filter_from_query
from tracker_gui.interchange.json_export import build, dumps
from tracker_gui.services import Services, export_reads
from tracker_gui.services.demo import fill_demo

FORMULA = '=HYPERLINK("http://x","y")'


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of 2 issues and 3 history rows: every boundary is crossed by a few rows."""
    monkeypatch.setattr(export_reads, "PAGE", 2)
    monkeypatch.setattr(export_reads, "CHANGE_PAGE", 3)


def test_text_cells_that_a_spreadsheet_would_run_are_prefixed_numbers_and_dates_are_not(
    services: Services, tmp_path: Path
) -> None:
    project, _ = services.projects.ensure_project("TRK", "Tracker")
    services.projects.add_status(project.id, "-1 Parked", StatusCategory.TODO, 9, "")
    make = services.issues.create
    make(NewIssue("TRK", FORMULA, labels=("@ops",), description="\tindented"))
    make(NewIssue("TRK", "+1 from support", status="-1 Parked", description="\rreturn"))
    late = make(NewIssue("TRK", "-minus", estimate=3.0))
    make(NewIssue("TRK", "a=b is fine", description="- a list item"))
    # A negative estimate only a row the app did not write can hold (another client, on a
    # SQLite file; PostgreSQL's CHECK refuses it, so there the number cell is just positive).
    negative = services.database.is_sqlite
    if negative:
        with services.database.transaction():
            services.issues.repo.update(late.id, late.version, {"estimate": -2.5})
    out = tmp_path / "out.csv"
    columns = ["key", "title", "status", "labels", "estimate", "due", "description"]
    assert export_csv(services, out, None, columns) == 4
    assert read_csv(out)[1:] == [
        ["TRK-1", "'" + FORMULA, "To Do", "'@ops", "", "", "'\tindented"],
        ["TRK-2", "'+1 from support", "'-1 Parked", "", "", "", "'\rreturn"],
        ["TRK-3", "'-minus", "To Do", "", "-2.5" if negative else "3.0", "", ""],
        ["TRK-4", "a=b is fine", "To Do", "", "", "", "'- a list item"],
    ]
    assert services.issues.by_key("TRK-1").title == FORMULA  # stored as given


@pytest.mark.usefixtures("small_pages")
def test_pages_read_by_key_give_what_one_search_finds(services: Services, tmp_path: Path) -> None:
    for key in ("ZED", "ABC"):
        services.projects.ensure_project(key, key)
        for n in range(7):
            services.issues.create(NewIssue(key, f"{key} {'bug' if n % 2 else 'task'} {n}"))
    flt = filter_from_query(services, "bug")
    expected = [["Key", "Title"]] + [
        [i.key, i.title] for i in services.issues.search(flt, sort="key", with_description=True)
    ]
    out = tmp_path / "bugs.csv"
    assert export_csv(services, out, flt, ["key", "title"]) == 6
    assert read_csv(out) == expected
    assert [row[0] for row in expected[1:4]] == ["ABC-2", "ABC-4", "ABC-6"]


@pytest.mark.usefixtures("small_pages")
def test_a_streamed_backup_is_the_bytes_of_the_whole_document(
    services: Services, tmp_path: Path
) -> None:
    populate(services)
    out = tmp_path / "out.json"
    counts = export_json(services, out)
    assert out.read_text("utf-8") == dumps(build(services))
    doc = build(services)
    issues = [i for p in doc["projects"] for i in p["issues"]]
    assert counts == {
        "users": len(doc["users"]),
        "projects": len(doc["projects"]),
        "issues": len(issues),
        "comments": sum(len(i["comments"]) for i in issues),
        "attachments": 1,
        "history": len(doc["history"]),
    }


@pytest.mark.usefixtures("small_pages")
def test_an_export_reads_one_snapshot_while_others_write(
    services: Services, make_services: Callable[..., Services], tmp_path: Path
) -> None:
    services.projects.ensure_project("TRK", "Tracker")
    for n in range(6):
        services.issues.create(NewIssue("TRK", f"before {n}"))
    other = make_services("bob")
    added: list[str] = []

    def write_meanwhile(done: int, total: int) -> None:
        if done < total:  # another user adds an issue while the first pages are written
            added.append(other.issues.create(NewIssue("TRK", f"meanwhile {len(added)}")).key)

    out = tmp_path / "out.csv"
    assert export_csv(services, out, None, ["key", "title"], progress=write_meanwhile) == 6
    assert added and [row[1] for row in read_csv(out)[1:]] == [f"before {n}" for n in range(6)]
    there = services.issues.count(IssueFilter())
    added.clear()
    counts = export_json(services, tmp_path / "out.json", progress=write_meanwhile)
    assert added and counts["issues"] == there
    assert services.issues.count(IssueFilter()) == there + len(added)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_backup_of_thousands_of_issues_holds_a_page_in_memory_not_the_database(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 8: 50,000 issues took 1.1 GB because the whole document was built first."""
    fill_demo(services, 4000, 1, "DEMO", None)
    monkeypatch.setattr(export_reads, "PAGE", 100)
    monkeypatch.setattr(export_reads, "CHANGE_PAGE", 500)
    out = tmp_path / "big.json"
    tracemalloc.start()
    try:
        counts = export_json(services, out)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert counts["issues"] == 4000
    # What stays is a uid per issue (links and history name them); the rest is one page.
    assert peak < out.stat().st_size / 4, (peak, out.stat().st_size)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_formula_another_program_stored_is_guarded_too(
    services: Services, db_target: str, tmp_path: Path
) -> None:
    """A title no service wrote (raw SQL), starting with `@`, is guarded like any other."""
    services.projects.ensure_project("TRK", "Tracker")
    services.issues.create(NewIssue("TRK", "plain"))
    with sqlite3.connect(db_target) as conn:
        conn.execute("UPDATE issue SET title = ?", ("@SUM(1+1)*cmd|' /C calc'!A0",))
    conn.close()
    out = tmp_path / "out.csv"
    export_csv(services, out, None, ["key", "title"])
    assert read_csv(out)[1] == ["TRK-1", "'@SUM(1+1)*cmd|' /C calc'!A0"]


@pytest.mark.skipif(os.name != "posix", reason="file modes and umask are POSIX")
@pytest.mark.parametrize("kind", ["csv", "json"])
def test_an_exported_file_gets_the_users_umask_like_any_saved_file(
    services: Services, tmp_path: Path, kind: str
) -> None:
    services.projects.ensure_project("TRK", "Tracker")
    services.issues.create(NewIssue("TRK", "One"))
    target = tmp_path / "out" / f"out.{kind}"
    target.parent.mkdir()
    old = os.umask(0o022)
    try:
        if kind == "csv":
            export_csv(services, target, IssueFilter())
        else:
            export_json(services, target)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # not mkstemp's 0600
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # still written atomically
