"""Notification preferences: on/off, relations, target statuses and quiet focus, saved on OK."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tracker_gui.ui.dialogs.preferences import PreferencesDialog
from tracker_gui.ui.notify_bridge import read_prefs
from tracker_gui.ui.settings import Settings

STATUSES = ["To Do", "In Progress", "In Review", "Done"]


def test_target_statuses_and_relations_are_saved_and_read_back(
    qtbot: QtBot, gui_settings: Settings, tmp_path: Path
) -> None:
    dialog = PreferencesDialog(gui_settings, statuses=[*STATUSES, "Done"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert list(dialog.status_boxes) == STATUSES  # one box per name, in board order
    assert not any(b.isChecked() for b in dialog.status_boxes.values())  # any status
    dialog.status_boxes["Done"].setChecked(True)
    dialog.status_boxes["In Review"].setChecked(True)
    dialog.relation_boxes["watcher"].setChecked(False)
    dialog.quiet_box.setChecked(True)
    dialog.grab().save(str(tmp_path / "preferences.png"))
    dialog.accept()
    prefs = read_prefs(gui_settings)
    assert prefs.statuses == {"Done", "In Review"}
    assert prefs.relations == {"reporter", "assignee"}
    assert prefs.quiet_when_focused and prefs.enabled

    again = PreferencesDialog(gui_settings, statuses=STATUSES)
    qtbot.addWidget(again)
    assert [n for n, b in again.status_boxes.items() if b.isChecked()] == ["In Review", "Done"]


def test_switching_notifications_off_greys_out_the_choices(
    qtbot: QtBot, gui_settings: Settings
) -> None:
    gui_settings.set("notify/statuses", ["Shipped"])  # a status no project has any more
    dialog = PreferencesDialog(gui_settings, statuses=STATUSES)
    qtbot.addWidget(dialog)
    assert dialog.status_boxes["Shipped"].isChecked()  # kept, so saving does not drop it
    dialog.enabled_box.setChecked(False)
    assert not any(b.isEnabled() for b in dialog.status_boxes.values())
    assert not dialog.quiet_box.isEnabled()
    dialog.accept()
    assert read_prefs(gui_settings).enabled is False
    assert read_prefs(gui_settings).statuses == {"Shipped"}
