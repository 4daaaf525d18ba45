"""File > Import / Export: review of the dry run, progress with cancel, CSV mapping, exports."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QComboBox, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from tracker_gui.domain.enums import Priority
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.interchange import import_json
from tracker_gui.services import Services, open_services
from tracker_gui.ui import theme
from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.dialogs import import_export
from tracker_gui.ui.dialogs.import_export import (
    CsvMappingDialog,
    ExportDialog,
    ImportReviewDialog,
    TaskProgress,
)
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "interchange"
TRELLO = FIXTURES / "trello_board.json"
JIRA = FIXTURES / "jira_export.csv"
BAD = FIXTURES / "bad"
LEFT = Qt.MouseButton.LeftButton
POPUP_NOISE = pytest.mark.qt_log_ignore(
    "This plugin does not support raise()",
    "This plugin does not support grabbing the keyboard",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Env:
    """alice's window over a SQLite file whose closed bytes were hashed before it was opened."""

    path: Path
    digest: str
    services: Services
    store: Store
    window: MainWindow
    closed: bool = False

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                widget.close()
        self.store.close()
        self.services.close()

    def unchanged(self) -> bool:
        """Close everything; True when the file is byte-identical and no WAL is left."""
        self.close()
        return sha256(self.path) == self.digest and not Path(f"{self.path}-wal").exists()

    def board(self, key: str) -> BoardPane:
        dock = self.window.docks[f"board:{key}"]
        pane = dock.pane()
        assert isinstance(pane, BoardPane)
        return pane

    def project_id(self, key: str) -> int:
        return self.services.projects.project(key).id


def cards(board: BoardPane) -> int:
    """Cards on the board's columns (what the column views show)."""
    return sum(model.rowCount() for _, _, model, _ in board.cells())


