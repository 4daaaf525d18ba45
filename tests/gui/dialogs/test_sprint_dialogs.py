"""The Close sprint dialog as a user reads it: a name shown as typed, no question when
nothing is unfinished, and a chosen option that stands out in the dark theme too."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tracker_gui.ui import theme
from tracker_gui.ui.dialogs.sprint_dialogs import CloseSprintDialog, next_name
from tracker_gui.ui.widgets import style


def test_a_sprint_name_with_markup_is_shown_as_typed(qtbot: QtBot) -> None:
    dialog = CloseSprintDialog("Sprint <i>9</i> & co", 3, 9, [])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    shown = dialog.summary.text()
    assert "Sprint &lt;i&gt;9&lt;/i&gt; &amp; co" in shown  # escaped: the label shows it as typed
    assert "<b>3 are unfinished</b>" in shown  # the dialog's own emphasis stays


def test_nothing_unfinished_asks_nothing(qtbot: QtBot) -> None:
    dialog = CloseSprintDialog("Sprint 1", 0, 4, ["Sprint 2"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert "Nothing needs to move" in dialog.summary.text()
    hidden = (dialog.next_radio, dialog.sprint_combo, dialog.backlog_radio)
    assert not any(w.isVisible() for w in hidden)
    assert dialog.close_button.isVisible() and dialog.close_button.isEnabled()


def _has(widget: QWidget, colour: str) -> bool:
    """Whether any pixel of the widget's picture is (within a little) that colour."""
    image = widget.grab().toImage()
    want = QColor(colour)
    for y in range(image.height()):
        for x in range(min(image.width(), 24)):  # the indicator sits at the left
            got = image.pixelColor(x, y)
            if (
                abs(got.red() - want.red()) + abs(got.green() - want.green())
                + abs(got.blue() - want.blue()) < 24
            ):  # fmt: skip
                return True
    return False


def test_the_chosen_option_is_drawn_in_the_accent_colour_light_and_dark(
    qtbot: QtBot, qapp: Any
) -> None:
    try:
        for mode in ("light", "dark"):
            theme.apply_theme(qapp, mode)
            dialog = CloseSprintDialog("Sprint 1", 3, 9, ["Sprint 2"])
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            accent = style.colours()["accent"]
            assert dialog.next_radio.isChecked()
            assert _has(dialog.next_radio, accent), mode
            assert not _has(dialog.backlog_radio, accent), mode  # unchecked: no accent
            dialog.close()
    finally:
        theme.apply_theme(qapp, "light")


def test_the_next_name_counts_on_the_last_numbered_sprint() -> None:
    assert next_name([]) == "Sprint 1"
    assert next_name(["Hardening"]) == "Sprint 1"
    assert next_name(["Sprint 3", "Hardening"]) == "Sprint 4"
    assert next_name(["sprint 9", "Sprint 10", "Sprint 2"]) == "Sprint 11"  # past every number
    assert next_name(["Sprint 4", "Cycle-7"]) == "Cycle-8"  # the newest series
