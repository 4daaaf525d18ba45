"""The Backlog pane on a secured shared database: the server decides who plans and who runs
sprints, and the pane shows that (a member plans; only an admin adds, starts and closes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from tests.gui.panes.test_backlog_pane import dragged_from, drop_on
from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.domain.sprints import SprintState
from tracker_gui.ui.panes.backlog_pane import BacklogPane
from tracker_gui.ui.store import Store

MON = dt.date(2026, 12, 7)


@pytest.fixture
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster, prefix="gui_")
    adm = db.services("adm")
    adm.issues.create(NewIssue("TRK", "Plan the launch"))
    adm.issues.create(NewIssue("TRK", "Write the notes"))
    adm.sprints.add("TRK", "Sprint 1", MON, MON + dt.timedelta(days=13))
    db.close()
    yield db
    drop(db)


def open_pane(qtbot: QtBot, secured: Secured, who: str) -> tuple[Store, BacklogPane]:
    store = Store(secured.services(who))
    pane = BacklogPane(store)
    qtbot.addWidget(pane)
    pane.resize(520, 700)
    pane.show()
    qtbot.waitExposed(pane)
    pane.reload()
    return store, pane


def test_a_member_plans_by_drag_but_cannot_run_sprints(qtbot: QtBot, secured: Secured) -> None:
    store, pane = open_pane(qtbot, secured, "mem")
    section = pane.section("Sprint 1")
    assert section.button.isHidden() and not pane.new_button.isEnabled()
    assert drop_on(section.list, dragged_from(pane.backlog, 0))
    qtbot.waitUntil(lambda: pane.section("Sprint 1").list.count() == 1)
    adm = secured.services("adm")
    planned = adm.sprints.names_of([i.id for i in adm.issues.search(IssueFilter())])
    assert sorted(planned.values(), key=str) == [None, "Sprint 1"]
    assert not pane.start_sprint("Sprint 1")  # the service refuses, in its own words
    assert pane.error_label.text().startswith("Starting a sprint in TRK: not allowed for ")
    assert adm.sprints.find("TRK", "Sprint 1").state is SprintState.PLANNED
    store.close()


def test_an_admin_starts_the_sprint_from_the_pane(qtbot: QtBot, secured: Secured) -> None:
    store, pane = open_pane(qtbot, secured, "adm")
    assert not pane.section("Sprint 1").button.isHidden()
    pane.section("Sprint 1").button.click()
    adm = secured.services("adm")
    assert adm.sprints.find("TRK", "Sprint 1").state is SprintState.ACTIVE
    store.close()


def test_a_sprint_the_admin_adds_reaches_a_members_pane_live(
    qtbot: QtBot, secured: Secured
) -> None:
    """The add's history row is the server's trigger's; the member's feed carries it."""
    store, pane = open_pane(qtbot, secured, "mem")
    assert [s.name for s in pane.sprints()] == ["Sprint 1"]
    store.poll()  # caught up
    secured.services("adm").sprints.add(
        "TRK", "Sprint 2", MON + dt.timedelta(days=14), MON + dt.timedelta(days=27)
    )

    def arrived() -> bool:
        store.poll()  # what the window's timer does (LISTEN may not have fired yet)
        return [s.name for s in pane.sprints()] == ["Sprint 1", "Sprint 2"]

    qtbot.waitUntil(arrived)
    store.close()
