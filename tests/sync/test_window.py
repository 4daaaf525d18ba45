"""The window on a team database works on its offline copy: opened through the app's Session.

A member opens the shared database as the app does (Session.start with the server's services):
the first open makes the offline copy, and the window then reads and writes the copy, shows
the sync state and pushes what was changed; with the server stopped, a change is kept and
queued, and it reaches the server after the restart.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.support.attacks import PASSWORD
from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured
from tests.sync.helpers import tcp_url
from tracker_gui.app import Session
from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.services import connect
from tracker_gui.services.sync import SyncService
from tracker_gui.storage.database import open_database
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.store import Store
from tracker_gui.ui.sync_setup import SyncUi

pytestmark = pytest.mark.postgres


@pytest.fixture
def session(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Session]:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    made = Session(qapp)
    yield made
    made.close()
    if made.window is not None:
        made.window.close()


def server_titles(secured: Secured) -> set[str]:
    services = connect(open_database(tcp_url(secured, "mem"), password=PASSWORD))
    try:
        return {i.title for i in services.issues.search(IssueFilter())}
    finally:
        services.close()


def opened(
    qtbot: QtBot, session: Session, secured: Secured
) -> tuple[MainWindow, Store, SyncService, SyncUi]:
    """A member's window opened on the team database as the app does, its first sync done."""
    server = connect(open_database(tcp_url(secured, "mem"), password=PASSWORD))
    session.start(server)
    window, store, engine = session.window, session.store, session.engine
    assert window is not None and store is not None and engine is not None
    qtbot.addWidget(window)
    ui = window.sync_ui
    assert ui is not None
    qtbot.waitUntil(lambda: not ui.controller.syncing, timeout=10_000)  # the opening sync
    return window, store, engine, ui


def test_the_window_opens_on_the_offline_copy_and_pushes_its_changes(
    qtbot: QtBot, session: Session, secured: Secured
) -> None:
    admin = secured.services("adm")
    admin.issues.create(NewIssue("TRK", "on the server before the copy"))
    server = connect(open_database(tcp_url(secured, "mem"), password=PASSWORD))
    session.start(server)
    window, store = session.window, session.store
    assert window is not None and store is not None and session.engine is not None
    qtbot.addWidget(window)
    assert store.services.database.is_sqlite  # the copy, not the server
    assert "(offline copy)" in store.services.database.label
    assert window.sync_ui is not None
    board = window.main_board()
    assert board is not None
    titles = {i.title for i in store.search(IssueFilter())}
    assert "on the server before the copy" in titles

    made = store.services.issues.create(NewIssue("TRK", "made in the window"))
    assert made.key.startswith("TRK-")
    qtbot.waitUntil(lambda: "made in the window" in server_titles(secured), timeout=20_000)
    status = session.engine.status()
    assert status.waiting == 0 and status.state == "synced"

    # A teammate's commit wakes the window's sync (LISTEN): it is on the board at once,
    # long before the timed sync (30 s).
    assert session.wake is not None
    qtbot.waitUntil(lambda: session.wake is not None and session.wake.listening, timeout=10_000)
    admin.issues.create(NewIssue("TRK", "from a teammate"))

    def on_board() -> bool:
        cells = board.cells()
        return any(
            "from a teammate" in str(model.index(row, 0).data())
            for _status, _lane, model, _view in cells
            for row in range(model.rowCount())
        )

    qtbot.waitUntil(on_board, timeout=10_000)


def test_with_the_server_stopped_a_change_waits_and_goes_out_after_the_restart(
    qtbot: QtBot, session: Session, secured: Secured, pg_tcp_cluster: TcpCluster
) -> None:
    _window, store, engine, ui = opened(qtbot, session, secured)
    pg_tcp_cluster.halt()
    try:
        made = store.services.issues.create(NewIssue("TRK", "written on the train"))
        assert "-~" in made.key  # a provisional key until the server numbers it
        assert ui.controller.sync_now()
        qtbot.waitUntil(lambda: engine.status().state == "offline", timeout=20_000)
        label = ui.status.state_label.text()
        qtbot.waitUntil(lambda: "1 change waiting" in ui.status.state_label.text(),
                        timeout=10_000)  # fmt: skip
        assert "Offline" in ui.status.state_label.text(), label
    finally:
        pg_tcp_cluster.resume()
    qtbot.waitUntil(ui.controller.sync_now, timeout=10_000)
    qtbot.waitUntil(lambda: "written on the train" in server_titles(secured), timeout=20_000)
    qtbot.waitUntil(lambda: engine.status().waiting == 0, timeout=20_000)


