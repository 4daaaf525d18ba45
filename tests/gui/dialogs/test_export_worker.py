"""File > Export runs on a worker thread: the window stays live, progress moves, Cancel leaves
no file behind, and an export left alone completes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

from tracker_gui.interchange.json_export import build, dumps
from tracker_gui.interchange.report import Ticker
from tracker_gui.services import Services
from tracker_gui.services.demo import fill_demo
from tracker_gui.ui import transfers as store_module
from tracker_gui.ui.dialogs.import_export import ExportDialog
from tracker_gui.ui.dialogs.import_widgets import TaskProgress
from tracker_gui.ui.export_job import ExportJob
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.store import Store

LEFT = Qt.MouseButton.LeftButton
ISSUES = 300


@pytest.fixture
def window(
    make_window: Callable[..., MainWindow], gui_services: Services, monkeypatch: pytest.MonkeyPatch
) -> MainWindow:
    fill_demo(gui_services, ISSUES, 1, "DEMO", None)
    # Every issue reports progress (not every 50 ms): what the test sees depends on no clock.
    monkeypatch.setattr(Ticker.__init__, "__defaults__", (0.0,))
    return make_window()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker stops a tenth of the way through the file until the user cancels.

    If the export ran on the window's thread, nothing would be painted while it waits and
    the test would time out: it proves the work is elsewhere."""
    where: list[int] = []
    real = store_module.export_json

    def export_json(services: Services, path: Path, **kwargs: Any) -> dict[str, int]:
        progress, cancelled = kwargs["progress"], kwargs["cancelled"]

        def tick(done: int, total: int) -> None:
            progress(done, total)
            if not where and done < total and done * 10 >= total:
                where.append(done)
                while not cancelled():
                    time.sleep(0.01)

        return real(services, path, progress=tick, cancelled=cancelled)

    monkeypatch.setattr(store_module, "export_json", export_json)
    return where


@pytest.fixture
def worker_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """A loaded machine's schedule: the worker runs to its end before the starter goes on.

    A signal reaches only the slots connected when it is emitted: whoever connects after the
    start would hear nothing, and the dialog would wait for ever."""
    real = ExportJob.start

    def start(job: ExportJob) -> None:
        real(job)
        assert job.wait(30)

    monkeypatch.setattr(ExportJob, "start", start)


def open_dialog(qtbot: QtBot, window: MainWindow, target: Path) -> ExportDialog:
    dialog = ExportDialog(window.store, "json", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_path(target)
    return dialog


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".export-*"))


