"""The Reports pane: pick a report and its scope, see the chart, export its numbers or picture.

Loaded only when the pane is first opened (View > Reports): neither this module nor the chart
code is imported at start. Reports are computed by the injected `compute(kind, options)` on a
worker thread (ui/report_job.py); `options` holds the keys of OPTION_KEYS, None where unused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.services import report_text
from tracker_gui.services.report_types import KINDS, Report
from tracker_gui.ui import theme
from tracker_gui.ui.charts import export
from tracker_gui.ui.charts.widget import ChartWidget
from tracker_gui.ui.ops.core import file_message
from tracker_gui.ui.report_job import Compute, Options, ReportJob
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets.flow_layout import FlowBox

OPTION_KEYS = ("project", "sprint", "from", "to", "by")
KIND_NAMES = {
    "burndown": "Sprint burndown",
    "cfd": "Cumulative flow",
    "cycle-time": "Cycle and lead time",
    "throughput": "Throughput",
    "created-resolved": "Created vs resolved",
    "velocity": "Velocity",
    "time": "Time logged",
}
# What "By" offers per kind (value sent, words shown); kinds not listed have no choice.
BY_CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "burndown": (("issues", "Issues"), ("estimate", "Estimate")),
    "cfd": (("category", "Status category"), ("status", "Status")),
    "cycle-time": (("cycle", "Cycle time"), ("lead", "Lead time")),
    "time": (("person", "Person"), ("issue", "Issue")),
}
RANGE_KINDS = ("cfd", "cycle-time", "throughput", "created-resolved", "time")
SPRINT_KINDS = ("burndown", "velocity")
DEFAULT_DAYS = 90
SETTLE_MS = 150  # controls changed in a burst ask for one report, not one per click
PICTURES = {"png": "PNG image (*.png)", "svg": "SVG image (*.svg)", "csv": "CSV file (*.csv)"}
AskPath = Callable[[str, str, str], str]  # (caption, suggested path, filter) -> path or ""
Sprints = Callable[[str], Sequence[str]]  # project key -> sprint names, newest first


def _ask_save_path(parent: QWidget) -> AskPath:
    def ask(caption: str, suggested: str, filters: str) -> str:
        return QFileDialog.getSaveFileName(parent, caption, suggested, filters)[0]

    return ask


class ReportsPane(QWidget):
    """Report picker, project, sprint, dates and "by" above the chart; CSV/PNG/SVG below."""

    exported = Signal(str)  # "Wrote …" for the status bar

    def __init__(
        self,
        store: Store,
        compute: Compute,
        parent: QWidget | None = None,
        *,
        sprints: Sprints | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ReportsPane")
        self._store = store
        self._sprints = sprints
        self._job = ReportJob(compute, self)
        self._job.started.connect(self._on_job_started)
        self._job.finished.connect(self._on_job_finished)
        self._job.failed.connect(self._on_job_failed)
        self.ask_save_path: AskPath = _ask_save_path(self)
        self._folder = ""
        self._build(today())
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.refresh)
        store.projectsChanged.connect(self._on_store_projects_changed)
        self._fill_projects()
        self._on_kind_changed()

    # -- building ------------------------------------------------------------------------
    def _build(self, today: dt.date) -> None:
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(KIND_NAMES[kind], kind)
        self.project = QComboBox()
        self.sprint = QComboBox()
        self.sprint.setEditable(True)
        self.sprint.setMinimumContentsLength(10)
        line = self.sprint.lineEdit()
        if line is not None:
            line.setPlaceholderText("Active sprint")
        self.start = self._date_edit(today - dt.timedelta(days=DEFAULT_DAYS))
        self.end = self._date_edit(today)
        # A range never runs backwards: To follows From forward, From follows To back.
        self.start.dateChanged.connect(self._on_start_date_changed)
        self.end.dateChanged.connect(self._on_end_date_changed)
        self.by = QComboBox()
        for combo in (self.kind, self.project, self.by):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.busy = QProgressBar()
        self.busy.setObjectName("BusyIndicator")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedHeight(4)
        self.busy.setAccessibleName("Computing the report")
        self.busy.hide()
        self.chart = ChartWidget()
        self.message = QLabel()
        self.message.setObjectName("ReportMessage")
        self.message.setWordWrap(True)
        self.export_csv = QPushButton("Export CSV…")
        self.export_png = QPushButton("Export PNG…")
        self.export_svg = QPushButton("Export SVG…")
        for kind, button in self._export_buttons().items():
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, k=kind: self.export_to(k))

        # Pairs of label and control wrap onto a second row in a narrow dock, rather than
        # making the whole window wider.
        top = FlowBox(10)
        self._pairs: dict[str, QWidget] = {}
        for name, text, widget in (
            ("kind", "&Report", self.kind),
            ("project", "&Project", self.project),
            ("sprint", "&Sprint", self.sprint),
            ("from", "&From", self.start),
            ("to", "&To", self.end),
            ("by", "&By", self.by),
        ):
            pair = QWidget()
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(6)
            label = QLabel(text)
            label.setBuddy(widget)
            # Qt measures "&To" kerned but draws the underlined "T" apart: a little more room.
            label.setMinimumWidth(label.sizeHint().width() + 3)
            row.addWidget(label)
            row.addWidget(widget)
            top.add(pair)
            self._pairs[name] = pair
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        for button in self._export_buttons().values():
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(top)
        layout.addWidget(self.busy)
        layout.addWidget(self.chart, 1)
        layout.addLayout(bottom)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        for combo in (self.project, self.by):
            combo.currentIndexChanged.connect(self._on_control_changed)
        self.sprint.currentTextChanged.connect(self._on_control_changed)
        self.project.currentIndexChanged.connect(self._fill_sprints)

    def _date_edit(self, day: dt.date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.dateChanged.connect(self._on_control_changed)
        return edit

    def _export_buttons(self) -> dict[str, QPushButton]:
        return {"csv": self.export_csv, "png": self.export_png, "svg": self.export_svg}

    def _fill_projects(self) -> None:
        current = self.project.currentData()
        self.project.blockSignals(True)
        self.project.clear()
        for project in self._store.projects():
            self.project.addItem(f"{project.key} · {project.name}", project.key)
        index = self.project.findData(current)
        self.project.setCurrentIndex(max(index, 0))
        self.project.blockSignals(False)
        self._fill_sprints()

    def _fill_sprints(self) -> None:
        key = self.project.currentData()
        if self._sprints is None or not isinstance(key, str):
            return
        typed = self.sprint.currentText()
        self.sprint.blockSignals(True)
        self.sprint.clear()
        self.sprint.addItems(list(self._sprints(key)))
        self.sprint.setEditText(typed if self.sprint.findText(typed) >= 0 else "")
        self.sprint.blockSignals(False)

    # -- what is asked -------------------------------------------------------------------
    def set_project(self, key: str) -> None:
        index = self.project.findData(key)
        if index >= 0:
            self.project.setCurrentIndex(index)

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(KINDS.index(kind))

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def options(self) -> Options:
        """What `compute` is given: every key of OPTION_KEYS, None where the kind has no use."""
        kind = self.current_kind()
        sprint = self.sprint.currentText().strip()
        ranged = kind in RANGE_KINDS
        return {
            "project": self.project.currentData(),
            "sprint": (sprint or None) if kind in SPRINT_KINDS else None,
            "from": self.start.date().toPython() if ranged else None,
            "to": self.end.date().toPython() if ranged else None,
            "by": self.by.currentData() if kind in BY_CHOICES else None,
        }

    def refresh(self) -> None:
        """Compute the report now (on the worker); the chart keeps the last one meanwhile."""
        self._settle.stop()
        if self.project.currentData() is None:
            self._show(Report(self.current_kind(), "", "", (), "", empty_text="No project yet"))
            return
        self._job.request(self.current_kind(), self.options())

    def is_computing(self) -> bool:
        return self.busy.isVisible() or self._job.is_busy()

    def wait(self, msecs: int = -1) -> bool:
        return self._job.wait(msecs)

    def _on_kind_changed(self) -> None:
        kind = self.current_kind()
        self.by.blockSignals(True)
        self.by.clear()
        for value, words in BY_CHOICES.get(kind, ()):
            self.by.addItem(words, value)
        self.by.blockSignals(False)
        shown = {
            "sprint": kind in SPRINT_KINDS,
            "from": kind in RANGE_KINDS,
            "to": kind in RANGE_KINDS,
            "by": kind in BY_CHOICES,
        }
        for name, pair in self._pairs.items():
            pair.setVisible(shown.get(name, True))
        self._on_control_changed()

    def _on_control_changed(self) -> None:
        self._settle.start()

    def _on_start_date_changed(self, day: QDate) -> None:
        if self.end.date() < day:
            self.end.setDate(day)

    def _on_end_date_changed(self, day: QDate) -> None:
        if self.start.date() > day:
            self.start.setDate(day)

    def _on_store_projects_changed(self) -> None:
        self._fill_projects()

    # -- answers -------------------------------------------------------------------------
    def _on_job_started(self) -> None:
        self.busy.show()
        self.message.setText("Computing…")

    def _on_job_finished(self, report: Report) -> None:
        self.busy.hide()
        self.message.clear()
        self._show(report)

    def _on_job_failed(self, message: str) -> None:
        self.busy.hide()
        self.message.setText(message)
        self._show(None)

    def _show(self, report: Report | None) -> None:
        self.chart.set_report(report)
        drawn = report is not None and not report.empty_text
        self.export_png.setEnabled(drawn)
        self.export_svg.setEnabled(drawn)
        self.export_csv.setEnabled(report is not None and bool(report.columns))

    def report(self) -> Report | None:
        return self.chart.report()

    # -- export --------------------------------------------------------------------------
    def export_to(self, fmt: str) -> str:
        """Ask where, then write the shown report as CSV, PNG or SVG; returns the path or ""."""
        report = self.report()
        if report is None:
            return ""
        project = self.project.currentData() or "report"
        name = f"{report.kind}-{project}.{fmt}"
        suggested = str(Path(self._folder) / name) if self._folder else name
        path = self.ask_save_path(
            f"Export {KIND_NAMES.get(report.kind, 'report')}", suggested, PICTURES[fmt]
        )
        if not path:
            return ""
        try:
            if fmt == "csv":
                Path(path).write_text(report_text.as_csv(report), encoding="utf-8", newline="")
            else:
                export.write(report, path, fmt, "dark" if theme.is_dark() else "light")
        except OSError as exc:
            self.message.setText(f"Not exported: {file_message(path, exc)}")
            return ""
        self._folder = str(Path(path).parent)
        done = f"Wrote {path}"
        self.message.setText(done)
        self.exported.emit(done)
        return path
