"""Running `tracker-gui` for the command-line tests, and what a user sees of a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


Cli = Callable[..., "Result"]


def run_process(*argv: str, cwd: Path, stdin: str | None = None) -> Result:
    """`python -m tracker_gui ...` as a separate process, with the test's TRACKER_HOME."""
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB"}
    done = subprocess.run(
        [sys.executable, "-m", "tracker_gui", *argv],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def assert_one_line_error(result: Result, code: int = 1) -> str:
    """The failure a user sees: the exit code and exactly one `tracker-gui: error:` line."""
    assert result.code == code, result
    assert "Traceback" not in result.err, result.err
    assert len(result.err_lines) == 1, result.err
    assert result.err_lines[0].startswith("tracker-gui"), result.err
    assert ": error: " in result.err_lines[0], result.err
    return result.err_lines[0]
