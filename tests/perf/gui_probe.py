"""One measured GUI session in its own process: `startup`, `baseline` or `interact` on a database.

Run by tests/perf/run.py; prints one JSON line. Uses the real MainWindow offscreen.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from tracker_gui.services import Services
    from tracker_gui.ui.main_window import MainWindow
    from tracker_gui.ui.store import Store

STARTED = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _wait_usable(app: QApplication, window: MainWindow) -> None:
    from tracker_gui.app import visible_cards

    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline:
        app.processEvents()
        if visible_cards(window):
            window.repaint()
            return
    raise SystemExit("the board never showed a card")


_cards = [0]  # cards the board's delegate painted (counted from before the window opens)


def _count_cards() -> None:
    from tracker_gui.ui.board import card_delegate

    paint_card = card_delegate.CardDelegate.paint

    def counted(delegate: Any, *args: Any) -> None:
        _cards[0] += 1
        paint_card(delegate, *args)

    card_delegate.CardDelegate.paint = counted  # type: ignore[method-assign,assignment]


class _PaintMeter:
    """What Qt paints: paint events and the window area they cover (each pixel once)."""

    def __init__(self, app: QApplication, window: MainWindow) -> None:
        from PySide6.QtCore import QEvent, QObject, QPoint
        from PySide6.QtGui import QRegion
        from PySide6.QtWidgets import QWidget

        meter = self
        self.events = 0
        self.region = QRegion()

        class _Filter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
                    meter.events += 1
                    if watched.window() is window:
                        at = watched.mapTo(window, QPoint(0, 0))
                        region = event.region().translated(at)  # type: ignore[attr-defined]
                        meter.region = meter.region.united(region)
                return False

        self._filter = _Filter()
        app.installEventFilter(self._filter)

    def area_kpx(self) -> float:
        return sum(r.width() * r.height() for r in self.region) / 1000  # type: ignore[attr-defined]


def _settle(app: QApplication, meter: _PaintMeter) -> None:
    """Run the event loop until what the change made dirty is painted: Qt posts an update
    request per dirty widget and item views lay out on a zero timer, so a pass can leave
    paints for the next; stop after two passes in a row that paint nothing."""
    from PySide6.QtCore import QEvent

    quiet = 0
    for _ in range(50):
        before = meter.events
        app.processEvents()
        # The app's event loop deletes what was handed to deleteLater(); processEvents()
        # alone does not, so without this a probe run piles up widgets the app never keeps.
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        quiet = quiet + 1 if meter.events == before else 0
        if quiet == 2:
            return


def _window(db: str) -> tuple[QApplication, Services, Store, MainWindow]:
    from tracker_gui.app import make_application, open_target
    from tracker_gui.ui import theme
    from tracker_gui.ui.main_window import MainWindow
    from tracker_gui.ui.settings import Settings
    from tracker_gui.ui.store import Store

    app = make_application()
    services = open_target(db)  # the window's own path: quick_check runs in the background
    assert services is not None
    store = Store(services)
    settings = Settings()
    theme.apply_theme(app, "light")
    window = MainWindow(store, settings)
    window.resize(1600, 1000)
    window.show()
    store.start_integrity_check()
    return app, services, store, window


def startup(db: str) -> dict[str, float]:
    app, _services, _store, window = _window(db)
    _wait_usable(app, window)
    return {"usable_s": time.perf_counter() - STARTED}


def session(db: str) -> dict[str, float]:
    """The app's own start-up path (`app.Session`: window, then live feed, tray and
    notifications): to painted cards, and to everything wired with an idle event loop."""
    from tracker_gui.app import Session, make_application, open_target

    app = make_application()
    services = open_target(db)
    assert services is not None
    started = Session(app)
    started.start(services)
    window = started.window
    assert window is not None
    _wait_usable(app, window)
    painted = time.perf_counter() - STARTED
    deadline = time.perf_counter() + 60
    while started.live is None and time.perf_counter() < deadline:
        app.processEvents()
    app.processEvents()
    return {"usable_s": painted, "wired_s": time.perf_counter() - STARTED}


def baseline() -> dict[str, float]:
    """The same process start with a bare Qt window: what any PySide6 app pays."""
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("hello"))
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    window.repaint()
    return {"usable_s": time.perf_counter() - STARTED}


def _ms(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def _parses(text: str) -> bool:
    from tracker_gui.domain.query import QueryError, parse

    try:
        parse(text)
    except QueryError:
        return False
    return True


def interact(db: str, rounds: int, word: str, phrase: str) -> dict[str, list[float]]:
    """Every in-app figure; each with the SQL it sent replayed raw (`*_raw`) for the ratio."""
    import dataclasses
    import functools
    import resource

    from PySide6.QtCore import QModelIndex, Qt

    from tests.perf.rawsql import Raw, Recorder
    from tracker_gui.domain.enums import IssueType, Priority, StatusCategory
    from tracker_gui.domain.models import IssueFilter
    from tracker_gui.ui.dialogs.quick_switcher import QuickSwitcher

    _count_cards()
    app, services, store, window = _window(db)
    _wait_usable(app, window)
    rec = Recorder(services)
    raw = Raw(db)
    board = window.main_board()
    if board is None:
        raise SystemExit("the window has no board")
    project = board.project_id()
    base = IssueFilter(project_ids=(project,))
    filters = [
        dataclasses.replace(base, priorities=(Priority.HIGH, Priority.HIGHEST)),
        dataclasses.replace(base, types=(IssueType.BUG,)),
        dataclasses.replace(base, categories=(StatusCategory.IN_PROGRESS,)),
        dataclasses.replace(base, assignees=(services.actor,), unassigned=True),
        base,
    ]
    out: dict[str, list[float]] = {}

    meter = _PaintMeter(app, window)

    def paint() -> None:
        # What the app itself repaints after a change (its dirty regions), not a forced
        # repaint of the whole window (`repaint_ms` times that, as a baseline).
        _settle(app, meter)

    def painted(name: str, fn: Callable[[], object]) -> None:
        from PySide6.QtGui import QRegion

        events, cards = meter.events, _cards[0]
        meter.region = QRegion()
        fn()
        out.setdefault(name + "_paints", []).append(float(meter.events - events))
        out.setdefault(name + "_cards", []).append(float(_cards[0] - cards))
        out.setdefault(name + "_kpx", []).append(meter.area_kpx())

    def refilter(flt: IssueFilter) -> None:
        store.set_filter(flt)
        paint()

    def timed(name: str, fn: Callable[[], object], replay: bool = True) -> None:
        """One sample of `fn` and, for the ratio, its statements replayed raw."""
        statements: list[Any] = []
        t0 = time.perf_counter()
        if replay:
            statements = rec.capture(fn)
        else:
            fn()
        out.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
        if replay and statements:
            raw_ms = _ms(lambda: raw.replay(statements))
            out.setdefault(name + "_raw", []).append(raw_ms)

    for i in range(rounds):
        chosen = filters[i % len(filters)]
        step = functools.partial(refilter, chosen)
        painted("filter", functools.partial(timed, "filter_ms", step))
        out.setdefault("repaint_ms", []).append(_ms(window.repaint))
    refilter(base)
    # Keystrokes: a query typed one character at a time; the filter pane applies every
    # prefix that parses (the others only mark the box), so those are what is timed.
    typed = f"{word} priority>=high"
    prefixes = [typed[:n] for n in range(1, len(typed) + 1) if _parses(typed[:n])]

    def type_query(text: str) -> None:
        refilter(dataclasses.replace(base, query=text))

    for _ in range(max(1, rounds // len(prefixes))):
        for text in prefixes:
            timed("keystroke_ms", functools.partial(type_query, text))
        refilter(base)
    for _ in range(rounds):
        painted(
            "fts_word",
            lambda: timed("fts_word_ms", lambda: refilter(dataclasses.replace(base, query=word))),
        )
        refilter(base)
        timed("fts_phrase_ms", lambda: refilter(dataclasses.replace(base, query=f'"{phrase}"')))
        refilter(base)

    def load_board() -> None:
        board._rebuild()
        paint()

    for _ in range(max(3, rounds // 2)):
        timed("board_load_ms", load_board)
    switcher = QuickSwitcher(store.find, None, window)
    switcher.resize(640, 440)
    switcher.show()

    def find(text: str) -> None:
        switcher.edit.setText(text)
        switcher.search_now()
        app.processEvents()
        switcher.repaint()

    for i in range(rounds):
        timed("switcher_ms", functools.partial(find, word if i % 2 == 0 else phrase))
    switcher.hide()
    cells = board.cells()
    source, target = cells[0][2], cells[1][2]
    for i in range(rounds):
        moving, back = (source, target) if i % 2 == 0 else (target, source)
        mime = moving.mimeData([moving.index(0, 0)])
        t0 = time.perf_counter()
        ok = back.dropMimeData(mime, Qt.DropAction.MoveAction, back.rowCount(), 0, QModelIndex())
        committed = time.perf_counter()
        paint()
        done = time.perf_counter()
        if not ok:
            raise SystemExit("a drop was refused")
        out.setdefault("drop_commit_ms", []).append((committed - t0) * 1000)
        out.setdefault("drop_repaint_ms", []).append((done - t0) * 1000)
    # The same move without any UI: what the services alone take (the baseline for a drop).
    statuses = [s.id for s in store.statuses(project)]
    issue = services.issues.column(statuses[0], base, 0, 1)[0]
    for i in range(rounds):
        current = services.issues.get(issue.id)
        target_status = statuses[(i + 1) % 2]
        out.setdefault("service_move_ms", []).append(
            _ms(functools.partial(services.issues.move, current.id, current.version, target_status))
        )

    def show_detail(issue_id: int) -> None:
        window.detail_pane.show_issue(issue_id)
        paint()

    ids = [c.id for c in services.issues.column(statuses[0], base, 0, rounds)]
    for issue_id in ids:
        timed("detail_ms", functools.partial(show_detail, issue_id))
    out["rss_mb"] = [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]
    return out


def main() -> None:
    mode = sys.argv[1]
    os.environ["TRACKER_HOME"] = tempfile.mkdtemp(prefix="tracker-perf-home-")
    if mode == "baseline":
        result: object = baseline()
    elif mode == "startup":
        result = startup(sys.argv[2])
    elif mode == "session":
        result = session(sys.argv[2])
    else:
        result = interact(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
    print(json.dumps(result), flush=True)
    os._exit(0)  # skip teardown: only the measured part matters


if __name__ == "__main__":
    main()
