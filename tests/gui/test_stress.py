"""5,000 changes from a second process while the board is open and the user drags cards.

No exception may escape (pytest-qt fails the test on one raised in a Qt callback), and at
the end every column of the board shows exactly the database's cards in rank order.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint
from pytestqt.qtbot import QtBot

from tests.gui.board.test_board_pane import card_point, drop_at
from tests.gui.board_data import (
    add_issues,
    mime_for,
    project_id,
    ranked_ids,
    statuses,
)
from tracker_gui.domain.models import IssueFilter
from tracker_gui.services import Services
from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.board.column_model import ColumnModel, IssueIdRole
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

WRITER = Path(__file__).with_name("_stress_writer.py")
ROOT = Path(__file__).resolve().parents[2]
CHANGES = 5000


def _all_ids(model: ColumnModel) -> list[int]:
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    return [model.index(r, 0).data(IssueIdRole) for r in range(model.rowCount())]


# About three minutes on a shared two-core machine: CI runs it in its `slow` step.
@pytest.mark.slow
def test_the_board_survives_5000_outside_changes_while_dragging(
    qtbot: QtBot,
    board_services: Services,
    board_store: Store,
    board_settings: Settings,
) -> None:
    add_issues(board_services, 12)
    add_issues(board_services, 12, status="In Progress")
    add_issues(board_services, 6, status="Done")
    board = BoardPane(board_store, project_id(board_services), board_settings)
    qtbot.addWidget(board)
    board.resize(1300, 900)
    board.show()
    qtbot.waitExposed(board)
    errors: list[str] = []
    board_store.errorOccurred.connect(errors.append)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), board_services.database.target, str(CHANGES), "5"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    rng = random.Random(11)
    drops = accepted = polls = 0
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        while proc.poll() is None:
            cells = [(s, m, v) for s, _, m, v in board.cells()]
            _, source, _ = rng.choice([c for c in cells if c[1].rowCount()])
            _, target, view = rng.choice(cells)
            row = rng.randrange(source.rowCount())
            mime = mime_for(source, [row])
            if target.rowCount():
                at = card_point(view, rng.randrange(target.rowCount()), upper=rng.random() < 0.5)
            else:
                at = QPoint(40, 40)
            drops += 1
            accepted += drop_at(view, mime, at).isAccepted()
            polls += board_store.poll() > 0
            qtbot.wait(5)
    finally:
        if proc.poll() is None:
            proc.kill()
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.startswith("done 5000"), out

    # Catch up with the last outside changes, then the board must equal the database.
    qtbot.waitUntil(lambda: board_store.poll() == 0 and board_store.poll() == 0)
    project = project_id(board_services)
    models = {s.id: m for s, _, m, _ in board.cells()}
    total = 0
    for status in statuses(board_services):
        stored = ranked_ids(board_services, status.id)
        assert _all_ids(models[status.id]) == stored, status.name
        assert board.column_header(status.id).count.text() == str(len(stored))
        total += len(stored)
    assert total == board_services.issues.count(IssueFilter(project_ids=(project,)))
    assert board.header.summary.text() == f"{total} issues"
    # Only conflicts with the other process may be reported, never a crash.
    assert all("someone else" in e or "changed while you were moving" in e for e in errors), errors
    elapsed = time.monotonic() - started
    print(
        f"\nstress: {CHANGES} outside changes, {drops} drops ({accepted} accepted), "
        f"{polls} polls with news, {len(errors)} conflicts shown, {elapsed:.1f} s"
    )
