"""Where the app keeps its files on each system: README's table, through paths.py and platformdirs.

Only one system runs here, so the others are faked the honest way: paths.py is called with
platformdirs' own class for that system in place of the one it picked for this machine. The
class's rules run for real; what cannot run here is the system's own lookup of its folders
(on Windows the shell API; its documented fallback, the environment variables, stands in).
"""

from __future__ import annotations

from pathlib import Path, PureWindowsPath

import platformdirs
import platformdirs.windows
import pytest
from platformdirs.macos import MacOS
from platformdirs.unix import Unix
from platformdirs.windows import Windows

from tracker_gui import paths


@pytest.fixture
def no_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_HOME", raising=False)
    monkeypatch.delenv("TRACKER_DB", raising=False)


def as_system(monkeypatch: pytest.MonkeyPatch, cls: type[platformdirs.PlatformDirsABC]) -> None:
    monkeypatch.setattr(platformdirs, "PlatformDirs", cls)


def home(monkeypatch: pytest.MonkeyPatch, folder: str) -> None:
    """The user's home folder as expanduser() finds it (HOME; USERPROFILE on Windows)."""
    monkeypatch.setenv("HOME", folder)
    monkeypatch.setenv("USERPROFILE", folder)


def test_linux_follows_xdg_defaults(no_home: None, monkeypatch: pytest.MonkeyPatch) -> None:
    as_system(monkeypatch, Unix)
    home(monkeypatch, "/home/alice")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(var, raising=False)
    assert Path(paths.default_database()) == Path("/home/alice/.local/share/tracker-gui/tracker.db")
    assert paths.config_dir() == Path("/home/alice/.config/tracker-gui")
    assert paths.log_dir() == Path("/home/alice/.local/state/tracker-gui/log")


def test_linux_honours_xdg_variables(no_home: None, monkeypatch: pytest.MonkeyPatch) -> None:
    as_system(monkeypatch, Unix)
    monkeypatch.setenv("XDG_DATA_HOME", "/data/alice")
    monkeypatch.setenv("XDG_CONFIG_HOME", "/cfg/alice")
    assert paths.data_dir() == Path("/data/alice/tracker-gui")
    assert paths.config_dir() == Path("/cfg/alice/tracker-gui")


def test_macos_uses_library_folders(no_home: None, monkeypatch: pytest.MonkeyPatch) -> None:
    as_system(monkeypatch, MacOS)
    home(monkeypatch, "/Users/alice")
    assert paths.data_dir() == Path("/Users/alice/Library/Application Support/tracker-gui")
    assert paths.default_database().endswith("Application Support/tracker-gui/tracker.db")
    assert paths.log_dir() == Path("/Users/alice/Library/Logs/tracker-gui")


def test_windows_uses_local_appdata_without_an_author_folder(
    no_home: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_system(monkeypatch, Windows)
    # The shell API (ctypes.windll) exists only on Windows: use platformdirs' env fallback.
    monkeypatch.setattr(
        platformdirs.windows,
        "_RESOLVE_WIN_FOLDER",
        platformdirs.windows.get_win_folder_from_env_vars,
    )
    local = r"C:\Users\alice\AppData\Local"
    monkeypatch.setenv("LOCALAPPDATA", local)
    monkeypatch.setenv("APPDATA", r"C:\Users\alice\AppData\Roaming")
    data = PureWindowsPath(str(paths.data_dir()))
    assert data == PureWindowsPath(local, "tracker-gui")
    assert PureWindowsPath(paths.default_database()) == PureWindowsPath(
        local, "tracker-gui", "tracker.db"
    )
    # Not roaming: settings hold window geometry for this machine's monitors.
    assert PureWindowsPath(str(paths.config_dir())) == PureWindowsPath(local, "tracker-gui")
    assert PureWindowsPath(str(paths.log_dir())) == PureWindowsPath(local, "tracker-gui", "Logs")


@pytest.mark.parametrize("cls", [Unix, MacOS, Windows], ids=["linux", "macos", "windows"])
def test_tracker_home_moves_everything_on_every_system(
    cls: type[platformdirs.PlatformDirsABC], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    as_system(monkeypatch, cls)
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    monkeypatch.delenv("TRACKER_DB", raising=False)
    assert paths.data_dir() == tmp_path / "data"
    assert paths.config_dir() == tmp_path / "config"
    assert paths.log_dir() == tmp_path / "logs"