def test_cancel_mid_export_leaves_no_partial_file_and_keeps_the_old_one(
    qtbot: QtBot, window: MainWindow, held: list[int], tmp_path: Path
) -> None:
    target = tmp_path / "backup.json"
    target.write_text("yesterday's backup", "utf-8")
    dialog = open_dialog(qtbot, window, target)
    started: list[TaskProgress] = []
    dialog.progressStarted.connect(started.append)
    qtbot.mouseClick(dialog.export_button, LEFT)

    qtbot.waitUntil(lambda: bool(held))  # the worker is a tenth of the way in, and waits
    (progress,) = started
    qtbot.waitUntil(progress.dialog.isVisible)
    qtbot.waitUntil(lambda: progress.dialog.value() >= progress.STEPS // 10)
    assert progress.dialog.value() < progress.STEPS
    assert leftovers(tmp_path) != []  # the file being written is a temporary one
    assert not dialog.export_button.isEnabled()
    assert target.read_text("utf-8") == "yesterday's backup"

    qtbot.mouseClick(progress.cancel_button, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None)
    assert dialog.error_label.text() == "Export cancelled: no file was written."
    assert leftovers(tmp_path) == []
    assert target.read_text("utf-8") == "yesterday's backup"
    assert dialog.isVisible() and dialog.export_button.isEnabled()  # the user may try again
    assert [d for d in dialog.findChildren(QProgressDialog) if d.isVisible()] == []


def test_closing_the_dialog_mid_export_cancels_it(
    qtbot: QtBot, window: MainWindow, held: list[int], tmp_path: Path
) -> None:
    target = tmp_path / "backup.json"
    dialog = open_dialog(qtbot, window, target)
    qtbot.mouseClick(dialog.export_button, LEFT)
    qtbot.waitUntil(lambda: bool(held))
    job = dialog.job
    assert job is not None and job.is_running()
    dialog.close()  # the title bar's close button (the progress dialog, modal, takes keys)
    assert not dialog.isVisible() and not job.is_running()
    assert not target.exists() and leftovers(tmp_path) == []


def test_an_export_left_alone_completes_with_every_issue(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    target = tmp_path / "backup.json"
    dialog = open_dialog(qtbot, window, target)
    ticks: list[tuple[int, int]] = []

    def on_progress_started(_progress: TaskProgress) -> None:
        assert dialog.job is not None
        dialog.job.progressed.connect(lambda done, total: ticks.append((done, total)))

    dialog.progressStarted.connect(on_progress_started)
    with qtbot.waitSignal(dialog.exported) as exported:
        qtbot.mouseClick(dialog.export_button, LEFT)
    assert exported.args is not None and exported.args[0].startswith(
        "Exported 12 users, 2 projects, 300 issues"
    )
    assert dialog.result_counts is not None and dialog.result_counts["issues"] == ISSUES
    assert not dialog.isVisible() and leftovers(tmp_path) == []
    assert len(ticks) > 10 and ticks[-1][0] == ticks[-1][1]  # the bar moved to the end
    assert target.read_text("utf-8") == dumps(build(gui_services))
    doc = json.loads(target.read_text("utf-8"))
    assert [len(p["issues"]) for p in doc["projects"]] == [ISSUES, 0]


def test_closing_the_store_mid_export_cancels_it_before_the_database_closes(
    qtbot: QtBot, window: MainWindow, gui_services: Services, held: list[int], tmp_path: Path
) -> None:
    """Quitting while a file is being written: the export stops first, and leaves no file."""
    store = Store(gui_services)
    target = tmp_path / "backup.json"
    job = store.transfers.start_export("json", target)
    qtbot.waitUntil(lambda: bool(held))
    store.close()
    assert not job.is_running()
    assert not target.exists() and leftovers(tmp_path) == []


def test_an_export_that_ends_before_the_dialog_goes_on_is_reported(
    qtbot: QtBot, window: MainWindow, worker_first: None, tmp_path: Path
) -> None:
    target = tmp_path / "backup.json"
    dialog = open_dialog(qtbot, window, target)
    ticks: list[int] = []

    def on_progress_started(_progress: TaskProgress) -> None:
        assert dialog.job is not None
        dialog.job.progressed.connect(lambda done, _total: ticks.append(done))

    dialog.progressStarted.connect(on_progress_started)
    with qtbot.waitSignal(dialog.exported) as exported:
        qtbot.mouseClick(dialog.export_button, LEFT)
    assert exported.args is not None and exported.args[0].startswith("Exported 12 users")
    assert dialog.result_counts is not None and dialog.result_counts["issues"] == ISSUES
    assert not dialog.isVisible() and window.status.busy.isHidden()
    assert len(ticks) > 10 and ticks == sorted(ticks)  # every tick reached the bar


def test_a_failed_export_says_why_in_the_dialog(
    qtbot: QtBot, window: MainWindow, worker_first: None, tmp_path: Path
) -> None:
    """The folder is missing: the worker fails at once, before the dialog's click returns."""
    folder = tmp_path / "gone"
    folder.mkdir()
    dialog = open_dialog(qtbot, window, folder / "backup.json")
    folder.rmdir()  # removed after the path was checked, before the file is written
    qtbot.mouseClick(dialog.export_button, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None and bool(dialog.error_label.text()))
    assert dialog.error_label.text() == f"{folder / 'backup.json'}: No such file or directory"
    assert dialog.isVisible() and dialog.result_counts is None
