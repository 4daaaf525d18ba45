"""`tracker-gui sprint ...`, `add/edit --sprint` and `bulk --sprint`, on both backends."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.helpers import Cli
from tracker_gui.services import open_services


def _json(cli: Cli, db: str, *argv: str) -> Any:
    result = cli("--db", db, *argv, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def _stored(db: str, sql: str) -> list[tuple[Any, ...]]:
    services = open_services(db)
    try:
        return [tuple(r) for r in services.database.peewee.execute_sql(sql).fetchall()]
    finally:
        services.close()


def test_the_done_when_flow_from_the_cli(cli: Cli, db_target: str) -> None:
    """A sprint made, started with 5 issues, 3 done, closed carrying 2 to the next one."""
    db = db_target
    assert cli("--db", db, "init").code == 0
    first = _json(cli, db, "sprint", "add", "--project", "TRK", "Sprint 12",
                  "--start", "2026-01-05", "--end", "2026-01-16", "--goal", "Export")  # fmt: skip
    assert (first["name"], first["state"], first["start"], first["goal"]) == (
        "Sprint 12",
        "planned",
        "2026-01-05",
        "Export",
    )
    assert cli("--db", db, "sprint", "add", "--project", "TRK", "Sprint 13",
               "--start", "2026-01-19", "--end", "2026-01-30").code == 0  # fmt: skip
    add = ("add", "--project", "TRK", "--title")
    keys = [_json(cli, db, *add, f"Issue {n}", "--sprint", "sprint 12")["key"] for n in (1, 2, 3)]
    keys += [_json(cli, db, *add, f"Issue {n}")["key"] for n in (4, 5)]
    edited = _json(cli, db, "edit", keys[3], "--sprint", "Sprint 12")
    assert edited["sprint"] == "Sprint 12"
    out = cli("--db", db, "bulk", "--query", "sprint:none", "--sprint", "Sprint 12", "--yes")
    assert (out.code, out.out.strip()) == (0, "changed 1 issues")
    started = cli("--db", db, "sprint", "start", "Sprint 12", "--project", "TRK")
    assert started.out.strip() == "started sprint Sprint 12 with 5 issues"
    again = cli("--db", db, "sprint", "start", "Sprint 13", "--project", "TRK")
    assert again.code == 1
    assert again.err_lines == [
        "tracker-gui: error: sprint 'Sprint 12' is already active in TRK: close it first"
    ]
    for key in keys[:3]:
        assert cli("--db", db, "move", key, "Done").code == 0
    closed = cli("--db", db, "sprint", "close", "Sprint 12", "--project", "TRK",
                 "--carry-to", "Sprint 13")  # fmt: skip
    assert closed.out.strip() == (
        "closed sprint Sprint 12: 3 of 5 done; 2 unfinished moved to Sprint 13"
    )
    listed = _json(cli, db, "sprint", "list", "--project", "TRK")
    assert [(s["name"], s["state"], s["issues"]) for s in listed] == [
        ("Sprint 12", "closed", 3),
        ("Sprint 13", "planned", 2),
    ]
    assert [(s["scope_start"], s["scope_close"], s["done_close"]) for s in listed] == [
        (5, 5, 3),
        (None, None, None),
    ]
    issues = _json(cli, db, "list", "--project", "TRK", "--sort", "key")
    assert [i["sprint"] for i in issues] == ["Sprint 12"] * 3 + ["Sprint 13"] * 2
    assert _json(cli, db, "show", keys[4])["sprint"] == "Sprint 13"
    shown = cli("--db", db, "show", keys[4]).out
    assert "sprint: the backlog -> Sprint 12" in shown
    assert "sprint: Sprint 12 -> Sprint 13" in shown
    # Stored: the figures, and one `sprint` row per planning and per carried issue.
    assert _stored(db, "SELECT scope_start, scope_close, done_close FROM sprint ORDER BY id") == [
        (5, 5, 3),
        (None, None, None),
    ]
    rows = _stored(db, "SELECT issue_id, field, old, new FROM change"
                   " WHERE field IN ('sprint', 'sprint_state') ORDER BY id")  # fmt: skip
    one, two = "1", "2"
    assert [(f, o, n) for _, f, o, n in rows] == (
        [("sprint_state", None, "planned")] * 2  # the two adds
        + [("sprint", None, one)] * 5
        + [("sprint_state", "planned", "active"), ("sprint_state", "active", "closed")]
        + [("sprint", one, two)] * 2
    )
    assert [i for i, f, o, _ in rows if o == one] == [4, 5]


def test_bad_input_is_one_line_and_exit_1(cli: Cli, db_target: str) -> None:
    db = db_target
    assert cli("--db", db, "init").code == 0
    add = ("sprint", "add", "--project", "TRK")
    cases = {
        (*add, "S", "--start", "2026-01-10", "--end", "2026-01-09"): "ends (2026-01-09) before",
        (*add, "S", "--start", "10/01/2026", "--end", "2026-01-19"): "not a YYYY-MM-DD day",
        (*add, " ", "--start", "2026-01-10", "--end", "2026-01-19"): "needs a name",
        ("sprint", "start", "Nope", "--project", "TRK"): "no sprint 'Nope' in TRK",
        ("sprint", "list", "--project", "NOPE"): "no project with key 'NOPE'",
        ("add", "--project", "TRK", "--title", "x", "--sprint", "Nope"): "no sprint 'Nope'",
        ("bulk", "--query", "is:open", "--sprint", "S"): "would change 0 issues",
    }
    for argv, words in cases.items():
        result = cli("--db", db, *argv)
        assert result.code == 1, argv
        assert len(result.err_lines) == 1 and words in result.err, result.err
    assert cli("--db", db, "sprint", "close", "--project", "TRK").code == 2  # no NAME: usage
    assert cli("--db", db, "bulk", "--query", "is:open", "--yes").code == 1  # nothing to change
    # Nothing was stored by any of them.
    assert _stored(db, "SELECT count(*) FROM sprint") == [(0,)]
    assert _stored(db, "SELECT count(*) FROM issue") == [(0,)]


def test_edit_sprint_empty_removes_it(cli: Cli, db_target: str) -> None:
    db = db_target
    assert cli("--db", db, "init").code == 0
    assert cli("--db", db, "sprint", "add", "--project", "TRK", "A",
               "--start", "2026-01-05", "--end", "2026-01-16").code == 0  # fmt: skip
    key = _json(cli, db, "add", "--project", "TRK", "--title", "x", "--sprint", "a")["key"]
    result = cli("--db", db, "edit", key, "--sprint", "")
    assert (result.code, result.out.strip()) == (0, f"{key}: changed sprint")
    assert _json(cli, db, "show", key)["sprint"] is None
    same = cli("--db", db, "edit", key, "--sprint", "", "--title", "y")
    assert same.out.strip() == f"{key}: changed title"


def test_show_as_text_names_the_sprint(cli: Cli, db_target: str) -> None:
    db = db_target
    assert cli("--db", db, "init").code == 0
    assert cli("--db", db, "sprint", "add", "--project", "TRK", "Sprint 12",
               "--start", "2026-01-05", "--end", "2026-01-16").code == 0  # fmt: skip
    key = _json(cli, db, "add", "--project", "TRK", "--title", "x", "--sprint", "sprint 12")["key"]
    fields = cli("--db", db, "show", key).out.split("\n\n")[1].splitlines()
    names = [f.split(":")[0].strip() for f in fields]
    assert names.index("Sprint") == names.index("Due") - 1  # with the planning fields
    assert "  Sprint:    Sprint 12" in fields
    assert cli("--db", db, "edit", key, "--sprint", "").code == 0
    assert "  Sprint:    -" in cli("--db", db, "show", key).out.splitlines()
    moved = cli("--db", db, "edit", key, "--sprint", "Sprint 12")
    assert "Sprint:" not in moved.out  # one-line outputs stay one line
