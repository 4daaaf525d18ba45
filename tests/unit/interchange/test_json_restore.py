"""A JSON backup into a fresh app (the untouched default project makes way) or beside real data."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import Cli
from tests.unit.interchange.conftest import TRELLO, sha256
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.errors import UserError
from tracker_gui.interchange import (
    ImportRejected,
    export_json,
    import_json,
    import_trello,
    json_apply,
)
from tracker_gui.interchange.json_import import BackupReport, Checker, next_free_key
from tracker_gui.interchange.shape import obj
from tracker_gui.interchange.textio import read_json
from tracker_gui.services import Services, open_services


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    """A JSON backup of a database with real data in TRK (and a Trello board as WEB)."""
    source = open_services(str(tmp_path / "source.db"), create=True, actor="alice")
    try:
        source.projects.ensure_project("TRK", "Tracker")
        source.issues.create(NewIssue("TRK", "from the backup"))
        import_trello(source, TRELLO, project="WEB")
        export_json(source, tmp_path / "backup.json")
    finally:
        source.close()
    return tmp_path / "backup.json"


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Services]:
    """What `init` (or the window's first start) makes: the empty default project TRK."""
    services = open_services(str(tmp_path / "fresh.db"), create=True, actor="zed")
    services.projects.ensure_project("TRK", "Tracker")
    yield services
    services.close()


def _keys(services: Services) -> list[str]:
    return [p.key for p in services.projects.projects(include_archived=True)]


def _titles(services: Services, key: str) -> list[str]:
    project = services.projects.project(key)
    found = services.issues.search(IssueFilter(project_ids=(project.id,), include_archived=True))
    return sorted(i.title for i in found)


def test_a_backup_restores_into_a_fresh_database(
    make_services: Callable[..., Services], backup: Path
) -> None:
    fresh = make_services("zed", create=True)  # SQLite, and PostgreSQL without the security
    fresh.projects.ensure_project("TRK", "Tracker")
    report = import_json(fresh, backup)
    assert report.committed and report.ok
    assert report.replaced == "TRK"
    assert sorted(_keys(fresh)) == ["TRK", "WEB"]
    assert _titles(fresh, "TRK") == ["from the backup"]
    statuses = [s.name for s in fresh.projects.statuses(fresh.projects.project("TRK").id)]
    assert statuses == ["To Do", "In Progress", "In Review", "Done"]
    # The backup's history only: the removed project's creation row went with it.
    created = [c for c in fresh.feed.changes_since(0, limit=10_000) if c.field == "project"]
    assert [c.actor for c in created] == ["alice", "alice"]
    assert "removed the unused project TRK (made with the database)" in report.lines()


def test_the_default_project_makes_way_whatever_keys_the_backup_holds(
    tmp_path: Path, backup: Path
) -> None:
    services = open_services(str(tmp_path / "other.db"), create=True)
    try:
        services.projects.ensure_project("OPS", "Operations")  # `init --project OPS`
        doc = json.loads(backup.read_text("utf-8"))
        doc["projects"] = [p for p in doc["projects"] if p["key"] == "WEB"]
        doc["history"] = [c for c in doc["history"] if c["project"] == "WEB"]
        only_web = tmp_path / "web.json"
        only_web.write_text(json.dumps(doc), "utf-8")
        report = import_json(services, only_web)
        assert report.committed and report.replaced == "OPS"
        assert _keys(services) == ["WEB"]
    finally:
        services.close()


def test_a_dry_run_removes_nothing(fresh: Services, backup: Path) -> None:
    report = import_json(fresh, backup, dry_run=True)
    assert report.ok and not report.committed
    assert "would remove the unused project TRK (made with the database)" in report.lines()
    assert _keys(fresh) == ["TRK"]


@pytest.mark.parametrize("use", ["issue", "deleted issue", "label", "renamed", "workflow"])
def test_a_used_default_project_is_never_removed(
    fresh: Services, backup: Path, tmp_path: Path, use: str
) -> None:
    project = fresh.projects.project("TRK")
    if use in ("issue", "deleted issue"):
        issue = fresh.issues.create(NewIssue("TRK", "mine"))
        if use == "deleted issue":
            fresh.issues.delete(issue.id, issue.version)
    elif use == "label":
        fresh.projects.ensure_label(project.id, "mine")
    elif use == "renamed":
        fresh.projects.update_project("TRK", "My tracker")
    else:
        done = fresh.projects.statuses(project.id)[-1]
        fresh.projects.update_status(done.id, wip_limit=3)
    fresh.close()
    path = tmp_path / "fresh.db"
    digest = sha256(path)
    again = open_services(str(path), actor="zed")
    try:
        with pytest.raises(ImportRejected) as caught:
            import_json(again, backup)
        assert [p.where for p in caught.value.report.errors] == ["projects[0].key"]
        assert caught.value.report.errors[0].message == (
            "project TRK already exists here: import under new keys to add it as TRK2"
        )
    finally:
        again.close()
    assert sha256(path) == digest


def test_projects_with_taken_keys_import_under_new_keys(services: Services, backup: Path) -> None:
    services.projects.ensure_project("TRK", "Mine")
    services.issues.create(NewIssue("TRK", "my own"))
    services.projects.ensure_project("TRK2", "Also mine")
    report = import_json(services, backup, rename_projects=True)
    assert report.committed and report.renamed == {"TRK": "TRK3"}
    assert report.as_dict()["renamed"] == {"TRK": "TRK3"}
    assert "renamed TRK -> TRK3" in report.lines()
    assert _titles(services, "TRK") == ["my own"]
    assert _titles(services, "TRK3") == ["from the backup"]
    assert services.issues.by_key("TRK3-1").title == "from the backup"
    web = services.projects.project("WEB")  # no clash: its key is kept
    assert len(_titles(services, "WEB")) > 0 and web.key == "WEB"
    trk3 = services.projects.project("TRK3")
    history = services.feed.changes_since(0, limit=10_000)
    assert any(c.project_id == trk3.id and c.issue_id is not None for c in history)


def test_next_free_key_fits_the_limit() -> None:
    assert next_free_key("TRK", {"TRK"}) == "TRK2"
    assert next_free_key("TRK", {"TRK", "TRK2", "TRK3"}) == "TRK4"
    assert next_free_key("ABCDEFGHIJ", {"ABCDEFGHIJ"}) == "ABCDEFGHI2"
    taken = {"ABCDEFGHIJ"} | {f"ABCDEFGHI{n}" for n in range(2, 10)}
    assert next_free_key("ABCDEFGHIJ", taken) == "ABCDEFGH10"


def test_the_project_used_between_check_and_write_is_not_removed(
    fresh: Services, backup: Path
) -> None:
    report = BackupReport("json", str(backup))
    checked = Checker(fresh, report).document(obj(read_json(backup), "the file"))
    assert report.ok and checked.replaces is not None
    fresh.issues.create(NewIssue("TRK", "typed in the window meanwhile"))
    with pytest.raises(UserError, match="the database changed while the backup was checked"):
        json_apply.write(fresh, checked, report, lambda *a, **k: None)  # type: ignore[arg-type]
    assert _keys(fresh) == ["TRK"] and _titles(fresh, "TRK") == ["typed in the window meanwhile"]


# -- the command line -------------------------------------------------------------------------
def test_cli_import_json_into_a_database_made_by_init(
    cli: Cli, backup: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "new.db")
    assert cli("--db", db, "init").code == 0
    done = cli("--db", db, "import", "json", str(backup))
    assert done.code == 0, done
    listed = json.loads(cli("--db", db, "--format", "json", "list", "--project", "TRK").out)
    assert [i["title"] for i in listed] == ["from the backup"]


def test_cli_explains_a_clash_and_renames_on_request(
    cli: Cli, backup: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "mine.db")
    cli("--db", db, "init")
    cli("--db", db, "add", "--project", "TRK", "--title", "my own")
    refused = cli("--db", db, "import", "json", str(backup))
    assert refused.code == 1
    assert refused.err_lines[-1].endswith(
        "(project keys taken here: --rename-projects imports under new keys, TRK -> TRK2)"
    )
    assert "project TRK already exists here: import under new keys to add it as TRK2" in (
        refused.out
    )
    dry = cli("--db", db, "--format", "json", "import", "json", str(backup), "--rename-projects",
              "--dry-run")  # fmt: skip
    assert dry.code == 0 and json.loads(dry.out)["renamed"] == {"TRK": "TRK2"}
    done = cli("--db", db, "import", "json", str(backup), "--rename-projects")
    assert done.code == 0, done
    assert "renamed TRK -> TRK2" in done.out.splitlines()
    listed = json.loads(cli("--db", db, "--format", "json", "list").out)
    assert sorted(i["key"] for i in listed if i["key"].startswith("TRK")) == ["TRK-1", "TRK2-1"]
    again = cli("--db", db, "--format", "json", "import", "json", str(backup), "--rename-projects")
    assert again.code == 1  # the same backup twice: its issues are here already
    assert "was this backup imported already?" in again.out


@pytest.mark.postgres
def test_a_secured_databases_project_is_never_removed(pg_cluster: Any, backup: Path) -> None:
    """The history of a secured database is append-only: even an unused project stays (the
    admin's to remove); the backup comes in under new keys instead."""
    from tests.support.secured import drop, make_secured

    secured = make_secured(pg_cluster, projects=("TRK",), logins={})
    try:
        admin = open_services(secured.super_url)  # the one who restores a shared database
        secured.opened.append(admin)
        with pytest.raises(ImportRejected, match="project TRK already exists here"):
            import_json(admin, backup)
        report = import_json(admin, backup, rename_projects=True)
        assert report.committed and report.renamed == {"TRK": "TRK2"}
        assert report.replaced is None
        assert sorted(_keys(admin)) == ["TRK", "TRK2", "WEB"]
    finally:
        drop(secured)
