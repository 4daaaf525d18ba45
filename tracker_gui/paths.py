"""Where data, config and logs live; the only module that asks platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from tracker_gui import APP_NAME


def _home() -> Path | None:
    value = os.environ.get("TRACKER_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """Directory for the default database and backups."""
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Directory for settings (QSettings file, window layout)."""
    home = _home()
    return (
        home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    )


def log_dir() -> Path:
    """Directory for the rotating log file."""
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_database() -> str:
    """The database target used when neither --db nor TRACKER_DB is given."""
    return os.environ.get("TRACKER_DB") or str(data_dir() / "tracker.db")
