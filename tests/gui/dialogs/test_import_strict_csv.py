"""File > Import > CSV: a malformed file is named by line in the mapping dialog, never imported."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tracker_gui.ui.dialogs.csv_mapping import CsvMappingDialog
from tracker_gui.ui.store import Store


def test_an_unclosed_quote_is_shown_with_its_line(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "broken.csv"
    rows = ["Title,Description", "fine,first", 'second,"starts a quote that never ends'] + [
        f"row {n},fine" for n in range(3, 61)
    ]
    path.write_text("\n".join(rows) + "\n", "utf-8")
    dialog = CsvMappingDialog(store, path, "TRK")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.banner.isVisible()
    assert dialog.problem_label.text() == (
        "Line 3: row 3: a quoted cell is never closed (a stray quote?)"
    )
    assert not dialog.next_button.isEnabled()
    assert dialog.preview_rows() == [["fine", "first"]]  # the rows before it still show
    dialog.grab().save("/tmp/csv-unclosed-quote.png")
