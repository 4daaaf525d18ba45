"""SQLite's full-text index keeps no copy of the text (migration 9) and stays in step with it."""

from __future__ import annotations

import importlib
import sqlite3
from contextlib import closing
from pathlib import Path

import peewee

from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.services import Services, open_services

V9 = importlib.import_module("tracker_gui.storage.migrations.0009_fts_external")
V10 = importlib.import_module("tracker_gui.storage.migrations.0010_lean_storage")


def _hits(path: Path, word: str) -> list[int]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT rowid FROM issue_fts WHERE issue_fts MATCH ?", [word])
        return sorted(r[0] for r in rows)


def _intact(path: Path) -> None:
    """FTS5's own check of the index against the rows it was built from (raises if not)."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("INSERT INTO issue_fts (issue_fts, rank) VALUES ('integrity-check', 1)")


def _tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}


def _services(path: Path) -> Services:
    services = open_services(str(path), create=True, actor="alice")
    services.projects.ensure_project("TRK", "Tracker")
    return services


def test_the_index_stores_no_text_and_follows_every_write(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    s = _services(path)
    try:
        a = s.issues.create(NewIssue("TRK", "Ärger mit Zanzibar", description="quokka here"))
        b = s.issues.create(NewIssue("TRK", "Other", description="nothing"))
        assert "issue_fts_content" not in _tables(path)
        assert _hits(path, "zanzibar") == [a.id] and _hits(path, "quokka") == [a.id]
        assert _hits(path, "ärger") == [a.id]  # unicode61 folds the case of any script

        a = s.issues.edit(a.id, a.version, {"description": "wombat now"})
        assert _hits(path, "quokka") == [] and _hits(path, "wombat") == [a.id]
        assert _hits(path, "zanzibar") == [a.id]  # the title is still indexed

        c1 = s.issues.comment(b.id, "platypus in a comment")
        c2 = s.issues.comment(b.id, "echidna too")
        assert _hits(path, "platypus") == [b.id] and _hits(path, "echidna") == [b.id]
        s.issues.edit_comment(c1.id, "numbat instead")
        assert _hits(path, "platypus") == [] and _hits(path, "numbat") == [b.id]
        s.issues.delete_comment(c2.id)
        assert _hits(path, "echidna") == [] and _hits(path, "numbat") == [b.id]
        _intact(path)

        s.issues.delete(b.id, s.issues.get(b.id).version)  # its comments go with it
        assert _hits(path, "numbat") == [] and _hits(path, "other") == []
        _intact(path)
    finally:
        s.close()


def test_an_older_file_is_converted_and_compacted(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    s = _services(path)
    try:
        for i in range(300):
            s.issues.create(NewIssue("TRK", f"Issue {i}", description="lorem ipsum " * 40))
    finally:
        s.close()
    # Back to version 8: migration 3's index, which stored its own copy of the text.
    old = peewee.SqliteDatabase(str(path))
    with old.atomic():
        V10.down(None, old)
        V9.down(None, old)
        old.execute_sql(
            "DELETE FROM schema_migration WHERE name IN ('0009_fts_external', '0010_lean_storage')"
        )
    old.execute_sql("VACUUM")
    old.close()
    assert "issue_fts_content" in _tables(path)
    before = path.stat().st_size

    s = open_services(str(path), actor="alice")
    try:
        assert _hits(path, "lorem")[:2] == [1, 2] and len(_hits(path, "lorem")) == 300
    finally:
        s.close()
    assert "issue_fts_content" not in _tables(path)
    _intact(path)
    assert path.stat().st_size < before * 0.8  # VACUUM gave the copy's pages back


def test_a_word_search_reads_its_hits_by_id_within_the_project(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    s = _services(path)
    try:
        project = s.projects.project("TRK")
        for i in range(30):
            s.issues.create(NewIssue("TRK", f"Issue {i}", description="zanzibar" if i % 7 else ""))
        db = s.database.peewee
        traced: list[str] = []
        db.connection().set_trace_callback(traced.append)
        hits = s.issues.search(IssueFilter(project_ids=(project.id,), query="zanzibar"))
        db.connection().set_trace_callback(None)
        assert len(hits) == 25
        query = next(q for q in traced if "MATCH" in q)
        plan = [r[3] for r in db.execute_sql("EXPLAIN QUERY PLAN " + query).fetchall()]
        # Each hit read by its id, then its project checked: not a walk over every open issue
        # of the project (what dropping issue_project_id did before migration 10).
        assert "SEARCH t1 USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan
        assert not any(p.startswith("SCAN t1") for p in plan), plan
        # A word and another term: still from the word's hits.
        traced.clear()
        db.connection().set_trace_callback(traced.append)
        both = s.issues.search(IssueFilter(project_ids=(project.id,), query="zanzibar is:open"))
        db.connection().set_trace_callback(None)
        assert len(both) == 25
        query = next(q for q in traced if "MATCH" in q)
        plan = [r[3] for r in db.execute_sql("EXPLAIN QUERY PLAN " + query).fetchall()]
        assert "SEARCH t1 USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan
    finally:
        s.close()
