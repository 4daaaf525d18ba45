"""Bulk writes (the demo, a CSV import, a JSON restore) on a secured PostgreSQL database.

They plan their issue numbers before writing (the keys they print and the import's key map
name them), so the database must keep exactly those numbers; and a member's import must be
theirs: their name as reporter, the time it happened, whatever the file says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.errors import PermissionDeniedError
from tracker_gui.interchange.commands import run_import
from tracker_gui.services import Services, open_services
from tracker_gui.services.demo import fill_demo

pytestmark = pytest.mark.postgres

CSV = (
    "Key,Summary,Status,Reporter,Created\n"
    "OLD-7,First from the file,To Do,sec_adm,2020-01-02\n"
    "OLD-9,Second from the file,Done,sec_vie,2021-03-04\n"
    "OLD-12,Third from the file,In Progress,,\n"
)


@pytest.fixture
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster)
    yield db
    drop(db)


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "issues.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def _issues(secured: Secured, key: str) -> list[tuple[Any, ...]]:
    """(number, title, reporter, created_at) of a project's issues, as stored."""
    with superuser(secured) as conn:
        return conn.execute(
            "SELECT i.number, i.title, u.username, i.created_at FROM issue i"
            " JOIN project p ON p.id = i.project_id JOIN app_user u ON u.id = i.reporter_id"
            " WHERE p.key = %s ORDER BY i.number",
            (key,),
        ).fetchall()


def _next_number(secured: Secured, key: str) -> int:
    with superuser(secured) as conn:
        row = conn.execute("SELECT next_number FROM project WHERE key = %s", (key,)).fetchone()
    assert row is not None
    return int(row[0])


def _created_rows(secured: Secured, key: str) -> list[tuple[Any, ...]]:
    """(issue id, actor) of every `created` Change row of a project."""
    with superuser(secured) as conn:
        return conn.execute(
            "SELECT c.issue_id, c.actor FROM change c JOIN project p ON p.id = c.project_id"
            " WHERE p.key = %s AND c.field = 'created' ORDER BY c.issue_id",
            (key,),
        ).fetchall()


def _import(services: Services, path: Path, project: str) -> dict[str, Any]:
    outcome = run_import(services, "csv", path, project=project)
    assert outcome.error is None, outcome.error
    assert isinstance(outcome.data, dict)
    return dict(outcome.data)


def test_the_demo_as_superuser_numbers_issues_as_it_reports(secured: Secured) -> None:
    admin = open_services(secured.super_url)
    secured.opened.append(admin)
    first = fill_demo(admin, 30, project_key="DEMO")
    again = fill_demo(admin, 5, seed=2, project_key="DEMO")
    assert (first.first_number, first.last_number) == (1, 30)
    assert (again.first_number, again.last_number) == (31, 35)
    stored = _issues(secured, "DEMO")
    assert [row[0] for row in stored] == list(range(1, 36))
    # Parents were found by the numbers planned for them.
    with superuser(secured) as conn:
        row = conn.execute("SELECT count(*) FROM issue WHERE parent_id IS NOT NULL").fetchone()
    assert row is not None and row[0] == first.children + again.children > 0
    assert _next_number(secured, "DEMO") == 36
    # The database writes the history: one `created` row per issue, none written twice.
    created = _created_rows(secured, "DEMO")
    assert len(created) == 35 == len({issue for issue, _ in created})
    # The history rows it reports are the ones the database holds (not the made-up ones).
    with superuser(secured) as conn:
        rows = conn.execute(
            "SELECT count(*) FROM change c JOIN project p ON p.id = c.project_id"
            " WHERE p.key = 'DEMO'"
        ).fetchone()
    assert rows is not None and first.changes + again.changes == rows[0]


def test_a_members_csv_import_keeps_its_keys_and_is_the_members(
    secured: Secured, csv_file: Path
) -> None:
    mem = secured.services("mem")
    before = _next_number(secured, "TRK")
    data = _import(mem, csv_file, "TRK")
    keys = [f"TRK-{before + n}" for n in range(3)]
    assert data["key_map"] == dict(zip(["OLD-7", "OLD-9", "OLD-12"], keys, strict=True))
    stored = _issues(secured, "TRK")
    assert [(f"TRK-{n}", title) for n, title, _, _ in stored] == list(
        zip(keys, ["First from the file", "Second from the file", "Third from the file"],
            strict=True)
    )  # fmt: skip
    # A member cannot make an issue someone else's, or older than it is.
    assert {reporter for _, _, reporter, _ in stored} == {"sec_mem"}
    assert all(created > dt.datetime(2026, 1, 1) for _, _, _, created in stored)
    assert [actor for _, actor in _created_rows(secured, "TRK")] == ["sec_mem"] * 3
    assert _next_number(secured, "TRK") == before + 3
    # The key map names issues the member can open by those keys.
    for key in keys:
        assert mem.issues.by_key(key).key == key


