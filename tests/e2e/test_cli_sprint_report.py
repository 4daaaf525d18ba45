"""Issue 19's "Done when", from the CLI on both backends: a sprint made, 5 issues put in it,
started, 3 of them done on known days, closed carrying the other 2 over; its burndown CSV
gives the expected daily rows and its PNG is a picture.

The CLI has no clock to set (it stamps with the real time, PostgreSQL's own on a server), so
after each command the test dates what that command wrote to a known instant, as the
database owner (report_history.Script.stamp_since: the Change rows, the issues' created
time, the sprint's started_at/closed_at). The reports read only those stamps.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.e2e.helpers import Cli, Result
from tests.unit.services.report_history import Script
from tracker_gui.services import open_services

SPRINT = ("--project", "TRK", "--sprint", "Sprint 1", "--tz", "UTC")


def T(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour)


def dated(cli: Cli, db: str, when: dt.datetime, *argv: str, sprint: str | None = None) -> Result:
    """Run `tracker-gui --db DB ARGV...` and date what it wrote `when` (naive UTC)."""
    owner = open_services(db)
    try:
        mark = Script(owner).mark()
    finally:
        owner.close()
    result = cli("--db", db, *argv)
    assert result.code == 0, result.err
    owner = open_services(db)
    try:
        Script(owner).stamp_since(mark, when, sprint)
    finally:
        owner.close()
    return result


def sprint_history(cli: Cli, db: str) -> list[str]:
    """Sprint 1 (Mon 2 - Fri 6 Mar 2026) started on the 2nd with 5 issues; the first done on
    the 3rd, the second on the 4th, the third on the 5th; closed on the 6th at 17:00 with
    the last 2 carried to Sprint 2. Returns the 5 keys."""
    assert cli("--db", db, "init").code == 0
    for name, start, end in (("Sprint 1", "02", "06"), ("Sprint 2", "09", "13")):
        assert cli("--db", db, "sprint", "add", "--project", "TRK", name,
                   "--start", f"2026-03-{start}", "--end", f"2026-03-{end}").code == 0  # fmt: skip
    keys = []
    for n in range(1, 6):
        made = dated(cli, db, T(1, 10), "add", "--project", "TRK", "--title", f"Issue {n}",
                     "--format", "json")  # fmt: skip
        keys.append(json.loads(made.out)["key"])
    dated(cli, db, T(2, 9), "edit", keys[0], "--sprint", "Sprint 1")
    bulk = dated(cli, db, T(2, 9), "bulk", "--query", "sprint:none", "--sprint", "Sprint 1",
                 "--yes")  # fmt: skip
    assert bulk.out.strip() == "changed 4 issues"
    started = dated(cli, db, T(2, 10), "sprint", "start", "Sprint 1", "--project", "TRK",
                    sprint="Sprint 1")  # fmt: skip
    assert started.out.strip() == "started sprint Sprint 1 with 5 issues"
    for key, day in zip(keys, (3, 4, 5), strict=False):
        dated(cli, db, T(day, 15), "move", key, "Done")
    closed = dated(cli, db, T(6, 17), "sprint", "close", "Sprint 1", "--project", "TRK",
                   "--carry-to", "Sprint 2", sprint="Sprint 1")  # fmt: skip
    assert closed.out.strip() == (
        "closed sprint Sprint 1: 3 of 5 done; 2 unfinished moved to Sprint 2"
    )
    return keys


def test_the_done_when_burndown_from_the_cli(cli: Cli, db_target: str, tmp_path: Path) -> None:
    sprint_history(cli, db_target)
    result = cli("--db", db_target, "report", "burndown", *SPRINT, "--format", "csv")
    assert result.code == 0, result.err
    # Remaining at the end of each day; the ideal falls from the 5 committed to 0 over the 5
    # days; the scope stays 5 (the carried 2 count as unfinished in the closed sprint).
    assert result.out.splitlines() == [
        "date,remaining,ideal,scope",
        "2026-03-02,5,5,5",
        "2026-03-03,4,3.75,5",
        "2026-03-04,3,2.5,5",
        "2026-03-05,2,1.25,5",
        "2026-03-06,2,0,5",
    ]
    # The 2 carried issues are Sprint 2's from the evening of the 6th: all of its days.
    after = cli("--db", db_target, "report", "burndown", "--project", "TRK",
                "--sprint", "Sprint 2", "--tz", "UTC", "--format", "csv")  # fmt: skip
    assert [line.split(",")[1] for line in after.out.splitlines()[1:]] == ["2"] * 5
    velocity = cli("--db", db_target, "report", "velocity", "--project", "TRK", "--format", "csv")
    assert velocity.out.splitlines() == ["sprint,committed,completed", "Sprint 1,5,3"]

    picture = tmp_path / "burndown.png"
    drawn = cli("--db", db_target, "report", "burndown", *SPRINT, "--format", "png",
                "--out", str(picture))  # fmt: skip
    assert (drawn.code, drawn.out) == (0, f"wrote {picture}\n"), drawn.err
    data = picture.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000
