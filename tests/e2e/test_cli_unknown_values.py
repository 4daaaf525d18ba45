"""`list`, `show` and JSON over values the app never writes (put there with raw SQL)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.e2e.helpers import Cli


def test_unknown_values_are_shown_as_unknown_not_a_crash(cli: Cli, db: Path) -> None:
    assert cli("--db", str(db), "init").code == 0
    for title in ("Poisoned by raw SQL", "Its neighbour"):
        assert cli("--db", str(db), "add", "--project", "TRK", "--title", title).code == 0
    assert cli("--db", str(db), "link", "TRK-1", "blocks", "TRK-2").code == 0
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE issue SET priority = 99, type = 'weird' WHERE number = 1")
        raw.execute("UPDATE issue_link SET kind = 'haunts'")
        raw.execute("UPDATE status SET category = 'limbo' WHERE name = 'To Do'")

    listed = cli("--db", str(db), "list")
    assert listed.code == 0, listed
    row = next(line for line in listed.out.splitlines() if "TRK-1" in line)
    assert "unknown (99)" in row

    shown = cli("--db", str(db), "show", "TRK-1")
    assert shown.code == 0, shown
    assert "Priority:  unknown (99)" in shown.out
    assert "Type:      unknown (weird)" in shown.out
    assert "Status:    To Do (unknown (limbo))" in shown.out
    assert "unknown (haunts) TRK-2" in shown.out

    as_json = cli("--db", str(db), "list", "--format", "json")
    assert as_json.code == 0, as_json
    [issue] = [i for i in json.loads(as_json.out) if i["key"] == "TRK-1"]
    assert (issue["priority"], issue["type"]) == ("unknown (99)", "weird")
    assert issue["status_category"] == "limbo"
