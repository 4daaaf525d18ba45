"""Invalid UTF-8 and NUL-free but unencodable text on the command line: one line, nothing stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.helpers import Result, assert_one_line_error, run_process


def run_bytes(*argv: bytes, cwd: Path) -> Result:
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB"}
    env["LC_ALL"] = "C.UTF-8"
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"tracker_gui", *argv],
        cwd=cwd, env=env, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    return Result(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def test_invalid_utf8_in_arguments_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db").encode()
    assert run_process("--db", db.decode(), "init", cwd=tmp_path).code == 0
    for argv in (
        (b"add", b"--project", b"TRK", b"--title", b"caf\xe9"),
        (b"add", b"--project", b"TRK", b"--title", b"ok", b"--description", b"\xff\xfe"),
        (b"add", b"--project", b"TRK", b"--title", b"ok", b"--label", b"l\xc3"),
    ):
        bad = run_bytes(b"--db", db, *argv, cwd=tmp_path)
        line = assert_one_line_error(bad)
        assert "contains an invalid character at position" in line, line
    listed = run_process("--db", db.decode(), "list", "--format", "json", cwd=tmp_path)
    assert json.loads(listed.out) == []
