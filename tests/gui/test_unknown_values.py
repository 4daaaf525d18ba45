"""A row changed behind the app's back (priority 99, an unknown type) opens and paints."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import OFFSCREEN_NOISE
from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.services import Services, open_services
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.models.issue_table_model import IssueTableModel
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

pytestmark = OFFSCREEN_NOISE


def poisoned(path: Path) -> tuple[Services, int]:
    """A database holding values the app never writes (an issue's priority and type, a link's
    kind, a status's category), put there with sqlite3."""
    services = open_services(str(path), create=True, actor="alice")
    services.projects.ensure_project("TRK", "Tracker")
    odd = services.issues.create(NewIssue("TRK", "Poisoned by raw SQL"))
    other = services.issues.create(NewIssue("TRK", "A normal issue"))
    services.issues.link(odd.id, LinkKind.BLOCKS, other.key)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE issue SET priority = 99, type = 'weird' WHERE id = ?", (odd.id,))
        raw.execute("UPDATE issue_link SET kind = 'haunts'")
        raw.execute("UPDATE status SET category = 'limbo' WHERE name = 'In Progress'")
    return services, odd.id


def test_the_window_opens_and_paints_a_board_with_unknown_values(
    qtbot: QtBot, tmp_path: Path
) -> None:
    services, odd = poisoned(tmp_path / "odd.db")
    store = Store(services)
    window = MainWindow(store, Settings(tmp_path / "config" / "tracker-gui.ini"))
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    try:
        assert window.board_panes()
        shown = store.search(IssueFilter())
        issue = next(i for i in shown if i.id == odd)
        assert (issue.priority.label, issue.type.label) == ("unknown (99)", "unknown (weird)")
        window.show_issue(odd, raise_detail=True)
        fields = window.detail_pane.fields
        for combo, placeholder in ((fields.priority_combo, "Unknown (99)"),
                             (fields.type_combo, "Unknown (weird)")):  # fmt: skip
            assert (combo.currentIndex(), combo.placeholderText()) == (-1, placeholder)
        image = window.grab().toImage()  # paints every pane (pytest-qt fails on an exception)
        assert not image.isNull()
        image.save(str(tmp_path / "unknown.png"))
        model = IssueTableModel(store)
        texts = {
            model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)
            for r in range(model.rowCount())
            for c in range(model.columnCount())
        }
        assert "Unknown (99)" in texts and "Unknown (weird)" in texts
    finally:
        window.close()
        store.close()
        services.close()
