"""The Reports pane: opened from View > Reports, computed off the GUI thread, exported to files."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.gui import report_samples
from tracker_gui.errors import UserError
from tracker_gui.services.report_types import Report
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.panes.reports_pane import ReportsPane
from tracker_gui.ui.reports_setup import REPORTS_DOCK, ReportSources
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 12, 8)


class StubReports:
    """Stands in for the reports service: records each call and its thread, answers a sample."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, object]]] = []
        self.threads: list[int] = []
        self.gate: threading.Event | None = None  # set: the next call waits for it
        self.error: Exception | None = None

    def __call__(self, kind: str, options: object) -> Report:
        assert isinstance(options, dict)
        self.calls.append((kind, dict(options)))
        self.threads.append(threading.get_ident())
        if self.gate is not None:
            assert self.gate.wait(30)
        if self.error is not None:
            raise self.error
        return report_samples.sample(kind)


@pytest.fixture
def stub() -> StubReports:
    return StubReports()


@pytest.fixture
def window(
    qtbot: QtBot, store: Store, gui_settings: Settings, stub: StubReports
) -> Iterator[MainWindow]:
    window = MainWindow(
        store, gui_settings, reports=ReportSources(stub, lambda key: ("Sprint 12",))
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    if isinstance(window.reports.pane, ReportsPane):
        window.reports.pane.wait(30_000)


def opened(qtbot: QtBot, window: MainWindow) -> ReportsPane:
    window.reports.action.trigger()
    pane = window.reports.pane
    assert isinstance(pane, ReportsPane)
    qtbot.waitUntil(lambda: pane.report() is not None)
    return pane


def shown(pane: ReportsPane) -> Report:
    report = pane.report()
    assert report is not None
    return report


def test_the_pane_is_closed_by_default_and_view_reports_opens_it_beside_the_board(
    qtbot: QtBot, window: MainWindow, stub: StubReports
) -> None:
    assert REPORTS_DOCK not in window.docks
    action = window.reports.action
    assert action in window.actions_.view_menu.actions() and not action.isChecked()
    pane = opened(qtbot, window)
    dock = window.docks[REPORTS_DOCK]
    assert dock.isVisible() and action.isChecked()
    assert dock in window.tabifiedDockWidgets(window.board_docks()[0])
    kind, options = stub.calls[-1]
    assert kind == "burndown"
    assert options == {"project": "TRK", "sprint": None, "from": None, "to": None, "by": "issues"}
    assert stub.threads[-1] != threading.get_ident()  # computed on a worker
    assert shown(pane).title == "Burndown · Sprint 12"
    dock.close()
    assert not action.isChecked()


def test_reset_layout_closes_the_reports_pane_again(qtbot: QtBot, window: MainWindow) -> None:
    opened(qtbot, window)
    window.actions_.reset_layout.trigger()
    assert window.docks[REPORTS_DOCK].isHidden()
    assert not window.reports.action.isChecked()


def test_the_window_keeps_working_while_a_report_is_computed(
    qtbot: QtBot, window: MainWindow, stub: StubReports
) -> None:
    pane = opened(qtbot, window)
    stub.gate = threading.Event()
    pane.set_kind("cfd")
    qtbot.waitUntil(lambda: len(stub.calls) == 2 and pane.busy.isVisible())
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    qtbot.waitUntil(lambda: len(ticks) >= 3)  # the event loop runs while the worker waits
    assert shown(pane).kind == "burndown"  # the old chart stays
    stub.gate.set()
    qtbot.waitUntil(lambda: shown(pane).kind == "cfd")
    assert not pane.busy.isVisible()
    timer.stop()


def test_each_kind_asks_for_its_own_options(
    qtbot: QtBot, window: MainWindow, stub: StubReports
) -> None:
    pane = opened(qtbot, window)
    pane.set_kind("cfd")
    qtbot.waitUntil(lambda: stub.calls[-1][0] == "cfd")
    options = stub.calls[-1][1]
    assert options["by"] == "category" and options["sprint"] is None
    assert isinstance(options["from"], dt.date) and options["to"] == dt.date.today()
    assert pane.start.isVisible() and not pane.sprint.isVisible()
    pane.by.setCurrentIndex(pane.by.findData("status"))
    qtbot.waitUntil(lambda: stub.calls[-1][1]["by"] == "status")
    pane.set_kind("velocity")
    qtbot.waitUntil(lambda: stub.calls[-1][0] == "velocity")
    assert not pane.by.isVisible() and pane.sprint.isVisible()
    pane.sprint.setEditText("Sprint 12")
    qtbot.waitUntil(lambda: stub.calls[-1][1]["sprint"] == "Sprint 12")
    assert stub.calls[-1][1] == {
        "project": "TRK",
        "sprint": "Sprint 12",
        "from": None,
        "to": None,
        "by": None,
    }


def test_a_refused_report_says_why_and_offers_no_picture(
    qtbot: QtBot, window: MainWindow, stub: StubReports
) -> None:
    pane = opened(qtbot, window)
    stub.error = UserError("no sprint named 'Sprint 99' in TRK")
    pane.refresh()
    qtbot.waitUntil(lambda: pane.report() is None)
    assert pane.message.text() == "no sprint named 'Sprint 99' in TRK"
    assert not pane.export_png.isEnabled() and not pane.export_csv.isEnabled()


def test_export_writes_csv_png_and_svg_where_the_user_chose(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    pane = opened(qtbot, window)
    asked: list[str] = []

    def ask(caption: str, suggested: str, filters: str) -> str:
        asked.append(suggested)
        return str(tmp_path / Path(suggested).name)

    pane.ask_save_path = ask
    csv_path = pane.export_to("csv")
    lines = Path(csv_path).read_text(encoding="utf-8").splitlines()
    assert lines[:3] == [
        "date,remaining,ideal,scope",
        "2026-11-30,20,20,20",
        "2026-12-01,20,18.46,20",
    ]
    assert len(lines) == 15
    pane.export_png.click()
    pane.export_svg.click()
    assert asked == [
        "burndown-TRK.csv",
        f"{tmp_path}/burndown-TRK.png",
        f"{tmp_path}/burndown-TRK.svg",
    ]
    assert QImage(str(tmp_path / "burndown-TRK.png")).width() == 1920
    assert "Burndown · Sprint 12" in (tmp_path / "burndown-TRK.svg").read_text(encoding="utf-8")
    assert window.statusBar().currentMessage() == f"Wrote {tmp_path}/burndown-TRK.svg"


def test_an_unwritable_export_says_so(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    pane = opened(qtbot, window)
    pane.ask_save_path = lambda *_: str(tmp_path / "gone" / "b.png")
    assert pane.export_to("png") == ""
    assert pane.message.text().startswith(f"Not exported: {tmp_path}/gone/b.png")


def test_without_a_reports_service_the_menu_item_is_disabled(
    make_window: Callable[..., MainWindow],
) -> None:
    window = make_window()
    assert not window.reports.action.isEnabled()
    assert window.reports.open_and_wait(1000) is None
    assert REPORTS_DOCK not in window.docks


def test_the_smoke_test_can_open_the_pane_and_wait_for_its_chart(window: MainWindow) -> None:
    report = window.reports.open_and_wait(30_000)
    assert report is not None and report.title == "Burndown · Sprint 12"
    assert window.docks[REPORTS_DOCK].isVisible()


LAZY = """
import os, sys, tempfile
os.environ["QT_QPA_PLATFORM"] = "offscreen"
home = tempfile.mkdtemp()
os.environ["TRACKER_HOME"] = home
from tracker_gui.app import make_application
from tracker_gui.services import open_services
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.reports_setup import ReportSources
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store
from tests.gui.report_samples import sample
app = make_application()
services = open_services(home + "/t.db", create=True)
services.projects.ensure_project("TRK", "Tracker")
store = Store(services)
window = MainWindow(store, Settings(), reports=ReportSources(lambda kind, options: sample(kind)))
window.show()
for _ in range(20):
    app.processEvents()
LAZY = ("tracker_gui.ui.charts", "tracker_gui.ui.panes.reports")
loaded = lambda: sorted(m for m in sys.modules if m.startswith(LAZY))
print("before", loaded())
window.reports.action.trigger()
print("after", loaded())
window.reports.pane.wait(30000)
store.close(); services.close()
"""


def test_the_pane_and_the_charts_load_only_when_the_pane_is_opened() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LAZY],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    before, after = done.stdout.splitlines()[-2:]
    assert before == "before []"
    assert "tracker_gui.ui.charts.painter" in after and "tracker_gui.ui.panes.reports_pane" in after


def test_a_pane_open_at_close_opens_again_where_it_was(
    qtbot: QtBot, store: Store, gui_settings: Settings, window: MainWindow, stub: StubReports
) -> None:
    opened(qtbot, window)
    window.close()
    again = MainWindow(store, gui_settings, reports=ReportSources(stub))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: REPORTS_DOCK in again.docks and again.docks[REPORTS_DOCK].isVisible())
    assert again.reports.action.isChecked()
    assert again.docks[REPORTS_DOCK] in again.tabifiedDockWidgets(again.board_docks()[0])
    assert isinstance(again.reports.pane, ReportsPane)
    again.reports.pane.wait(30_000)
    again.docks[REPORTS_DOCK].close()
    again.close()
    third = MainWindow(store, gui_settings, reports=ReportSources(stub))
    qtbot.addWidget(third)
    third.show()
    qtbot.waitExposed(third)
    qtbot.wait(50)  # past the first paint: nothing is reopened
    assert REPORTS_DOCK not in third.docks


def test_picker_labels_are_not_clipped(qtbot: QtBot, window: MainWindow) -> None:
    """Qt measures "&To" kerned but draws the underlined "T" apart from the "o"."""
    pane = opened(qtbot, window)
    pane.set_kind("cfd")
    labels = [w for w in pane.findChildren(QLabel) if w.buddy() is not None]
    assert {label.text() for label in labels} >= {"&From", "&To", "&By", "&Report"}
    for label in labels:
        metrics = label.fontMetrics()
        drawn = sum(metrics.horizontalAdvance(c) for c in label.text().replace("&", ""))
        assert label.width() >= drawn, label.text()


def test_the_date_range_never_runs_backwards(
    qtbot: QtBot, window: MainWindow, stub: StubReports
) -> None:
    pane = opened(qtbot, window)
    pane.set_kind("throughput")
    pane.end.setDate(QDate(2026, 6, 30))
    pane.start.setDate(QDate(2026, 7, 15))
    assert pane.end.date() == QDate(2026, 7, 15)
    pane.end.setDate(QDate(2026, 7, 1))
    assert pane.start.date() == QDate(2026, 7, 1)
    qtbot.waitUntil(lambda: stub.calls[-1][1]["from"] == dt.date(2026, 7, 1))
    assert stub.calls[-1][1]["to"] == dt.date(2026, 7, 1)


def test_closing_the_window_lets_a_running_report_finish_first(
    qtbot: QtBot, window: MainWindow, stub: StubReports
) -> None:
    pane = opened(qtbot, window)
    stub.gate = threading.Event()
    pane.refresh()
    qtbot.waitUntil(lambda: len(stub.calls) == 2)
    threading.Timer(0.2, stub.gate.set).start()
    window.close()  # returns once the worker is done with the database
    assert pane.wait(0)  # already idle: nothing reads while the database closes