def test_a_conflict_shows_in_the_pane_and_keep_mine_reaches_the_server(
    qtbot: QtBot, session: Session, secured: Secured, pg_tcp_cluster: TcpCluster
) -> None:
    admin = secured.services("adm")
    shared = admin.issues.create(NewIssue("TRK", "Crash on start"))
    _window, store, _engine, ui = opened(qtbot, session, secured)
    mine = next(i for i in store.search(IssueFilter()) if i.title == "Crash on start")
    pg_tcp_cluster.halt()
    try:
        store.services.issues.edit(mine.id, mine.version, {"title": "Crash on start (Wayland)"})
    finally:
        pg_tcp_cluster.resume()
    # Meanwhile a teammate renamed it on the server: the push must not overwrite that.
    admin = secured.services("adm")  # the stop cut the old connection
    admin.issues.edit(shared.id, shared.version, {"title": "Crash on start, see log"})
    qtbot.waitUntil(ui.controller.sync_now, timeout=10_000)
    qtbot.waitUntil(lambda: ui.pane.model.rowCount() == 1, timeout=20_000)
    assert "1 conflict" in ui.status.entries_button.text()
    entry = ui.controller.entries[0]
    assert (entry.field, entry.mine, entry.theirs) == (
        "title", "Crash on start (Wayland)", "Crash on start, see log"
    )  # fmt: skip
    assert server_titles(secured) >= {"Crash on start, see log"}

    ui.show_pane()
    ui.pane.table.selectRow(0)
    qtbot.mouseClick(ui.pane.keep_mine, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Crash on start (Wayland)" in server_titles(secured), timeout=20_000)
    qtbot.waitUntil(lambda: ui.pane.model.rowCount() == 0, timeout=20_000)


def test_a_teammates_move_pulled_into_the_copy_notifies_once(
    qtbot: QtBot, session: Session, secured: Secured, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.notify_recorder import RecordingBackend
    from tracker_gui.notify.notifier import Notifier
    from tracker_gui.ui import live_setup

    recorder = RecordingBackend()
    monkeypatch.setattr(live_setup, "desktop_notifier", lambda: Notifier(recorder))
    admin = secured.services("adm")
    mine = admin.issues.create(NewIssue("TRK", "Fix the login", assignee=secured.logins["mem"]))
    server = connect(open_database(tcp_url(secured, "mem"), password=PASSWORD))
    session.start(server)
    window = session.window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: session.live is not None, timeout=10_000)
    qtbot.waitUntil(lambda: session.wake is not None and session.wake.listening, timeout=10_000)
    done = next(s for s in admin.projects.statuses(mine.project_id) if s.name == "Done")
    admin.issues.move(mine.id, mine.version, done.id)  # a teammate, from another process
    qtbot.waitUntil(lambda: len(recorder.sent) >= 1, timeout=15_000)
    assert [n.summary for n in recorder.sent] == [f"{mine.key} moved to Done"]
    qtbot.wait(1500)  # the next syncs re-read nothing new: still one notification
    assert len(recorder.sent) == 1


def test_different_fields_edited_apart_are_both_kept_and_an_offline_issue_gets_its_key(
    qtbot: QtBot, session: Session, secured: Secured, pg_tcp_cluster: TcpCluster
) -> None:
    admin = secured.services("adm")
    shared = admin.issues.create(NewIssue("TRK", "Login crash"))
    other = admin.issues.create(NewIssue("TRK", "Logout crash"))
    _window, store, engine, ui = opened(qtbot, session, secured)
    mine = next(i for i in store.search(IssueFilter()) if i.title == "Login crash")
    pg_tcp_cluster.halt()
    try:
        local = store.services.issues
        local.edit(mine.id, mine.version, {"title": "Login crash on Wayland"})
        made = local.create(NewIssue("TRK", "Crash report dialog"))
        assert "-~" in made.key
        local.link(made.id, LinkKind.RELATES, other.key)
        local.comment(made.id, f"Split from {made.key}")
    finally:
        pg_tcp_cluster.resume()
    admin = secured.services("adm")  # the stop cut the old connection
    admin.issues.edit(shared.id, shared.version, {"priority": "high"})
    qtbot.waitUntil(ui.controller.sync_now, timeout=10_000)
    qtbot.waitUntil(lambda: engine.status().waiting == 0 and not ui.controller.syncing,
                    timeout=20_000)  # fmt: skip
    on_server = admin.issues.get(shared.id)
    assert (on_server.title, on_server.priority.label) == ("Login crash on Wayland", "high")
    assert ui.pane.model.rowCount() == 0  # different fields: no conflict
    numbered = next(
        i for i in admin.issues.search(IssueFilter()) if i.title == "Crash report dialog"
    )
    assert "-~" not in numbered.key
    detail = admin.issues.detail(numbered.id)
    assert [c.body for c in detail.comments] == [f"Split from {numbered.key}"]
    assert [link.other_key for link in detail.links] == [other.key]
    # The copy shows the real key on the board, and the provisional one still finds it.
    qtbot.waitUntil(lambda: any(i.key == numbered.key for i in store.search(IssueFilter())),
                    timeout=10_000)  # fmt: skip
    assert store.services.issues.by_key(made.key).key == numbered.key


def test_with_the_server_out_of_reach_the_app_opens_the_copy_and_syncs_when_it_is_back(
    qtbot: QtBot,
    session: Session,
    secured: Secured,
    pg_tcp_cluster: TcpCluster,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tracker_gui import app

    secured.services("adm").issues.create(NewIssue("TRK", "made before the train"))
    _window, _store, _engine, _ui = opened(qtbot, session, secured)  # the copy exists
    session.close()
    monkeypatch.setenv("PGPASSWORD", PASSWORD)  # what a later sync logs in with
    pg_tcp_cluster.halt()
    try:
        services = app.open_target(tcp_url(secured, "mem"))  # as the app starts on a URL
        assert services is not None and services.database.is_sqlite
        again = Session(session.app)
        again.start(services)
        window, store = again.window, again.store
        assert window is not None and store is not None and again.engine is not None
        qtbot.addWidget(window)
        ui = window.sync_ui
        assert ui is not None
        assert "made before the train" in {i.title for i in store.search(IssueFilter())}
        store.services.issues.create(NewIssue("TRK", "written while away"))
        qtbot.waitUntil(lambda: "1 change waiting" in ui.status.state_label.text(),
                        timeout=20_000)  # fmt: skip
    finally:
        pg_tcp_cluster.resume()
    try:
        qtbot.waitUntil(ui.controller.sync_now, timeout=10_000)
        qtbot.waitUntil(lambda: "written while away" in server_titles(secured), timeout=20_000)
    finally:
        again.close()
