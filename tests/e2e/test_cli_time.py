"""`log`, `worklog`, `edit --remaining` and durations for `--estimate`, on both backends."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.helpers import Cli, Result, assert_one_line_error
from tracker_gui.services import open_services
from tracker_gui.services.worklogs import WorklogService


@pytest.fixture
def trk(cli: Cli, db_target: str) -> Cli:
    """The CLI on a fresh database of the current backend with project TRK and TRK-1 (1 day)."""
    assert cli("--db", db_target, "init").code == 0

    def run(*argv: str) -> Result:
        return cli("--db", db_target, *argv)

    added = run("add", "--project", "TRK", "--title", "Export crash", "--estimate", "1d")
    assert added.code == 0, added
    return run


def as_json(result: Result) -> Any:
    assert result.code == 0, result
    return json.loads(result.out)


def stored(db_target: str) -> list[tuple[str, int, str, str]]:
    services = open_services(db_target)
    try:
        issue = services.issues.by_key("TRK-1")
        logs = WorklogService.of(services).entries(issue.id)
        return [(w.on.isoformat(), w.minutes, w.note, w.user) for w in logs]
    finally:
        services.close()


def test_log_stores_the_time_and_worklog_lists_it_as_json(trk: Cli, db_target: str) -> None:
    first = trk("log", "TRK-1", "1h30m", "--on", "2026-12-01", "--note", "reproduced")
    assert first.code == 0, first
    assert first.out.startswith("logged 1h30m on TRK-1 (2026-12-01); in all 1h30m, remaining 6h30m")
    assert trk("log", "TRK-1", "45m", "--on", "2026-12-02").code == 0
    listed = as_json(trk("worklog", "TRK-1", "--format", "json"))
    assert [{k: e[k] for k in ("on", "minutes", "note")} for e in listed] == [
        {"on": "2026-12-01", "minutes": 90, "note": "reproduced"},
        {"on": "2026-12-02", "minutes": 45, "note": ""},
    ]
    assert set(listed[0]) == {"id", "user", "on", "minutes", "note"}
    assert [e["user"] for e in listed] == [row[3] for row in stored(db_target)]
    text = trk("worklog", "TRK-1")
    assert text.code == 0
    assert "1h30m" in text.out and "reproduced" in text.out
    assert text.out.strip().endswith("logged 2h15m, remaining 5h45m (estimate minus logged)")


@pytest.mark.parametrize("duration", ["2", "soon", "0m", "1h 30m", "-1h", "1000w"])
def test_an_unreadable_duration_exits_1_with_one_plain_line_and_stores_nothing(
    trk: Cli, db_target: str, duration: str
) -> None:
    line = assert_one_line_error(trk("log", "TRK-1", duration))
    assert line.startswith("tracker-gui: error: duration: ")
    assert stored(db_target) == []


def test_worklog_remove_takes_one_log_and_an_unknown_id_exits_1(trk: Cli, db_target: str) -> None:
    made = as_json(trk("log", "TRK-1", "1h", "--format", "json"))
    assert trk("log", "TRK-1", "2h").code == 0
    line = assert_one_line_error(trk("worklog", "TRK-1", "--remove", "999"))
    assert line == "tracker-gui: error: no work log 999 on TRK-1"
    assert_one_line_error(trk("worklog", "TRK-1", "--remove", "one"))
    removed = trk("worklog", "TRK-1", "--remove", str(made["id"]))
    assert removed.code == 0
    assert removed.out.startswith(f"removed work log {made['id']} (1h by ")
    assert [row[1] for row in stored(db_target)] == [120]


def test_edit_remaining_sets_and_clears_and_show_and_list_carry_the_minutes(trk: Cli) -> None:
    assert trk("log", "TRK-1", "2h").code == 0
    shown = as_json(trk("show", "TRK-1", "--format", "json"))
    assert (shown["logged_minutes"], shown["remaining_minutes"]) == (120, 360)
    out = trk("edit", "TRK-1", "--remaining", "3h")
    assert (out.code, out.out.strip()) == (0, "TRK-1: remaining time set to 3h")
    listed = as_json(trk("list", "--format", "json"))
    assert [(i["key"], i["logged_minutes"], i["remaining_minutes"]) for i in listed] == [
        ("TRK-1", 120, 180)
    ]
    both = trk("edit", "TRK-1", "--remaining", "", "--title", "Export crash (Safari)")
    assert both.out.strip() == (
        "TRK-1: changed title; remaining time cleared: 6h (estimate minus logged)"
    )
    shown = as_json(trk("show", "TRK-1", "--format", "json"))
    assert (shown["title"], shown["remaining_minutes"]) == ("Export crash (Safari)", 360)
    assert [h["text"] for h in shown["history"] if h["field"] == "remaining"] == [
        "remaining time: none -> 3h",
        "remaining time: 3h -> none",
    ]
    text = trk("show", "TRK-1")
    assert "  Logged:    2h\n  Remaining: 6h (estimate minus logged)\n" in text.out


def test_a_bad_remaining_changes_nothing_else_in_the_same_edit(trk: Cli) -> None:
    assert_one_line_error(trk("edit", "TRK-1", "--remaining", "lots", "--title", "Renamed"))
    shown = as_json(trk("show", "TRK-1", "--format", "json"))
    assert (shown["title"], shown["remaining_minutes"], shown["version"]) == (
        "Export crash",
        480,
        1,
    )


def test_estimate_takes_durations_and_still_plain_hours(trk: Cli) -> None:
    assert as_json(trk("show", "TRK-1", "--format", "json"))["estimate"] == 8.0
    assert trk("edit", "TRK-1", "--estimate", "1h30m").code == 0
    assert as_json(trk("show", "TRK-1", "--format", "json"))["estimate"] == 1.5
    assert trk("edit", "TRK-1", "--estimate", "2.5").code == 0
    assert as_json(trk("show", "TRK-1", "--format", "json"))["estimate"] == 2.5
    added = trk(
        "add", "--project", "TRK", "--title", "Week", "--estimate", "1w", "--format", "json"
    )
    assert as_json(added)["estimate"] == 40.0
    line = assert_one_line_error(trk("edit", "TRK-1", "--estimate", "abc"))
    assert line.startswith("tracker-gui: error: estimate: 'abc' is not a duration")
    assert as_json(trk("show", "TRK-1", "--format", "json"))["estimate"] == 2.5


def test_query_and_sort_by_logged_and_remaining_time(trk: Cli) -> None:
    assert trk("add", "--project", "TRK", "--title", "Small", "--estimate", "2h").code == 0
    assert trk("log", "TRK-1", "5h").code == 0
    assert trk("log", "TRK-2", "1h").code == 0
    keys = as_json(trk("list", "--query", "logged>4h", "--format", "json"))
    assert [i["key"] for i in keys] == ["TRK-1"]
    keys = as_json(trk("list", "--query", "remaining<=1h sort:-logged", "--format", "json"))
    assert [i["key"] for i in keys] == ["TRK-2"]
    ordered = as_json(trk("list", "--query", "sort:remaining", "--format", "json"))
    assert [i["key"] for i in ordered] == ["TRK-2", "TRK-1"]
    assert_one_line_error(trk("list", "--query", "logged>lots"))
