"""Widgets and words the import and export dialogs share: progress, problems, counts, notes."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from tracker_gui.interchange import ImportReport
from tracker_gui.ui import icons, theme
from tracker_gui.ui.widgets import style

SeverityRole = Qt.ItemDataRole.UserRole + 1  # "error" | "warning" | "more" on a problem row
WhereRole = Qt.ItemDataRole.UserRole + 2  # where the problem is ("row 3, column 'Due'")
MessageRole = Qt.ItemDataRole.UserRole + 3  # what is wrong there
COUNT_ORDER = ("issues", "subtasks", "comments", "labels", "links", "attachments", "watchers",
               "users", "statuses", "projects", "history rows")  # fmt: skip
SINGULAR = {"statuses": "status", "history rows": "history row", "watchers": "watcher"}
TONES = {"error": "danger", "warning": "warning", "more": "muted_text"}
PROGRESS_STYLE = """
QProgressBar#TaskBar {{
    background: {separator}; border: none; border-radius: 3px; min-height: 6px; max-height: 6px;
}}
QProgressBar#TaskBar::chunk {{ background: {accent}; border-radius: 3px; }}
"""


class TaskProgress(QObject):
    """A modal progress dialog with Cancel, driven by the engine's progress(done, total)."""

    ticked = Signal(int, int)  # after the dialog showed a tick (tests cancel from here)

    STEPS = 1000

    def __init__(
        self, parent: QWidget, title: str, verb: str, *, path: Path | None = None, delay_ms: int = 0
    ) -> None:
        super().__init__(parent)
        self._verb = verb
        self._name = path.name if path is not None else ""
        self._size = path.stat().st_size if path is not None and path.is_file() else -1
        dialog = QProgressDialog(parent)
        dialog.setObjectName("TaskProgress")
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        style.install_style(dialog, PROGRESS_STYLE)
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setContentsMargins(4, 10, 4, 4)
        dialog.setLabel(self.label)
        bar = QProgressBar()
        bar.setObjectName("TaskBar")
        bar.setTextVisible(False)
        dialog.setBar(bar)
        self.cancel_button = QPushButton("Cancel")
        dialog.setCancelButton(self.cancel_button)
        dialog.setRange(0, self.STEPS)
        dialog.setMinimumWidth(460)
        dialog.setMinimumDuration(delay_ms)
        self.dialog = dialog
        self._show_text("starting…")
        if delay_ms == 0:
            dialog.show()
        dialog.setValue(0)

    def _show_text(self, detail: str) -> None:
        muted = theme.colour("muted_text").name()
        self.label.setText(
            f"<div style='font-weight:600'>{html.escape(self._verb)}</div>"
            f"<div style='color:{muted}'>{html.escape(detail)}</div>"
        )

    def progress(self, done: int, total: int) -> None:
        value = self.STEPS if total <= 0 else min(self.STEPS, done * self.STEPS // total)
        percent = f"{value // 10}%"
        if total == self._size:
            detail = f"reading {self._name} · {percent}"
        elif self._verb.endswith("issues"):
            detail = f"{done:,} of {total:,} · {percent}"
        else:
            detail = percent
        self._show_text(detail)
        self.dialog.setValue(value)
        QApplication.processEvents()
        self.ticked.emit(done, total)

    def cancelled(self) -> bool:
        QApplication.processEvents()  # so a click on Cancel gets through
        return self.dialog.wasCanceled()

    def close(self) -> None:
        self.dialog.hide()
        self.dialog.deleteLater()
        self.deleteLater()


class ProblemDelegate(QStyledItemDelegate):
    """A problem row: severity icon, where it is (in the severity's colour) over the message."""

    PAD, ICON, GAP = 8, 16, 10

    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self._view = view

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        strong = QFont(option.font)
        strong.setWeight(QFont.Weight.DemiBold)
        return strong, QFont(option.font)

    def _text_width(self) -> int:
        return max(120, self._view.viewport().width() - 2 * self.PAD - self.ICON - self.GAP)

    def _blocks(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> tuple[QRect, QRect]:
        strong, plain = self._fonts(option)
        width, wrap = self._text_width(), int(Qt.TextFlag.TextWordWrap)
        where = QFontMetrics(strong).boundingRect(
            QRect(0, 0, width, 10_000), wrap, str(index.data(WhereRole) or "")
        )
        message = str(index.data(MessageRole) or "")
        body = QFontMetrics(plain).boundingRect(QRect(0, 0, width, 10_000), wrap, message)
        return where, body if message else QRect()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        where, body = self._blocks(option, index)
        height = where.height() + (body.height() + 2 if body.isValid() else 0)
        return QSize(self._view.viewport().width(), height + 2 * self.PAD)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rect: QRect = option.rect
        severity = str(index.data(SeverityRole))
        tone = theme.colour(TONES.get(severity, "muted_text"))
        strong, plain = self._fonts(option)
        where, body = self._blocks(option, index)
        painter.save()
        if index.row() > 0:
            painter.setPen(theme.colour("separator"))
            painter.drawLine(
                rect.left() + self.PAD, rect.top(), rect.right() - self.PAD, rect.top()
            )
        left = rect.left() + self.PAD
        if severity in ("error", "warning"):
            icon = icons.icon("warning", TONES[severity])
            icon.paint(painter, QRect(left, rect.top() + self.PAD + 1, self.ICON, self.ICON))
        x = left + self.ICON + self.GAP
        wrap = int(Qt.TextFlag.TextWordWrap)
        painter.setFont(strong)
        painter.setPen(tone)
        top = rect.top() + self.PAD
        painter.drawText(QRect(x, top, self._text_width(), where.height()), wrap,
                         str(index.data(WhereRole) or ""))  # fmt: skip
        if body.isValid():
            painter.setFont(plain)
            painter.setPen(theme.colour("text"))
            box = QRect(x, top + where.height() + 2, self._text_width(), body.height())
            painter.drawText(box, wrap, str(index.data(MessageRole) or ""))
        painter.restore()


def size_text(path: Path) -> str:
    """A file's size as people read it ("12.5 KB"); "unreadable" when it cannot be read."""
    try:
        size = path.stat().st_size
    except OSError:
        return "unreadable"
    if size < 1024:
        return f"{size:,} bytes"
    scaled = size / 1024
    for unit in ("KB", "MB"):
        if scaled < 1024:
            return f"{scaled:,.1f} {unit}"
        scaled /= 1024
    return f"{scaled:,.1f} GB"


def counted(report: ImportReport) -> list[tuple[str, int]]:
    """(what, how many) of a report, the things people count first first."""
    rank = {name: n for n, name in enumerate(COUNT_ORDER)}
    found = [(what, n) for what, n in report.created.items() if n]
    return sorted(found, key=lambda pair: (rank.get(pair[0], len(rank)), pair[0]))


def plural(n: int, what: str) -> str:
    word = what if n != 1 else SINGULAR.get(what, what.removesuffix("s"))
    return f"{n:,} {word}"


def summary(report: ImportReport) -> str:
    """One line on what an import did: "Imported 13 issues into WR"."""
    issues = plural(report.created.get("issues", 0) + report.created.get("subtasks", 0), "issues")
    verb = "Imported" if report.committed else "Would import"
    return f"{verb} {issues} into {report.project}" if report.project else f"{verb} {issues}"


def backup_keys_note(report: ImportReport, renaming: bool) -> str:
    """What a backup's import does with project keys: taken ones, new ones, the empty default."""
    clashes: dict[str, str] = getattr(report, "clashes", {})
    replaced: str | None = getattr(report, "replaced", None)
    pairs = ", ".join(f"{old} → {new}" for old, new in clashes.items())
    if clashes and renaming:
        if report.committed:
            return f"Imported under new keys: {pairs}."
        return f"The backup's projects get new keys here: {pairs}."
    if clashes:
        return f"Some of the backup's project keys are taken here ({pairs})."
    if replaced and report.ok:
        return f"The empty project {replaced}, made with this database, makes way for the backup."
    return ""


def create_statuses_text(missing: list[str]) -> str:
    """The check box that lets an import add statuses, naming them once the check found them."""
    if not missing:
        return "Create the statuses the project lacks"
    shown = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
    return f"Create the missing status{'es' if len(missing) != 1 else ''} ({shown})"


def jira_renumbered_note(report: ImportReport) -> str:
    """After a Jira import: whether its keys were kept, else the first few renumberings."""
    moved = [(old, new) for old, new in report.key_map.items() if old != new]
    if not moved:
        return "Jira's keys were kept."
    shown = ", ".join(f"{a} → {b}" for a, b in moved[:3])
    more = f" and {len(moved) - 3:,} more" if len(moved) > 3 else ""
    return f"Renumbered: {shown}{more}. Each description ends with its Jira key."


@dataclass(frozen=True)
class ImportOptions:
    """What the importer is told besides the file: target key, CSV mapping and encoding."""

    project: str | None = None
    mapping: dict[str, str] | None = None
    encoding: str | None = None
    create_statuses: bool = False
    rename_projects: bool = False  # JSON: a project whose key is taken here gets a free one

    def kwargs(self, kind: str) -> dict[str, Any]:
        if kind == "json":
            return {"rename_projects": self.rename_projects}
        out: dict[str, Any] = {"project": self.project, "create_statuses": self.create_statuses}
        if kind in ("csv", "jira") and self.encoding:
            out["encoding"] = self.encoding
        if kind == "csv":
            out["mapping"] = self.mapping
        return out
