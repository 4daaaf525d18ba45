"""A change set's rows are found through the short index of migration 9 (SQLite), whole."""

from __future__ import annotations

from pathlib import Path

from tracker_gui.domain.models import NewIssue
from tracker_gui.services import open_services


def test_a_sets_rows_come_by_the_index_and_a_namesake_set_stays_out(tmp_path: Path) -> None:
    s = open_services(str(tmp_path / "t.db"), create=True, actor="alice")
    try:
        s.projects.ensure_project("TRK", "Tracker")
        issue = s.issues.create(NewIssue("TRK", "First"))
        moved = s.issues.move(issue.id, issue.version, s.projects.statuses(issue.project_id)[1].id)
        db = s.database.peewee
        rows = s.feed.history(moved.id)
        move_set = rows[-1].change_set
        assert move_set is not None
        # Another set with the same first characters (written by hand: rare by chance).
        namesake = move_set[:8] + "-0000-4000-8000-000000000000"
        db.execute_sql(
            "INSERT INTO change (project_id, issue_id, actor, at, field, old, new, change_set)"
            " VALUES (?, ?, 'bob', '2024-01-01 00:00:00', 'title', 'a', 'b', ?)",
            (issue.project_id, issue.id, namesake),
        )
        found = s.feed.changes_in_sets([move_set])
        assert found == [c for c in rows if c.change_set == move_set]
        assert found[0].field == "status"
        assert [c.actor for c in s.feed.changes_in_sets([namesake])] == ["bob"]

        traced: list[str] = []
        db.connection().set_trace_callback(traced.append)
        s.feed.changes_in_sets([move_set])
        db.connection().set_trace_callback(None)
        plan = db.execute_sql("EXPLAIN QUERY PLAN " + traced[-1]).fetchall()
        assert "USING INDEX change_change_set_head (<expr>=?)" in plan[0][3]
    finally:
        s.close()