def test_an_admins_import_keeps_the_files_reporters_and_dates(
    secured: Secured, csv_file: Path
) -> None:
    adm = secured.services("adm")
    data = _import(adm, csv_file, "TRK")
    assert data["key_map"] == {"OLD-7": "TRK-1", "OLD-9": "TRK-2", "OLD-12": "TRK-3"}
    stored = _issues(secured, "TRK")
    assert [(n, who, created.date()) for n, _, who, created in stored[:2]] == [
        (1, "sec_adm", dt.date(2020, 1, 2)),
        (2, "sec_vie", dt.date(2021, 3, 4)),
    ]
    assert stored[2][2] == "sec_adm"  # no reporter in the file: whoever imports
    # The history still tells who imported them, and when.
    assert [actor for _, actor in _created_rows(secured, "TRK")] == ["sec_adm"] * 3


@pytest.mark.parametrize("who", ["vie", "out"])
def test_an_import_by_a_viewer_or_outsider_is_refused_untouched(
    secured: Secured, csv_file: Path, who: str
) -> None:
    before = _next_number(secured, "TRK")
    with pytest.raises(PermissionDeniedError, match=r"not allowed|may not"):
        run_import(secured.services(who), "csv", csv_file, project="TRK")
    assert _issues(secured, "TRK") == []
    assert _next_number(secured, "TRK") == before


def test_a_members_second_import_continues_after_the_first(
    secured: Secured, csv_file: Path
) -> None:
    mem = secured.services("mem")
    _import(mem, csv_file, "TRK")
    secured.services("adm").issues.create(_new("TRK", "made by hand"))
    data = _import(mem, csv_file, "TRK")
    assert data["key_map"] == {"OLD-7": "TRK-5", "OLD-9": "TRK-6", "OLD-12": "TRK-7"}
    assert [n for n, *_ in _issues(secured, "TRK")] == list(range(1, 8))


def _new(key: str, title: str) -> Any:
    from tracker_gui.domain.models import NewIssue

    return NewIssue(key, title)


def test_a_restore_as_superuser_keeps_the_backups_numbers(secured: Secured, tmp_path: Path) -> None:
    from tracker_gui.interchange import export_json, import_json

    source = open_services(str(tmp_path / "source.db"), create=True, actor="alice")
    try:
        source.projects.ensure_project("SRC", "Source")
        made = [source.issues.create(_new("SRC", f"issue {n}")) for n in range(1, 6)]
        for gone in (made[1], made[4]):  # SRC-2 and SRC-5: gaps, and next_number stays 6
            source.issues.delete(gone.id, gone.version)
        export_json(source, tmp_path / "backup.json")
    finally:
        source.close()
    admin = open_services(secured.super_url)
    secured.opened.append(admin)
    report = import_json(admin, tmp_path / "backup.json")
    assert report.committed
    # The database wrote the history of the restore itself, and the report says the
    # backup's own rows stayed out.
    assert [p.where for p in report.warnings] == ["history"]
    assert report.created["history rows"] == 0
    stored = _issues(secured, "SRC")
    assert [(n, title, who) for n, title, who, _ in stored] == [
        (1, "issue 1", "alice"),
        (3, "issue 3", "alice"),
        (4, "issue 4", "alice"),
    ]
    assert _next_number(secured, "SRC") == 6
    assert admin.issues.by_key("SRC-3").title == "issue 3"


def test_an_old_secured_database_asks_for_setup_postgres_then_imports(
    secured: Secured, csv_file: Path
) -> None:
    from tracker_gui.errors import StorageError
    from tracker_gui.storage.postgres import provision

    with superuser(secured) as conn:  # as set up by the version before number blocks
        conn.execute("DROP FUNCTION tracker_reserve_numbers(bigint, integer)")
        conn.execute("DROP TABLE issue_number_block")
    with pytest.raises(StorageError, match="admin setup-postgres"):
        run_import(secured.services("mem"), "csv", csv_file, project="TRK")
    assert _issues(secured, "TRK") == []
    secured.close()
    provision.setup_postgres(secured.super_url)
    data = _import(secured.services("mem"), csv_file, "TRK")
    assert data["key_map"] == {"OLD-7": "TRK-1", "OLD-9": "TRK-2", "OLD-12": "TRK-3"}


def test_what_a_member_may_not_create_refuses_the_whole_write(
    secured: Secured, tmp_path: Path
) -> None:
    mem = secured.services("mem")
    before = _next_number(secured, "TRK")
    stranger = tmp_path / "stranger.csv"
    stranger.write_text("Summary,Reporter\nA,somebody_new\n", encoding="utf-8")
    with pytest.raises(PermissionDeniedError):
        run_import(mem, "csv", stranger, project="TRK")
    with pytest.raises(PermissionDeniedError):  # the demo makes its own people
        fill_demo(mem, 5, project_key="TRK")
    assert _issues(secured, "TRK") == []
    assert _next_number(secured, "TRK") == before


def test_a_jira_import_into_a_new_project_keeps_the_files_keys(secured: Secured) -> None:
    from tests.unit.interchange.conftest import JIRA
    from tracker_gui.interchange import import_jira

    admin = open_services(secured.super_url)  # only the superuser may create a project
    secured.opened.append(admin)
    report = import_jira(admin, JIRA)
    assert report.committed
    assert [n for n, *_ in _issues(secured, "SHOP")] == [1, 2, 3, 4, 5, 7, 8, 10]
    assert _next_number(secured, "SHOP") == 11
    assert admin.issues.by_key("SHOP-10").key == "SHOP-10"
