"""Client B of the two-client live tests: a separate process that drags issues and says when.

`python -m tests.e2e.live_client TARGET ACTOR STATUS KEY [KEY ...]` opens its own board models
(offscreen Qt: one ColumnModel per status, as client B's window has) and drops the issues on
the STATUS column the way a mouse drop does (several at once: a multi-card drag, one bulk
move). It prints one JSON line: the wall-clock time right after the commit (when the bus
publishes), so the test can time client A. With `--serve TARGET ACTOR` it stays open and
drops the cards each stdin line names ({"status": ..., "keys": [...]}), one JSON line per drop.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from tracker_gui.services import open_services
from tracker_gui.ui.board.column_model import ColumnModel
from tracker_gui.ui.store import Store


def serve(target: str, actor: str) -> int:
    """`--serve TARGET ACTOR`: one window's board kept open; each stdin line (JSON
    {"status": name, "keys": [...]}) is one multi-card drop, answered by one JSON line."""
    app = QApplication.instance() or QApplication([])
    services = open_services(target, actor=actor, quick_check=False)
    published: list[float] = []
    services.bus.subscribe(lambda _events: published.append(time.time()))
    store = Store(services)
    columns: dict[int, ColumnModel] = {}
    print(json.dumps({"ready": True}), flush=True)
    try:
        for line in sys.stdin:
            order = json.loads(line)
            status_name, keys = order["status"], order["keys"]
            issues = [services.issues.by_key(key) for key in keys]
            statuses = store.statuses(issues[0].project_id)
            if not columns:
                columns = {s.id: ColumnModel(store, s) for s in statuses}
            source = columns[issues[0].status_id]
            rows = [source.row_of(issue.id) for issue in issues]
            assert all(row >= 0 for row in rows), "client B's board does not show every card"
            target_column = next(columns[s.id] for s in statuses if s.name == status_name)
            published.clear()
            mime = source.mimeData([source.index(row, 0) for row in rows])
            dropped = target_column.dropMimeData(
                mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex()
            )
            assert dropped and published, "client B's drop was refused"
            app.processEvents()
            print(json.dumps({"committed": published[0], "moved": keys}), flush=True)
    finally:
        store.close()
        services.close()
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--serve"]:
        return serve(*argv[1:3])
    target, actor, status_name, *keys = argv
    app = QApplication.instance() or QApplication([])
    services = open_services(target, actor=actor, quick_check=False)
    # The bus publishes right after the commit: the moment client A could first see it.
    published: list[float] = []
    services.bus.subscribe(lambda _events: published.append(time.time()))
    store = Store(services)
    try:
        issues = [services.issues.by_key(key) for key in keys]
        statuses = store.statuses(issues[0].project_id)
        columns = {s.id: ColumnModel(store, s) for s in statuses}
        source = columns[issues[0].status_id]
        rows = [source.row_of(issue.id) for issue in issues]
        assert all(row >= 0 for row in rows), "client B's board does not show every card"
        target_column = next(columns[s.id] for s in statuses if s.name == status_name)
        mime = source.mimeData([source.index(row, 0) for row in rows])
        dropped = target_column.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
        assert dropped and published, "client B's drop was refused"
        committed = published[0]
        app.processEvents()
    finally:
        store.close()
        services.close()
    print(json.dumps({"committed": committed, "moved": keys}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
