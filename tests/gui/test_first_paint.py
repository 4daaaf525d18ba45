"""Start-up work that can wait runs once, just after the window's first paint."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tracker_gui.services import open_services
from tracker_gui.ui.first_paint import after_first_paint
from tracker_gui.ui.live_feed import LOCAL, OFF


def test_runs_once_after_the_first_paint(qtbot: QtBot) -> None:
    widget = QLabel("hello")
    qtbot.addWidget(widget)
    order: list[str] = []

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                order.append("paint")
            return False

    paints = Paints()
    widget.installEventFilter(paints)
    after_first_paint(widget, lambda: order.append("action"))
    widget.show()
    qtbot.waitUntil(lambda: "action" in order)
    assert order[0] == "paint"  # never before the window is on screen
    widget.update()
    qtbot.waitUntil(lambda: order.count("paint") >= 2)
    qtbot.wait(50)
    assert order.count("action") == 1


def test_the_session_paints_before_it_wires_the_live_feed(
    qtbot: QtBot, qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker_gui.app import Session

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    services = open_services(str(tmp_path / "one.db"), create=True, actor="alice")
    services.projects.ensure_project("TRK", "Tracker")
    session = Session(qapp)  # type: ignore[arg-type]
    session.start(services)
    try:
        assert session.window is not None and session.store is not None
        assert session.live is None and session.store.live_feed.mode == OFF
        qtbot.waitUntil(lambda: session.live is not None)
        assert session.store.live_feed.mode == LOCAL
    finally:
        session.close()
        if session.window is not None:
            session.window.close()
