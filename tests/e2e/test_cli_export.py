"""`export json|csv -`: the file streamed to standard output, its errors told as the output's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.helpers import assert_one_line_error, run_process


def tracker(db: Path, *argv: str, stdout: int | None = subprocess.PIPE) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB"}
    command = [sys.executable, "-m", "tracker_gui", "--db", str(db), *argv]
    return subprocess.Popen(command, env=env, stdout=stdout, stderr=subprocess.PIPE)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    db = tmp_path / "t.db"
    assert run_process("--db", str(db), "demo", "--issues", "300", cwd=tmp_path).code == 0
    title = '=HYPERLINK("http://x","y") \x1b[31m'
    assert run_process("--db", str(db), "add", "--project", "DEMO", "--title", title,
                       cwd=tmp_path).code == 0  # fmt: skip
    return db


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_export_to_standard_output_is_the_file_byte_for_byte(
    demo: Path, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / f"out.{kind}"
    assert run_process("--db", str(demo), "export", kind, str(target), cwd=tmp_path).code == 0
    proc = tracker(demo, "export", kind, "-")
    out, err = proc.communicate(timeout=120)
    assert (proc.returncode, err) == (0, b"")
    assert out == target.read_bytes()


def test_a_reader_that_stops_early_ends_the_export_quietly(demo: Path) -> None:
    """`tracker-gui export json - | head -c 100`."""
    proc = tracker(demo, "export", "json", "-")
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100).startswith(b'{\n "format": "tracker-gui",')
    proc.stdout.close()
    assert proc.wait(timeout=120) == 0
    assert proc.stderr.read() == b""
    proc.stderr.close()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_output_is_named_as_such_not_as_a_database_error(demo: Path) -> None:
    with open("/dev/full", "wb") as full:
        proc = tracker(demo, "export", "json", "-", stdout=full.fileno())
        _, err = proc.communicate(timeout=120)
    lines = err.decode().splitlines()
    assert proc.returncode == 1 and len(lines) == 1, lines
    assert "No space left on device" in lines[0] and "database" not in lines[0]


def test_standard_output_cannot_carry_the_json_summary_too(demo: Path, tmp_path: Path) -> None:
    result = run_process("--db", str(demo), "export", "json", "-", "--format", "json",
                         cwd=tmp_path)  # fmt: skip
    line = assert_one_line_error(result)
    assert line.endswith(
        "`-` sends the exported file itself to standard output: drop --format json"
    )
    assert result.out == ""
