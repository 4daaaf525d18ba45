"""What a card paints: the issue key always whole, however long the due chip beside it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QPointF, QRect
from PySide6.QtGui import QFontMetricsF, QImage, QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QListView, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import Issue, NewIssue
from tracker_gui.services import Services
from tracker_gui.ui.board.card_delegate import CardDelegate
from tracker_gui.ui.board.column_model import DoneRole, IssueRole
from tracker_gui.ui.widgets.card_style import COMFORTABLE, COMPACT, Density


class RecordingPainter(QPainter):
    """Paints as usual and notes each text drawn: (baseline, left, right, text)."""

    def __init__(self, image: QImage) -> None:
        super().__init__(image)
        self.texts: list[tuple[float, float, float, str]] = []

    def drawText(self, *args: Any) -> None:  # type: ignore[override]
        text = args[-1]
        if isinstance(args[0], QPointF) and isinstance(text, str):
            left = args[0].x()
            right = left + QFontMetricsF(self.font()).horizontalAdvance(text)
            self.texts.append((args[0].y(), left, right, text))
        super().drawText(*args)


def painted(delegate: CardDelegate, issue: Issue) -> list[tuple[float, float, float, str]]:
    view = QListView()
    model = QStandardItemModel()
    item = QStandardItem()
    item.setData(issue, IssueRole)
    item.setData(False, DoneRole)
    model.appendRow(item)
    view.setModel(model)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    size = delegate.sizeHint(option, model.index(0, 0))
    option.rect = QRect(0, 0, size.width(), size.height())
    image = QImage(size, QImage.Format.Format_ARGB32)
    painter = RecordingPainter(image)
    delegate.paint(painter, option, model.index(0, 0))
    painter.end()
    return painter.texts


@pytest.mark.parametrize("density", [COMFORTABLE, COMPACT], ids=lambda d: d.name)
def test_a_long_key_is_never_shortened_by_a_long_due_chip(
    qtbot: QtBot, gui_services: Services, density: Density
) -> None:
    gui_services.projects.ensure_project("PLATFORMXY", "Platform")
    made = gui_services.issues.create(NewIssue("PLATFORMXY", "Crash when saving a long title"))
    today = dt.date.today()
    issue = dataclasses.replace(made, number=123456, due=today - dt.timedelta(days=500))
    delegate = CardDelegate()
    delegate.set_density(density)
    texts = painted(delegate, issue)
    keys = [t for t in texts if t[3] == "PLATFORMXY-123456"]
    assert len(keys) == 1, texts  # drawn whole, not "PLATFORMXY-12…"
    baseline, _left, key_right, _key = keys[0]
    beside = [t for t in texts if t[0] == baseline and t is not keys[0]]
    if density is COMFORTABLE:
        assert beside, texts  # the due date still shows, shortened if need be
    for _y, left, _right, text in beside:
        assert left > key_right, f"{text!r} overlaps the key"
