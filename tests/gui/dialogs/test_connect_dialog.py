"""File > Connect to Shared Database against a real password-checking server."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import postgres_bindir
from tests.support.fake_keyring import MemoryKeyring, memory_keyring
from tests.support.pgtcp import TcpCluster, cluster_with_owner
from tracker_gui import app as app_mod
from tracker_gui import credentials
from tracker_gui.app import Session, open_shared
from tracker_gui.services import open_services
from tracker_gui.ui.dialogs.connect import ConnectDialog
from tracker_gui.ui.settings import Settings

pytestmark = pytest.mark.postgres
PASSWORD = "erin:p@ss/word"


@pytest.fixture(scope="module")
def tcp() -> Iterator[TcpCluster]:
    postgres_bindir()
    with cluster_with_owner("erin", PASSWORD, "shared") as cluster:
        yield cluster


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    with memory_keyring() as backend:
        yield backend


def fill(dialog: ConnectDialog, tcp: TcpCluster, password: str) -> None:
    dialog.host_edit.setText("127.0.0.1")
    dialog.port_spin.setValue(tcp.port_number)
    dialog.db_edit.setText("shared")
    dialog.user_edit.setText("erin")
    dialog.password_edit.setText(password)


def test_wrong_then_right_password_remembered_in_the_keychain_only(
    qtbot: QtBot,
    tcp: TcpCluster,
    ring: MemoryKeyring,
    gui_settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    dialog = ConnectDialog(gui_settings, open_shared)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.ssl_box.currentText() == "prefer"
    assert not dialog.ca_widget.isVisibleTo(dialog)
    fill(dialog, tcp, "Wr0ngPass!")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.error_title.isVisible()
    assert dialog.error_title.text().startswith("Wrong password for erin@127.0.0.1")
    assert dialog.focusWidget() is dialog.password_edit
    # Compared rather than `is None`, which mypy would keep after the click below sets it.
    assert (dialog.services, ring.entries) == (None, {})
    dialog.grab().save("/tmp/connect-wrong-password.png")

    dialog.password_edit.setText(PASSWORD)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == ConnectDialog.DialogCode.Accepted
    assert dialog.services is not None
    try:
        assert dialog.services.actor == "erin"
        assert PASSWORD not in dialog.services.database.target
    finally:
        dialog.services.close()
    key = f"erin@127.0.0.1:{tcp.port_number}/shared"
    assert ring.entries == {("tracker-gui", key): PASSWORD}
    gui_settings.sync()
    ini = next((tmp_path / "config").glob("*.ini")).read_text()
    assert "erin" in ini and "127.0.0.1" in ini
    assert PASSWORD not in ini and "p@ss" not in ini and "p%40ss" not in ini

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert PASSWORD not in logged and "Wr0ngPass!" not in logged

    # Next time: the recent connection is picked, the keychain supplies the password.
    credentials._session_passwords.clear()
    again = ConnectDialog(gui_settings, open_shared)
    qtbot.addWidget(again)
    assert again.user_edit.text() == "erin"
    assert again.password_edit.text() == ""
    assert again.password_edit.placeholderText() == "stored in the keychain"
    assert again.try_connect()
    assert again.services is not None
    again.services.close()


def test_verify_full_asks_for_a_ca_file(qtbot: QtBot, gui_settings: Settings) -> None:
    dialog = ConnectDialog(gui_settings, open_shared)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ssl_box.setCurrentText("verify-full")
    assert dialog.ca_widget.isVisible()
    dialog.host_edit.setText("db.example.org")
    dialog.db_edit.setText("t")
    dialog.user_edit.setText("u")
    assert not dialog.try_connect()
    assert dialog.error_title.text() == "Choose the CA file"
    dialog.grab().save("/tmp/connect-verify-full.png")


def test_connecting_swaps_the_window_and_switching_back_returns_to_the_file(
    qtbot: QtBot,
    tcp: TcpCluster,
    ring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    tracker_home: Path,
) -> None:
    local = open_services(str(tracker_home / "data" / "tracker.db"), create=True, actor="erin")
    local.projects.ensure_project("LOC", "Local")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    session = Session(app)
    session.start(local)
    first = session.window
    assert first is not None
    qtbot.addWidget(first)

    def enter_and_connect(self: ConnectDialog) -> int:
        fill(self, tcp, PASSWORD)
        self.remember_box.setChecked(False)
        return int(self.try_connect())

    monkeypatch.setattr(app_mod.ConnectDialog, "exec", enter_and_connect)
    action = first.findChild(type(first.actions_.open_database), "ConnectSharedAction")
    assert action is not None
    action.trigger()
    shared = session.window
    assert shared is not None and shared is not first
    qtbot.addWidget(shared)
    assert "erin@127.0.0.1/shared" in shared.windowTitle()
    # The window works on the team database's offline copy, synced with the server.
    assert session.engine is not None and session.engine.has_replica()
    assert session.services is not None and session.services.database.is_sqlite
    assert "erin@127.0.0.1/shared (offline copy)" in session.services.database.label
    assert shared.sync_ui is not None
    assert local.database.peewee.is_closed()
    assert ring.entries == {}  # not remembered: this session only

    def switch_back(self: ConnectDialog) -> int:
        assert self.local_button.isVisible() or self.local_button.isVisibleTo(self)
        self.local_button.click()
        return 1

    monkeypatch.setattr(app_mod.ConnectDialog, "exec", switch_back)
    connect_action = shared.findChild(type(shared.actions_.open_database), "ConnectSharedAction")
    assert connect_action is not None
    connect_action.trigger()
    assert session.window is not shared
    local_again = session.services  # a fresh name: mypy would keep the "not SQLite" asserted above
    assert local_again is not None and local_again.database.is_sqlite
    assert session.store is not None and [p.key for p in session.store.projects()] == ["LOC"]
    qtbot.addWidget(session.window)
    session.close()


def test_the_keychain_password_opens_a_url_without_asking(
    tcp: TcpCluster, ring: MemoryKeyring
) -> None:
    url = f"postgresql://erin@127.0.0.1:{tcp.port_number}/shared"
    key = f"erin@127.0.0.1:{tcp.port_number}/shared"
    ring.entries[("tracker-gui", key)] = PASSWORD
    services = app_mod.open_target(url)
    assert services is not None
    try:
        assert services.actor == "erin"
    finally:
        services.close()


def test_starting_on_a_url_with_no_password_asks_for_it_prefilled(
    tcp: TcpCluster, ring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"postgresql://erin@127.0.0.1:{tcp.port_number}/shared?sslmode=prefer"
    shown: list[tuple[str, str, int, str]] = []

    def type_password(self: ConnectDialog) -> int:
        shown.append(
            (
                self.host_edit.text(),
                self.user_edit.text(),
                self.port_spin.value(),
                self.db_edit.text(),
            )
        )
        self.password_edit.setText(PASSWORD)
        return int(self.try_connect())

    monkeypatch.setattr(app_mod.ConnectDialog, "exec", type_password)
    services = app_mod.open_target(url)
    assert shown == [("127.0.0.1", "erin", tcp.port_number, "shared")]
    assert services is not None
    try:
        assert services.actor == "erin"
    finally:
        services.close()
