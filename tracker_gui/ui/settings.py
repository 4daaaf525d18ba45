"""Every user setting, declared once with type, default and description, read through one object."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from tracker_gui import paths

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    description: str


DECLARED: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("ui/theme", str, "system", "Colour scheme: system, light or dark"),
        Setting("ui/swimlanes", str, "none", "Board swimlanes: none, assignee or priority"),
        Setting("ui/open_boards", list, [], "Project keys of the open board panes, in order"),
        Setting("ui/last_project", str, "", "Project shown when the window opens"),
        Setting("db/recent", list, [], "Recent shared databases, newest first (JSON; no password)"),
        Setting("ui/board_filters", list, [], "Saved filter each board is bound to: KEY=id"),
        Setting("ui/sprint_boards", list, [], "Boards showing the active sprint only (keys)"),
        Setting("ui/card_density", str, "comfortable", "Board cards: comfortable or compact"),
        Setting("ui/reports_open", bool, False, "The Reports pane was open at the last close"),
        Setting("time/timer", str, "", "The running work timer (JSON: database, issue, start)"),
        Setting(
            "ui/detail_closed",
            bool,
            False,
            "The user closed the detail pane: a click on a card does not bring it back",
        ),
        Setting(
            "ui/collapsed_columns",
            list,
            [],
            "Board columns collapsed (KEY:status id=1) or kept open (=0) by the user",
        ),
        Setting("window/geometry", bytes, b"", "Main window geometry (saveGeometry)"),
        Setting("window/state", bytes, b"", "Dock and toolbar layout (saveState)"),
        Setting("notify/enabled", bool, True, "Show desktop notifications"),
        Setting(
            "notify/relations",
            list,
            ["reporter", "assignee", "watcher"],
            "Notify for issues I report, am assigned or watch",
        ),
        Setting("notify/statuses", list, [], "Only these target statuses notify (empty: all)"),
        Setting(
            "notify/quiet_when_focused", bool, False, "No notifications while the window has focus"
        ),
        Setting("notify/reminded", list, [], "Due-date reminders given today (issue id=ISO day)"),
        Setting("backup/enabled", bool, True, "Back up the local database daily"),
        Setting("backup/keep", int, 10, "How many backups of the local database to keep"),
    )
}


class Settings:
    """Typed access to QSettings (an INI file under the config dir); unknown keys raise KeyError."""

    def __init__(self, path: Path | None = None) -> None:
        target = path or paths.config_dir() / "tracker-gui.ini"
        target.parent.mkdir(parents=True, exist_ok=True)
        self.qsettings = QSettings(str(target), QSettings.Format.IniFormat)
        self._migrate()

    def _migrate(self) -> None:
        """Versioned steps for settings written by older releases (none yet beyond v1)."""
        stored: Any = self.qsettings.value("meta/version", 0)
        version = int(stored or 0)
        if version < SETTINGS_VERSION:
            self.qsettings.setValue("meta/version", SETTINGS_VERSION)

    def get(self, key: str) -> Any:
        spec = DECLARED[key]
        raw: Any = self.qsettings.value(key, None)
        if raw is None:
            return spec.default
        if spec.type is bool:
            return raw in (True, "true", "1", 1)
        if spec.type is list:
            if isinstance(raw, str):
                return [raw] if raw else []
            return list(raw)
        if spec.type is bytes:
            return bytes(raw.data()) if isinstance(raw, QByteArray) else bytes(raw)
        return spec.type(raw)

    def set(self, key: str, value: Any) -> None:
        spec = DECLARED[key]
        if spec.type is bytes:
            self.qsettings.setValue(key, QByteArray(bytes(value)))
        elif spec.type is list:
            self.qsettings.setValue(key, list(value))
        else:
            self.qsettings.setValue(key, spec.type(value))

    def sync(self) -> None:
        self.qsettings.sync()