@pytest.fixture
def env(qtbot: QtBot, tmp_path: Path, gui_settings: Settings) -> Iterator[Env]:
    path = tmp_path / "tracker.db"
    seed = open_services(str(path), create=True, actor="alice")
    seed.projects.ensure_project("TRK", "Tracker")
    seed.issues.create(NewIssue("TRK", "Issue that was here first", priority=Priority.HIGH))
    seed.close()
    digest = sha256(path)
    services = open_services(str(path), actor="alice")
    store = Store(services)
    window = MainWindow(store, gui_settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    made = Env(path, digest, services, store, window)
    yield made
    made.close()


def start(qtbot: QtBot, env: Env, kind: str, path: Path) -> ImportReviewDialog:
    flow = env.window.start_import(kind, str(path))
    assert flow is not None
    dialog = flow.review_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Pick an entry the way a user does: open the popup and click the row."""
    index = combo.findText(text)
    assert index >= 0, text
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    rect = view.visualRect(combo.model().index(index, 0))
    qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())
    qtbot.waitUntil(lambda: not view.isVisible())


def pixels_near(widget: QWidget, colour: QColor, tolerance: int = 24) -> int:
    """How many pixels of the widget are painted in (about) `colour`."""
    image = widget.grab().toImage()
    found = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - colour.red())
                + abs(pixel.green() - colour.green())
                + abs(pixel.blue() - colour.blue())
                <= tolerance
            ):
                found += 1
    return found


# -- import through the dialogs ----------------------------------------------------------------
def test_trello_board_is_imported_through_the_dialogs_and_shown(qtbot: QtBot, env: Env) -> None:
    review = start(qtbot, env, "trello", TRELLO)
    assert review.report is not None and review.report.dry_run and review.report.ok
    assert review.key_edit.text() == "WR"
    assert review.key_hint.text() == "a new project"
    assert [sev for sev, _ in review.problem_rows()] == ["warning"]
    assert "not on the board's member list" in review.problem_rows()[0][1]
    assert review.import_button.isEnabled()
    assert review.import_button.text() == "Import 13 issues"
    assert env.store.project_by_key("WR") is None  # the dry run wrote nothing

    qtbot.mouseClick(review.import_button, LEFT)

    wr = env.project_id("WR")
    stored = env.services.issues.search(IssueFilter(project_ids=(wr,), include_archived=True))
    assert len(stored) == 13
    assert {"Compress images", "Fix broken footer links"} <= {i.title for i in stored}
    assert review.completed and review.banner.text() == "Imported 13 issues into WR."
    assert not review.import_button.isVisible() and review.cancel_button.text() == "Close"
    # The window opened the new project's board; it shows every card that is not archived.
    board = env.board("WR")
    visible = env.store.count(IssueFilter(project_ids=(wr,)))
    assert visible == len([i for i in stored if not i.archived]) == 11
    qtbot.waitUntil(lambda: cards(board) == visible)
    status = env.window.status.currentMessage()
    assert status == "Imported 13 issues into WR from trello_board.json"
    activity = env.window.activity_pane.model
    assert any(
        "imported into" in (activity.entry(n).text if activity.entry(n) else "")  # type: ignore[union-attr]
        for n in range(activity.rowCount())
    )
    qtbot.mouseClick(review.cancel_button, LEFT)
    assert not review.isVisible()


def test_csv_import_refreshes_the_board_that_is_already_open(
    qtbot: QtBot, env: Env, tmp_path: Path
) -> None:
    source = tmp_path / "tasks.csv"
    source.write_text(
        "Name,State,Owner,Deadline\n"
        "Book the venue,To Do,alice,2030-05-01\n"
        "Order the badges,In Progress,bob,\n"
        "Send the invitations,Done,,2030-04-01\n",
        encoding="utf-8",
    )
    board = env.board("TRK")
    qtbot.waitUntil(lambda: cards(board) == 1)
    flow = env.window.start_import("csv", str(source))
    assert flow is not None and flow.mapping_dialog is not None
    mapping = flow.mapping_dialog
    qtbot.waitUntil(mapping.isVisible)
    assert mapping.mapping() == {
        "title": "Name",
        "status": "State",
        "assignee": "Owner",
        "due": "Deadline",
    }
    assert mapping.project_key() == "TRK"
    assert mapping.preview_rows()[1] == ["Order the badges", "In Progress", "bob", ""]
    filter_changes: list[object] = []
    env.store.filterChanged.connect(filter_changes.append)

    qtbot.mouseClick(mapping.next_button, LEFT)
    review = flow.review_dialog
    assert review is not None and review.report is not None and review.report.ok
    assert review.import_button.text() == "Import 3 issues"
    qtbot.mouseClick(review.import_button, LEFT)

    assert review.completed
    assert len(filter_changes) == 1  # the import's summary row made every view re-query
    qtbot.waitUntil(lambda: cards(board) == 4)
    stored = env.services.issues.by_key("TRK-3")
    assert (stored.title, stored.assignee) == ("Order the badges", "bob")


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        ("trello", "trello_unknown_list.json", "no list with id"),
        ("trello", "trello_malformed.json", "not valid JSON"),
        ("trello", "trello_wrong_shape.json", "not a Trello board export"),
        ("jira", "jira_bad_values.csv", "unknown priority 'Urgent-ish'"),
        ("jira", "jira_duplicate_keys.csv", "SHOP-1"),
        ("json", "backup_not_ours.json", "not a tracker-gui export"),
    ],
)
def test_a_bad_file_shows_its_problems_and_cannot_be_imported(
    qtbot: QtBot, env: Env, kind: str, name: str, expected: str
) -> None:
    review = start(qtbot, env, kind, BAD / name)
    rows = review.problem_rows()
    assert rows and any(sev == "error" and expected in text for sev, text in rows), rows
    assert review.problems.isVisible() and review.banner.isVisible()
    assert "nothing can be imported" in review.banner.text()
    assert not review.import_button.isEnabled()
    qtbot.mouseClick(review.import_button, LEFT)  # a click on a disabled button does nothing
    assert review.report is not None and not review.report.committed
    qtbot.mouseClick(review.cancel_button, LEFT)
    assert not review.isVisible()
    assert env.unchanged()


def test_errors_are_red_and_warnings_amber(qtbot: QtBot, env: Env) -> None:
    danger, warning = theme.colour("danger"), theme.colour("warning")
    bad = start(qtbot, env, "jira", BAD / "jira_bad_values.csv")
    assert pixels_near(bad.problems.viewport(), danger) > 20
    assert pixels_near(bad.problems.viewport(), warning) == 0
    bad.close()
    good = start(qtbot, env, "trello", TRELLO)
    assert pixels_near(good.problems.viewport(), warning) > 20
    assert pixels_near(good.problems.viewport(), danger) == 0


def test_cancel_during_progress_rolls_everything_back(qtbot: QtBot, env: Env) -> None:
    review = start(qtbot, env, "trello", TRELLO)
    board = env.board("TRK")
    qtbot.waitUntil(lambda: cards(board) == 1)
    ticks: list[tuple[int, int]] = []
    shown: list[bool] = []

    def on_progress_started(progress: TaskProgress) -> None:
        def on_ticked(done: int, total: int) -> None:
            ticks.append((done, total))
            if len(ticks) == 1:  # cancel after the first tick, the way a user would
                shown.append(progress.dialog.isVisible())
                qtbot.mouseClick(progress.cancel_button, LEFT)

        progress.ticked.connect(on_ticked)

    review.progressStarted.connect(on_progress_started)
    qtbot.mouseClick(review.import_button, LEFT)

    assert ticks and shown == [True]
    assert ticks[0][0] < ticks[0][1]  # the click came before the last issue was written
    assert review.report is not None and not review.report.committed
    assert review.banner.text() == "Import cancelled: nothing changed."
    assert review.import_button.isEnabled()  # the user may try again
    assert env.store.project_by_key("WR") is None
    assert "board:WR" not in env.window.docks
    assert cards(board) == 1
    review.close()
    assert env.unchanged()


def test_missing_statuses_are_errors_until_the_user_lets_them_be_created(
    qtbot: QtBot, env: Env
) -> None:
    flow = env.window.start_import("csv", str(BAD / "csv_unknown_status.csv"))
    assert flow is not None and flow.mapping_dialog is not None
    qtbot.mouseClick(flow.mapping_dialog.next_button, LEFT)
    review = flow.review_dialog
    assert review is not None
    assert [sev for sev, _ in review.problem_rows()] == ["error", "error"]
    assert "status 'Backlog' is not in TRK's workflow" in review.problem_rows()[0][1]
    # Said in the user's words, not the importer's option name.
    assert review.problem_rows()[0][1].endswith(
        "add it to the project first, or let the import create the missing statuses"
    )
    assert not any("create_statuses" in text for _, text in review.problem_rows())
    assert not review.import_button.isEnabled()

    box = review.create_statuses_check
    assert box.text() == "Create the missing statuses (Backlog, Blocked)"
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))
    assert box.isChecked() and review.problem_rows() == []
    assert box.text() == "Create the missing statuses (Backlog, Blocked)"  # still named
    assert review.report is not None and review.report.created["statuses"] == 2
    qtbot.mouseClick(review.import_button, LEFT)
    names = [s.name for s in env.services.projects.statuses(env.project_id("TRK"))]
    assert {"Backlog", "Blocked"} <= set(names)


def test_back_from_the_review_returns_to_the_mapping(qtbot: QtBot, env: Env) -> None:
    flow = env.window.start_import("csv", str(JIRA))
    assert flow is not None and flow.mapping_dialog is not None
    mapping = flow.mapping_dialog
    qtbot.mouseClick(mapping.next_button, LEFT)
    review = flow.review_dialog
    assert review is not None and review.isVisible() and not mapping.isVisible()
    qtbot.mouseClick(review.back_button, LEFT)
    qtbot.waitUntil(mapping.isVisible)
    assert not review.isVisible()


def test_a_new_project_key_is_checked_again(qtbot: QtBot, env: Env) -> None:
    review = start(qtbot, env, "jira", JIRA)
    assert review.key_edit.text() == "SHOP" and review.report is not None
    assert review.keys_note.text() == "Jira's keys are kept: SHOP-1 stays SHOP-1."
    review.key_edit.selectAll()
    qtbot.keyClicks(review.key_edit, "t")
    qtbot.keyClick(review.key_edit, Qt.Key.Key_Return)
    assert "must be 2-10 letters" in review.error_label.text()
    assert review.key_edit.property("error") is True and not review.import_button.isEnabled()
    assert not review.problems.isVisible() and not review.counts.isVisible()
    qtbot.keyClicks(review.key_edit, "rk")
    assert review.key_edit.text() == "TRK"
    assert not review.import_button.isEnabled()  # until the new target is checked
    qtbot.keyClick(review.key_edit, Qt.Key.Key_Return)
    assert review.report.project == "TRK"
    assert review.key_hint.text() == "Tracker: the issues are added to it"
    assert review.keys_note.text().startswith("The issues get new numbers in TRK")
    qtbot.mouseClick(review.import_button, LEFT)
    assert review.report.committed and review.report.key_map["SHOP-1"] == "TRK-2"
    assert review.keys_note.text().startswith("Renumbered: SHOP-1 → TRK-2, SHOP-2 → TRK-3")
    assert env.services.issues.by_key("TRK-2").description.endswith("Imported from SHOP-1")


# -- the CSV mapping dialog ----------------------------------------------------------------------
def test_mapping_is_guessed_for_a_jira_export_and_previewed(qtbot: QtBot, env: Env) -> None:
    dialog = CsvMappingDialog(env.store, JIRA, "TRK")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.encoding() == "utf-8" and dialog.problem() is None
    mapping = dialog.mapping()
    assert mapping["title"] == "Summary" and mapping["key"] == "Issue key"
    assert mapping["labels"] == "Labels" and mapping["due"] == "Due Date"
    assert "archived" not in mapping
    assert dialog.field_combos["title"].currentText() == "Summary"
    assert dialog.field_combos["archived"].currentText() == "(none)"
    rows = dialog.preview_rows()
    assert len(rows) == 8  # the first rows only
    assert rows[0][:2] == ["Checkout button misaligned on Safari", "SHOP-10"]
    header = dialog.preview_table.horizontalHeaderItem(0)
    assert header is not None and header.text() == "Summary\n→ Title"
    assert dialog.next_button.isEnabled()


@POPUP_NOISE
def test_a_column_is_remapped_and_title_is_required(qtbot: QtBot, env: Env) -> None:
    dialog = CsvMappingDialog(env.store, JIRA, "TRK")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    choose(qtbot, dialog.field_combos["title"], "(none)")
    assert "title" not in dialog.mapping() and not dialog.next_button.isEnabled()
    choose(qtbot, dialog.field_combos["title"], "Description")
    assert dialog.mapping()["title"] == "Description" and dialog.next_button.isEnabled()
    header = dialog.preview_table.horizontalHeaderItem(0)
    assert header is not None and header.text() == "Summary\n—"


@POPUP_NOISE
def test_invalid_utf8_is_shown_and_windows_1252_fixes_the_preview(qtbot: QtBot, env: Env) -> None:
    broken = CsvMappingDialog(env.store, BAD / "csv_invalid_utf8.csv", "TRK")
    qtbot.addWidget(broken)
    broken.show()
    qtbot.waitExposed(broken)
    choose(qtbot, broken.encoding_combo, "UTF-8")
    assert broken.banner.isVisible() and "not valid utf-8" in broken.problem_label.text()
    assert "line 3" in broken.problem_label.text()
    assert not broken.next_button.isEnabled() and not broken.preview_table.isEnabled()
    broken.close()

    dialog = CsvMappingDialog(env.store, BAD / "csv_cp1252.csv", "TRK")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.encoding() == "cp1252"  # detected
    choose(qtbot, dialog.encoding_combo, "UTF-8")
    assert dialog.banner.isVisible() and not dialog.next_button.isEnabled()
    assert dialog.use_suggested_button.text() == "Use Windows-1252"
    choose(qtbot, dialog.encoding_combo, "Windows-1252")
    assert not dialog.banner.isVisible() and dialog.problem() is None
    assert dialog.preview_table.isEnabled()
    assert [row[0] for row in dialog.preview_rows()] == [
        "Write the release notes",
        "Café menu",
        "Publish",
    ]
    assert dialog.next_button.isEnabled()


def test_the_chosen_encoding_is_used_for_the_import(qtbot: QtBot, env: Env) -> None:
    flow = env.window.start_import("csv", str(BAD / "csv_cp1252.csv"))
    assert flow is not None and flow.mapping_dialog is not None
    mapping = flow.mapping_dialog
    mapping.set_encoding("utf-8")
    assert not mapping.next_button.isEnabled()
    qtbot.mouseClick(mapping.use_suggested_button, LEFT)
    assert mapping.encoding() == "cp1252"
    qtbot.mouseClick(mapping.next_button, LEFT)
    review = flow.review_dialog
    assert review is not None
    qtbot.mouseClick(review.import_button, LEFT)
    titles = {i.title for i in env.services.issues.search(IssueFilter(include_archived=True))}
    assert "Café menu" in titles


# -- menus ----------------------------------------------------------------------------------------
def test_file_menu_offers_every_import_and_export(
    qtbot: QtBot, env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    actions = env.window.actions_
    assert [a.text() for a in actions.import_menu.actions()] == [
        "&Trello Board (JSON)…",
        "&Jira (CSV)…",
        "&CSV File…",
        "&Backup (JSON)…",
    ]
    assert [a.text() for a in actions.export_menu.actions()] == [
        "Issues as &CSV…",
        "Everything as &JSON…",
    ]
    monkeypatch.setattr(import_export, "choose_import_file", lambda _parent, _kind: str(TRELLO))
    actions.import_menu.actions()[0].trigger()
    review = next(w for w in env.window.findChildren(ImportReviewDialog) if w.isVisible())
    assert review.kind.name == "trello" and review.key_edit.text() == "WR"
    review.close()
    actions.export_menu.actions()[1].trigger()
    export = next(w for w in env.window.findChildren(ExportDialog) if w.isVisible())
    assert export.kind == "json"
    export.close()


def test_cancelling_the_file_dialog_starts_nothing(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_export, "choose_import_file", lambda _parent, _kind: None)
    assert env.window.start_import("jira") is None
    assert not [w for w in env.window.findChildren(ImportReviewDialog) if w.isVisible()]


# -- export --------------------------------------------------------------------------------------
def toggle_column(qtbot: QtBot, listing: QListWidget, text: str) -> None:
    """Select a column with the mouse and flip its check box with Space."""
    item = next(listing.item(n) for n in range(listing.count()) if listing.item(n).text() == text)
    rect = listing.visualItemRect(item)
    qtbot.mouseClick(listing.viewport(), LEFT, pos=rect.center() + QPoint(rect.width() // 4, 0))
    qtbot.keyClick(listing, Qt.Key.Key_Space)


def test_csv_export_writes_the_current_filter_with_the_chosen_columns(
    qtbot: QtBot, env: Env, tmp_path: Path
) -> None:
    make = env.services.issues.create
    make(NewIssue("TRK", "Second high one", priority=Priority.HIGH, labels=("ops",)))
    make(NewIssue("TRK", "A low one", priority=Priority.LOW))
    env.store.set_filter(IssueFilter(priorities=(Priority.HIGH,)))
    dialog = ExportDialog(env.store, "csv", env.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.scope_label.text() == "2 issues match the current filter."
    assert dialog.columns()[:4] == ["key", "title", "type", "status"]
    dialog.set_columns(["key", "title", "priority"])
    toggle_column(qtbot, dialog.columns_list, "Labels")
    toggle_column(qtbot, dialog.columns_list, "Title")
    assert dialog.columns() == ["key", "priority", "labels"]
    target = tmp_path / "high.csv"
    dialog.set_path(target)
    messages: list[str] = []
    dialog.exported.connect(messages.append)
    with qtbot.waitSignal(dialog.exported):  # written on a worker thread
        qtbot.mouseClick(dialog.export_button, LEFT)

    with target.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["Key", "Priority", "Labels"], ["TRK-1", "high", ""], ["TRK-2", "high", "ops"]]
    assert messages == [f"Exported 2 issues to {target}"]
    assert not dialog.isVisible()


def test_an_unusable_path_is_refused_before_exporting(
    qtbot: QtBot, env: Env, tmp_path: Path
) -> None:
    dialog = ExportDialog(env.store, "csv", env.window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_path(tmp_path / "missing" / "x.csv")
    assert not dialog.export_button.isEnabled() and "There is no folder" in dialog.path_note.text()
    (tmp_path / "old.csv").write_text("x")
    dialog.set_path(tmp_path / "old.csv")
    assert dialog.export_button.isEnabled() and "will be replaced" in dialog.path_note.text()
    for n in range(dialog.columns_list.count()):
        dialog.columns_list.item(n).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.export_button.isEnabled()


def test_json_export_is_a_backup_that_import_json_accepts(
    qtbot: QtBot, env: Env, tmp_path: Path
) -> None:
    dialog = ExportDialog(env.store, "json", env.window)
    qtbot.addWidget(dialog)
    dialog.show()
    target = tmp_path / "backup.json"
    dialog.set_path(target)
    with qtbot.waitSignal(dialog.exported):
        qtbot.mouseClick(dialog.export_button, LEFT)
    assert dialog.result_counts is not None and dialog.result_counts["issues"] == 1
    fresh = open_services(str(tmp_path / "fresh.db"), create=True, actor="alice")
    fresh_store = Store(fresh)
    try:
        report = import_json(fresh, target, dry_run=True)
        review = ImportReviewDialog(fresh_store, "json", target)  # and the app's own review
        qtbot.addWidget(review)
        review.show()
        review.check()
        assert review.problem_rows() == [] and review.import_button.isEnabled()
    finally:
        fresh_store.close()
        fresh.close()
    assert report.ok and report.created["projects"] == 1 and report.created["issues"] == 1
    # ... while this database, which holds those projects already, refuses it.
    again = start(qtbot, env, "json", target)
    assert any("already exists here" in text for _, text in again.problem_rows())
    assert not again.import_button.isEnabled()
