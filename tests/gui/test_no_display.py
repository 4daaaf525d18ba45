"""Without any display the window command says so in one line and exits 1 (no Qt abort)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker_gui.app import NO_DISPLAY, no_display

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for Linux")
def test_no_display_prints_one_line_and_exits_1(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["TRACKER_HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "tracker_gui"],
        cwd=ROOT,
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines == [NO_DISPLAY]
    assert lines[0].startswith("tracker-gui: error: no display found")
    assert "tracker-gui --help" in lines[0]
    assert "libxcb" not in done.stderr
    assert not list(tmp_path.rglob("*.db"))  # nothing was created on the way out


def test_a_display_or_a_chosen_platform_counts() -> None:
    assert no_display({}, "linux")
    assert not no_display({"DISPLAY": ":0"}, "linux")
    assert not no_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not no_display({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not no_display({}, "win32")
    assert not no_display({}, "darwin")
