"""`tracker-gui report ...`: CSV and JSON on stdout or to a file, pictures, and bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.e2e.helpers import Cli
from tests.unit.services.report_history import Script
from tracker_gui.services import open_services


def T(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour)


@pytest.fixture
def history(db: Path) -> Path:
    """TRK: A and B made on 2 Mar; A in progress on the 3rd and done on the 4th; a sprint of
    2-4 Mar holds both from the 2nd (started then)."""
    services = open_services(str(db), create=True, actor="alice")
    try:
        s = Script(services)
        s.create("A", T(2, 9))
        s.create("B", T(2, 10))
        s.add_sprint("Sprint 1", dt.date(2026, 3, 2), dt.date(2026, 3, 4))
        s.put_in_sprint(["A", "B"], "Sprint 1", T(2, 11))
        s.start_sprint("Sprint 1", T(2, 11))
        s.move("A", "In Progress", T(3, 9))
        s.move("A", "Done", T(4, 9))
    finally:
        services.close()
    return db


RANGE = ("--project", "TRK", "--from", "2026-03-02", "--to", "2026-03-04", "--tz", "UTC")


def test_cfd_csv_goes_to_stdout(cli: Cli, history: Path) -> None:
    result = cli("--db", str(history), "report", "cfd", *RANGE, "--format", "csv")
    assert result.code == 0, result.err
    assert result.out == (
        "date,todo,in_progress,done\n2026-03-02,2,0,0\n2026-03-03,1,1,0\n2026-03-04,1,0,1\n"
    )


def test_burndown_csv_has_one_row_per_sprint_day(cli: Cli, history: Path) -> None:
    result = cli("--db", str(history), "report", "burndown", "--project", "TRK",
                 "--sprint", "Sprint 1", "--tz", "UTC", "--format", "csv")  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "date,remaining,ideal,scope",
        "2026-03-02,2,2,2",
        "2026-03-03,2,1,2",
        "2026-03-04,1,0,2",
    ]


def test_json_and_out_file(cli: Cli, history: Path, tmp_path: Path) -> None:
    out = tmp_path / "tp.json"
    result = cli("--db", str(history), "report", "throughput", *RANGE, "--format", "json",
                 "--out", str(out))  # fmt: skip
    assert (result.code, result.out) == (0, f"wrote {out}\n")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["columns"] == ["week", "done"]
    assert data["rows"] == [{"week": "2026-03-02", "done": 1}]
    # The global --format json (before the command) does not turn the CSV into JSON.
    again = cli("--format", "json", "--db", str(history), "report", "cycle-time", *RANGE,
                "--format", "csv")  # fmt: skip
    assert (again.code, again.out) == (0, "key,done,cycle_days,lead_days\nTRK-1,2026-03-04,1,2\n")


def test_other_commands_keep_their_text_or_json_format(cli: Cli, history: Path) -> None:
    result = cli("--db", str(history), "list", "--project", "TRK", "--format", "json")
    assert result.code == 0 and len(json.loads(result.out)) == 2


def test_a_picture_needs_out(cli: Cli, history: Path) -> None:
    result = cli("--db", str(history), "report", "cfd", *RANGE, "--format", "png")
    assert result.code == 2
    assert result.err_lines == [
        "tracker-gui report: error: --format png writes a picture: give --out FILE"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--project", "NOPE"), "no project with key 'NOPE'"),
        (("--project", "TRK", "--from", "2026-02-30"), "invalid date '2026-02-30' for --from"),
        (("--project", "TRK", "--from", "2026-03-05", "--to", "2026-03-01"), "is after --to"),
        (("--project", "TRK", "--tz", "Mars/Base"), "unknown time zone 'Mars/Base'"),
        (("--project", "TRK", "--by", "colour"), "unknown --by 'colour'"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(
    cli: Cli, history: Path, args: tuple[str, ...], message: str
) -> None:
    result = cli("--db", str(history), "report", "cfd", *args, "--format", "csv")
    assert result.code == 1
    assert len(result.err_lines) == 1 and message in result.err, result.err
    assert result.out == ""


def test_unknown_sprint_is_one_line_and_exit_1(cli: Cli, history: Path) -> None:
    result = cli("--db", str(history), "report", "burndown", "--project", "TRK",
                 "--sprint", "Nope", "--format", "csv")  # fmt: skip
    assert result.code == 1
    assert result.err_lines == ["tracker-gui: error: no sprint 'Nope' in project TRK"]


@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_pictures_are_drawn_offscreen(
    cli: Cli, history: Path, tmp_path: Path, fmt: str, magic: bytes
) -> None:
    out = tmp_path / f"cfd.{fmt}"
    result = cli("--db", str(history), "report", "cfd", *RANGE, "--format", fmt,
                 "--out", str(out), "--theme", "dark")  # fmt: skip
    assert (result.code, result.out) == (0, f"wrote {out}\n"), result.err
    assert out.read_bytes().startswith(magic)
