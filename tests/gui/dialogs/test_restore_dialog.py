"""File > Restore from Backup and the backup schedule, driven like a person would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.services import Services
from tracker_gui.services.backups import BackupService
from tracker_gui.ui.backups import BackupScheduler
from tracker_gui.ui.dialogs.restore import RestoreDialog
from tracker_gui.ui.settings import Settings


def _titles(services: Services) -> list[str]:
    return sorted(i.title for i in services.issues.search(IssueFilter(include_archived=True)))


def test_restore_from_the_file_menu_brings_the_backup_back_and_reopens(
    qtbot: QtBot, gui_services: Services, make_window: Callable[..., object]
) -> None:
    gui_services.issues.create(NewIssue("TRK", "in the backup"))
    saved = BackupService(gui_services.database).backup_now("auto")
    gui_services.issues.create(NewIssue("TRK", "made later"))
    window = make_window()
    action = window.restore_action  # type: ignore[attr-defined]
    assert action.isEnabled() and action.text() == "&Restore from Backup…"
    file_menu = window.menuBar().actions()[0].menu()  # type: ignore[attr-defined]
    assert action in file_menu.actions()

    action.trigger()
    dialog = window.findChild(RestoreDialog)  # type: ignore[attr-defined]
    assert dialog is not None and dialog.isVisible()
    assert dialog.table.rowCount() == 1
    row = [dialog.table.item(0, c).text() for c in range(4)]
    (listed,) = BackupService(gui_services.database).list_backups()
    assert listed.path == saved.path
    assert row[0] == f"{listed.taken_at:%Y-%m-%d %H:%M:%S}"
    assert row[2] == "1" and row[3] == "Scheduled"
    assert "bytes" in row[1] or "KB" in row[1]
    assert not dialog.restore_button.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.restore_button.isEnabled()
    dialog.grab().save("/tmp/restore-dialog.png")

    asked: list[str] = []

    def refuse(text: str) -> bool:
        asked.append(text)
        return False

    dialog.confirm = refuse
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert "1 issues" in asked[0]
    assert _titles(gui_services) == ["in the backup", "made later"]  # cancelled: untouched

    dialog.confirm = lambda text: True
    with qtbot.waitSignal(window.openDatabaseRequested) as reopened:  # type: ignore[attr-defined]
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert reopened.args == [gui_services.database.target]
    assert _titles(gui_services) == ["in the backup"]
    kinds = [b.reason for b in BackupService(gui_services.database).list_backups()]
    assert kinds == ["before-restore", "auto"]


def test_restoring_the_oldest_backup_in_the_dialog_keeps_it(
    qtbot: QtBot, gui_services: Services
) -> None:
    gui_services.issues.create(NewIssue("TRK", "in the oldest"))
    service = BackupService(gui_services.database, keep=2)
    oldest = service.backup_now("auto").path
    gui_services.issues.create(NewIssue("TRK", "in the newer"))
    service.backup_now("auto")
    dialog = RestoreDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 2
    dialog.table.selectRow(1)  # the oldest, at the keep limit
    dialog.confirm = lambda text: True
    with qtbot.waitSignal(dialog.restored):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert not dialog.message.isVisible()
    assert _titles(gui_services) == ["in the oldest"]
    assert oldest.exists()
    listed = service.list_backups()
    assert [b.reason for b in listed] == ["before-restore", "auto"]
    assert listed[1].path == oldest


def test_a_damaged_backup_is_refused_in_the_dialog(
    qtbot: QtBot, gui_services: Services, tmp_path: Path
) -> None:
    service = BackupService(gui_services.database)
    info = service.backup_now()
    data = bytearray(info.path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xee" * (len(data) - page)  # every page after the header page
    info.path.write_bytes(bytes(data))
    dialog = RestoreDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.table.selectRow(0)
    dialog.confirm = lambda text: True
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.message.text().startswith("Nothing was restored: ")
    assert "is damaged" in dialog.message.text()


def test_no_backups_yet_says_so(qtbot: QtBot, gui_services: Services) -> None:
    dialog = RestoreDialog(BackupService(gui_services.database))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    assert "No backups yet" in dialog.message.text()


def test_the_schedule_backs_up_when_due_and_honours_the_settings(
    qtbot: QtBot,
    gui_services: Services,
    tmp_path: Path,
    tracker_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tracker_gui.ui import backups as backups_ui

    monkeypatch.setattr(backups_ui, "START_DELAY_MS", 50)
    settings = Settings(tmp_path / "s.ini")
    service = BackupService(gui_services.database)
    scheduler = BackupScheduler(service, settings)
    with qtbot.waitSignal(scheduler.backedUp, timeout=10_000) as made:
        scheduler.start()  # none yet: one soon after start, off the GUI thread
    assert Path(made.args[0]).exists()
    assert scheduler._worker is not None and scheduler._worker.name == "scheduled-backup"
    assert scheduler.timer.isActive()
    assert not scheduler.run_if_due()  # the last is fresh
    settings.set("backup/keep", 2)
    for _ in range(3):
        # Pretend a day passed: the due check reads the newest backup's time from its name.
        newest = service.list_backups()[0].path
        older = (dt.datetime.now() - dt.timedelta(days=2)).strftime("%Y%m%d-%H%M%S-%f")
        newest.rename(newest.with_name(f"gui-{older}-auto.db"))
        assert scheduler.run_if_due()
    assert len(service.list_backups()) == 2
    settings.set("backup/enabled", False)
    newest = service.list_backups()[0].path
    newest.rename(newest.with_name("gui-20000101-000000-auto.db"))
    assert not scheduler.run_if_due()
    scheduler.stop()


def test_a_failing_scheduled_backup_reports_a_message(
    qtbot: QtBot, gui_services: Services, tmp_path: Path, tracker_home: Path
) -> None:
    (tracker_home / "data").mkdir(parents=True, exist_ok=True)
    (tracker_home / "data" / "backups").write_text("a file where the folder should be")
    scheduler = BackupScheduler(BackupService(gui_services.database), Settings(tmp_path / "s.ini"))
    with qtbot.waitSignal(scheduler.failed) as failed:
        assert not scheduler.run_if_due()
    assert failed.args[0].startswith("the scheduled backup failed: cannot create the folder")


def test_preferences_turn_backups_off_and_set_how_many(tmp_path: Path, qtbot: QtBot) -> None:
    from PySide6.QtCore import QPoint

    from tracker_gui.ui.dialogs.preferences import PreferencesDialog

    settings = Settings(tmp_path / "prefs.ini")
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    section = dialog.backups
    assert section.enabled_box.isChecked() and section.keep_spin.value() == 10
    dialog.grab().save("/tmp/preferences.png")
    section.keep_spin.selectAll()
    qtbot.keyClicks(section.keep_spin, "3")
    box = section.enabled_box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert not section.keep_spin.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    again = Settings(tmp_path / "prefs.ini")
    assert again.get("backup/enabled") is False
    assert again.get("backup/keep") == 3
