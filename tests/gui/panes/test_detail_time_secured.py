"""The time section on a secured PostgreSQL database: the server names who logged, and a member
may remove only their own logs (an admin any), so the window offers remove only there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.panes.test_detail_time import rows, type_into
from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.services.worklogs import WorklogService
from tracker_gui.ui.panes.detail_pane import DetailPane
from tracker_gui.ui.panes.detail_time import _LogRow
from tracker_gui.ui.store import Store


@pytest.fixture
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster, prefix="tm_")
    adm = db.services("adm")
    issue = adm.issues.create(NewIssue("TRK", "Plan the launch", estimate=2.0))
    WorklogService.of(adm).log(issue.id, "1h", note="kick-off")
    db.close()
    yield db
    drop(db)


def open_pane(qtbot: QtBot, secured: Secured, who: str) -> tuple[DetailPane, Store, int]:
    store = Store(secured.services(who))
    pane = DetailPane(store)
    qtbot.addWidget(pane)
    pane.resize(460, 900)
    pane.show()
    qtbot.waitExposed(pane)
    (issue,) = store.search(IssueFilter())
    pane.show_issue(issue.id)
    return pane, store, issue.id


def removable(pane: DetailPane) -> list[bool]:
    out = []
    for row in pane.time._pool.rows:
        if isinstance(row, _LogRow) and not row.isHidden():
            out.append(not row.remove.isHidden())
    return out


def test_a_member_logs_as_themselves_and_may_remove_only_their_own(
    qtbot: QtBot, secured: Secured, tmp_path: Path
) -> None:
    pane, store, _ = open_pane(qtbot, secured, "mem")
    try:
        type_into(qtbot, pane.time.duration_edit, "30m", enter=True)
        assert pane.time.error_label.text() == ""
        assert [(r[0], r[2]) for r in rows(pane.time)] == [("tm_adm", "1h"), ("tm_mem", "30m")]
        assert removable(pane) == [False, True]
        assert pane.time.summary.text() == "Logged 1h30m · Remaining 30m · estimate 2h"
        mine = pane.time._pool.rows[1]
        assert isinstance(mine, _LogRow)
        qtbot.mouseClick(mine.remove, Qt.MouseButton.LeftButton)
        assert [(r[0], r[2]) for r in rows(pane.time)] == [("tm_adm", "1h")]
    finally:
        store.close()


def test_an_admin_may_remove_anyones_and_a_viewer_none(
    qtbot: QtBot, secured: Secured, tmp_path: Path
) -> None:
    pane, store, _ = open_pane(qtbot, secured, "vie")
    try:
        assert [(r[0], r[2], r[3]) for r in rows(pane.time)] == [("tm_adm", "1h", "kick-off")]
        assert removable(pane) == [False]
    finally:
        store.close()
    mem = secured.services("mem")
    (issue,) = mem.issues.search(IssueFilter())
    WorklogService.of(mem).log(issue.id, "15m")
    pane, store, _ = open_pane(qtbot, secured, "adm")
    try:
        assert [r[0] for r in rows(pane.time)] == ["tm_adm", "tm_mem"]
        assert removable(pane) == [True, True]
    finally:
        store.close()
