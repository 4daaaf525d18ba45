"""Migration 10 on SQLite: a file made before it takes fewer pages and keeps its data."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tracker_gui.domain import history
from tracker_gui.domain.models import Issue, IssueFilter, NewIssue
from tracker_gui.services import open_services
from tracker_gui.storage import database as database_module
from tracker_gui.storage.tables import from_micros


def _indexes(path: Path) -> dict[str, str]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
        return {name: sql or "" for name, sql in rows}


def _times(issue: Issue) -> tuple[dt.datetime, dt.datetime, dt.datetime | None]:
    return issue.created_at, issue.updated_at, issue.resolved_at


def _stored_types(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(
            "SELECT typeof(created_at), typeof(updated_at), typeof(resolved_at) FROM issue"
        )
        return {t for row in rows for t in row if t != "null"}


def _as_text(path: Path) -> None:
    """Issue times as peewee's text ("2026-12-07 21:33:24.860307"), what version 9 stored."""
    with closing(sqlite3.connect(path)) as conn, conn:
        for column in ("created_at", "updated_at", "resolved_at"):
            rows = conn.execute(f"SELECT id, {column} FROM issue WHERE {column} IS NOT NULL")
            conn.executemany(
                f"UPDATE issue SET {column} = ? WHERE id = ?",
                [(str(from_micros(v)), i) for i, v in rows.fetchall()],
            )


def _fts_sql(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'issue_fts'").fetchone()
        return str(row[0])


def test_a_version_9_file_is_converted_and_keeps_its_issues(
    tmp_path: Path, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before_10 = tmp_path / "migrations"
    shutil.copytree(
        database_module.MIGRATIONS_DIR,
        before_10,
        ignore=shutil.ignore_patterns("__py*", "0010_*"),
    )
    real = database_module.MIGRATIONS_DIR
    monkeypatch.setattr(database_module, "MIGRATIONS_DIR", before_10)
    path = tmp_path / "old.db"
    old = open_services(str(path), create=True, actor="alice")
    old.projects.ensure_project("TRK", "Tracker")
    epic = old.issues.create(NewIssue("TRK", "Epic", description="zanzibar plans"))
    child = old.issues.create(NewIssue("TRK", "Child", parent_key="TRK-1", labels=("ui",)))
    other = old.issues.create(NewIssue("TRK", "Other", description="nothing"))
    done = old.projects.statuses(old.projects.project("TRK").id)[-1]
    old.issues.move(other.id, other.version, done.id)  # a resolved time too
    times = {i.id: _times(old.issues.get(i.id)) for i in (epic, child, other)}
    old.close()
    _as_text(path)  # as the previous version wrote them (today's code writes integers)
    assert _stored_types(path) == {"text"}
    assert {"issue_project_id", "issue_parent_id"} <= set(_indexes(path))
    monkeypatch.setattr(database_module, "MIGRATIONS_DIR", real)

    s = open_services(str(path), actor="alice")
    try:
        # Every issue time kept to the microsecond, now stored as an integer.
        assert {i: _times(s.issues.get(i)) for i in times} == times
        assert times[other.id][2] is not None
        assert _stored_types(path) == {"integer"}
        indexes = _indexes(path)
        assert "issue_project_id" not in indexes
        assert "WHERE" in indexes["issue_parent_id"]  # only issues that have a parent
        project = s.projects.project("TRK")
        found = s.issues.search(IssueFilter(project_ids=(project.id,)), sort="key")
        assert [i.key for i in found] == ["TRK-1", "TRK-2", "TRK-3"]
        assert s.issues.get(child.id).parent_id == epic.id

        # Times compare and sort as times: against a day in a query, and newest first.
        def keys(query: str, sort: str = "key") -> list[str]:
            flt = IssueFilter(project_ids=(project.id,), query=query)
            return [i.key for i in s.issues.search(flt, sort=sort)]

        assert keys("updated>=2000-01-01") == ["TRK-1", "TRK-2", "TRK-3"]
        assert keys("created<2000-01-01") == []
        assert keys("", sort="-updated")[0] == "TRK-3"  # moved last
        assert [c.id for c in s.issues.detail(epic.id).children] == [child.id]
        words = s.issues.search(IssueFilter(project_ids=(project.id,), query="zanzibar"))
        assert [i.id for i in words] == [epic.id]
        # The index was rebuilt description first, and still finds phrases and ranks a title
        # hit above a description hit.
        assert "fts5(\n        description, title, comments" in _fts_sql(path)
        titled = s.issues.create(NewIssue("TRK", "Zanzibar trip", description="packing"))
        phrase = s.issues.search(IssueFilter(project_ids=(project.id,), query='"zanzibar plans"'))
        assert [i.id for i in phrase] == [epic.id]
        ranked = s.issues.search(IssueFilter(project_ids=(project.id,), query="zanzibar"))
        assert [i.id for i in ranked] == [titled.id, epic.id]
        s.issues.delete(titled.id, titled.version)
        # The foreign key still finds the children through the partial index.
        s.issues.delete(epic.id, s.issues.get(epic.id).version)
        orphan = s.issues.get(child.id)
        assert orphan.parent_id is None
        # Histories written before and after the migration both replay to what is stored.
        row = history.state_of(orphan)
        assert history.replay(s.feed.history(child.id), row) == row
        late = s.issues.create(NewIssue("TRK", "After"))
        row = history.state_of(late)
        assert history.replay(s.feed.history(late.id), row) == row
    finally:
        s.close()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO issue_fts (issue_fts, rank) VALUES ('integrity-check', 1)")
    backups = list((tracker_home / "data" / "backups").iterdir())
    assert any("-before-0010_lean_storage" in b.name for b in backups), backups
