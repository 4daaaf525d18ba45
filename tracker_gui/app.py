"""Composition root of the window: log, QApplication, database, store, settings, window."""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QApplication, QFileDialog, QWidget

import tracker_gui.ui.pyside_compat  # noqa: F401  (before any Qt call: see the module)
from tracker_gui import APP_NAME, __version__, log, paths
from tracker_gui.credentials import ConnectionSpec
from tracker_gui.domain.models import IssueFilter
from tracker_gui.errors import (
    ConnectionFailedError,
    NotADatabaseError,
    StorageError,
    TrackerError,
)
from tracker_gui.services import Services, connect, open_services
from tracker_gui.services.report_types import Report
from tracker_gui.services.sync import SyncService
from tracker_gui.storage.database import is_url, open_database
from tracker_gui.ui import connection_monitor, icons, live_setup, reports_setup, theme
from tracker_gui.ui.backups import BackupScheduler
from tracker_gui.ui.dialogs import message
from tracker_gui.ui.dialogs.connect import ConnectDialog, install_action
from tracker_gui.ui.first_copy import open_copy_offline, open_offline_copy
from tracker_gui.ui.first_paint import after_first_paint
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store
from tracker_gui.ui.sync_wake import SyncWake

logger = logging.getLogger(__name__)

SMOKE_TIMEOUT_S = 30.0
SMOKE_SIZE = (1600, 1000)
DEMO_ISSUES = 300
ExcHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def _missing(target: str) -> bool:
    """A local target with no file yet, or a 0-byte one (what `open` refuses without create)."""
    if is_url(target):
        return False
    path = Path(target).expanduser()
    return not path.exists() or (path.is_file() and path.stat().st_size == 0)


# -- start-up steps -----------------------------------------------------------------------
NO_DISPLAY = (
    "tracker-gui: error: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the "
    "window cannot open; use the command line instead: tracker-gui --help"
)


def no_display(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> bool:
    """True on Linux without X11 or Wayland and no platform chosen: Qt would abort there
    with a misleading hint about libxcb-cursor0."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return False
    return not any(env.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def make_application() -> QApplication:
    """The QApplication with name, icon and High-DPI policy (an existing one is reused)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName(APP_NAME)
    QApplication.setApplicationVersion(__version__)
    QApplication.setDesktopFileName(APP_NAME)
    app = QApplication(sys.argv[:1])
    app.setWindowIcon(icons.app_icon())
    return app


# The offscreen application made for drawing from the CLI, kept alive for the process.
_render_apps: list[QApplication] = []


def render_report(report: Report, path: str | Path, fmt: str, theme: str) -> None:
    """Draw a report's chart into a PNG or SVG file (the CLI's `report --format png|svg`).

    Qt needs an application object to draw text; from the command line there is none, so an
    offscreen one is made (never a window: this works without a display). The chart code is
    imported here, not at start, so the window's cold start does not pay for it. It is a
    QApplication (widgets), not a bare QGuiApplication: a process that opens a window after
    drawing (a test run, the window after a CLI call in one process) would abort on a
    QWidget made without one.
    """
    if QGuiApplication.instance() is None:
        argv = [sys.argv[0] if sys.argv else APP_NAME, "-platform", "offscreen"]
        _render_apps.append(QApplication(argv))
    from tracker_gui.ui.charts import export

    export.write(report, path, fmt, theme)


DATABASE_FILES = "Tracker databases (*.db *.sqlite *.tracker);;All files (*)"


def _show_storage_error(exc: StorageError, parent: QWidget | None = None) -> str | None:
    """Say why the database cannot be opened; the path of another file if the user picks one.

    At start (no window yet) the way out is Quit; from the window's File > Open, Cancel keeps
    the database already open.
    """
    title = "Not a Tracker database" if isinstance(exc, NotADatabaseError) else "Cannot open"
    hint = exc.hint[0].upper() + exc.hint[1:] + "." if exc.hint else ""
    leave = message.Button("quit", "Quit", rejects=True) if parent is None else message.CANCEL
    buttons = (leave, message.Button("open", "Open Another File…", primary=True))
    text = exc.args[0] if exc.args else str(exc)
    while message.choose(parent, title, text, buttons, hint, kind="error") == "open":
        path, _ = QFileDialog.getOpenFileName(
            parent, "Open Database", str(paths.data_dir()), DATABASE_FILES
        )
        if path:
            return path
    return None


def ask_create(path: Path, parent: QWidget | None = None) -> bool:
    return message.confirm(
        parent,
        "Create a database?",
        f"There is no Tracker database at {path} yet. Create a new database there?",
        "It starts with one project, TRK, that you can rename.",
        yes="Create database",
        no="Don't create",
    )


def _first_run(target: str) -> bool:
    """No file yet at the default location: a first start, where asking would only be in the way."""
    default = paths.data_dir() / "tracker.db"
    path = Path(target).expanduser()
    return not is_url(target) and path == default and not path.exists()


def open_target(target: str, parent: QWidget | None = None) -> Services | None:
    """Open a database for the window; asks before creating one (except on a first run at the
    default location); None when it cannot or may not. A refused file offers another."""
    while True:
        opened = _open_once(target, parent)
        if not isinstance(opened, str):
            return opened
        target = opened


def _open_once(target: str, parent: QWidget | None) -> Services | str | None:
    """The services, or the path of another file the user picked instead, or None."""
    try:
        if _missing(target):
            shown = Path(target).expanduser()
            if not _first_run(target) and not ask_create(shown, parent):
                logger.info("not creating %s: the user declined", shown)
                return None
            services = open_services(target, create=True)
            services.projects.ensure_project("TRK", "Tracker")
            return services
        # The full-file quick_check runs in the background once the window is up.
        return open_services(target, quick_check=False)
    except ConnectionFailedError as exc:
        logger.warning("cannot open %s: %s", target, exc)
        if exc.unreachable and is_url(target):
            offline = open_copy_offline(target)  # offline-first: its copy, if there is one
            if offline is not None:
                logger.info("opening the offline copy of %s", target)
                return offline
        if exc.reason != "password" or not is_url(target):
            return _show_storage_error(exc, parent)
        # No (or a wrong) password stored: ask for it, with the rest filled in.
        dialog = ask_connect(Settings(), parent, ConnectionSpec.from_url(target))
        return dialog.services
    except StorageError as exc:
        logger.warning("cannot open %s: %s", target, exc)
        return _show_storage_error(exc, parent)
    except TrackerError as exc:
        logger.warning("cannot open %s: %s", target, exc)
        message.error(parent, "Cannot open", str(exc))
    return None


def open_shared(url: str, password: str | None) -> Services:
    """Open a shared PostgreSQL database; the password goes to the driver, never into the URL."""
    return connect(open_database(url, password=password))


def ask_connect(
    settings: Settings, parent: QWidget | None, initial: ConnectionSpec | None = None
) -> ConnectDialog:
    dialog = ConnectDialog(settings, open_shared, parent, initial=initial)
    dialog.exec()
    return dialog


class _Crash:
    """The excepthook: log an unexpected exception, then tell the user (or fail the smoke test)."""

    def __init__(self, log_path: str | None, smoke: bool) -> None:
        self.log_path = log_path
        self.smoke = smoke
        self.failed = False
        self._showing = False

    def __call__(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        logger.error("unexpected error", exc_info=(kind, exc, tb))
        self.failed = True
        if self.smoke:
            traceback.print_exception(kind, exc, tb, file=sys.stderr)
            app = QApplication.instance()
            if app is not None:
                app.exit(70)
            return
        if self._showing or QApplication.instance() is None:
            return
        self._showing = True
        try:
            where = self.log_path or "the log (its folder could not be written)"
            message.error(
                None,
                "Tracker hit an unexpected error",
                f"{kind.__name__}: {exc}",
                f"Details were written to {where}.\n"
                "Every change you made before this was already saved. "
                "Please report this, with the log attached.",
                technical="".join(traceback.format_exception(kind, exc, tb)),
            )
        finally:
            self._showing = False


# -- the interactive window ---------------------------------------------------------------
class Session:
    """The open database with its store and window; Open Database swaps all three."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.services: Services | None = None
        self.store: Store | None = None
        self.window: MainWindow | None = None
        self.live: live_setup.LiveWiring | None = None
        self.engine: SyncService | None = None  # a shared database's offline copy and sync
        self.wake: SyncWake | None = None  # its LISTEN on the server

    def start(self, services: Services) -> None:
        old_services, old_store, old_window = self.services, self.store, self.window
        old_engine = self.engine
        # A shared database: the window reads and writes its offline copy, and syncs it.
        engine = None
        copied = open_offline_copy(services, old_window)
        if copied is not None:
            if copied[0] is not services:
                services.close()  # the server's connection: the window works on the copy
            services, engine = copied
        store = Store(services)
        settings = Settings()
        theme.apply_theme(self.app, settings.get("ui/theme"))
        window = MainWindow(
            store, settings, sync=engine, reports=reports_setup.sources_for(services)
        )
        if self.wake is not None:
            self.wake.stop()
            self.wake = None
        if engine is not None and window.sync_ui is not None:
            # A teammate's commit wakes a sync at once (listening from the first sync on).
            self.wake = SyncWake(engine.listen, window.sync_ui.controller, window)
            window.sync_ui.controller.sync_now()
        window.openDatabaseRequested.connect(self._on_window_open_database_requested)
        install_action(window, window.actions_.open_database, self._on_connect_triggered)
        # A server can go away, a local file cannot; a replica's sync state tells it itself.
        if not services.database.is_sqlite and window.sync_ui is None:
            connection_monitor.install(window, store, services.database.ping)
        window.show()
        store.start_integrity_check()
        if self.live is not None:
            self.live.close()
            self.live = None
        # The window paints first: the live feed, the tray and notifications (asyncio,
        # desktop-notifier, D-Bus: 0.1-0.25 s) are wired just after its first paint.
        after_first_paint(window, lambda: self._go_live(store, window, settings))
        scheduler = BackupScheduler(window.backups, settings, window)
        scheduler.failed.connect(store.errorOccurred)
        scheduler.start()
        self.services, self.store, self.window = services, store, window
        self.engine = engine
        if old_window is not None:
            old_window.close()
            old_window.deleteLater()
        if old_store is not None:
            old_store.close()
        if old_services is not None:
            old_services.close()
        if old_engine is not None and old_engine is not engine:
            old_engine.close()

    def _go_live(self, store: Store, window: MainWindow, settings: Settings) -> None:
        if store is not self.store or self.live is not None:
            return  # closed, or another database was opened meanwhile
        self.live = live_setup.install(store, window, settings)
        store.start_live_feed()

    def _on_connect_triggered(self) -> None:
        """File > Connect to Shared Database: swap to it, or back to the local file."""
        assert self.services is not None and self.window is not None
        shared = self.engine is not None or not self.services.database.is_sqlite
        dialog = ConnectDialog(
            Settings(),
            open_shared,
            self.window,
            connected_to=self.services.database.label if shared else None,
        )
        dialog.exec()
        if dialog.services is not None:
            self.start(dialog.services)
        elif dialog.switch_local:
            self._on_window_open_database_requested(str(paths.data_dir() / "tracker.db"))

    def _on_window_open_database_requested(self, target: str) -> None:
        services = open_target(target, self.window)
        if services is not None:
            self.start(services)

    def close(self) -> None:
        if self.wake is not None:
            self.wake.stop()
            self.wake = None
        if self.window is not None and self.window.sync_ui is not None:
            self.window.sync_ui.stop()  # the run under way ends before its connection goes
        if self.engine is not None:
            self.engine.close()
            self.engine = None
        if self.live is not None:
            self.live.close()
            self.live = None  # closing twice (the app, then a test's clean-up) is harmless
        if self.store is not None:
            self.store.close()
            self.store = None  # a pending _go_live finds nothing to wire
        if self.services is not None:
            self.services.close()
            self.services = None


def run_window(target: str, debug: bool = False, smoke_test: str | None = None) -> int:
    """Open the window on `target` ("" = the default database) and run until it closes.

    With `smoke_test` (an output folder) the window opens offscreen on a temporary demo
    database (or on `target` when one is given), waits for cards, saves main-window.png and
    smoke.json there, and returns 0 on success.
    """
    log_path = log.init(debug)
    logger.info("Tracker %s starting (debug=%s, smoke=%s)", __version__, debug, bool(smoke_test))
    if smoke_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    elif no_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    app = make_application()
    crash = _Crash(log_path, smoke=bool(smoke_test))
    previous: ExcHook = sys.excepthook
    sys.excepthook = crash
    try:
        if smoke_test:
            return _smoke(app, target, Path(smoke_test), crash)
        services = open_target(target or paths.default_database())
        if services is None:
            return 1
        session = Session(app)
        session.start(services)
        code = app.exec()
        session.close()
        return 1 if crash.failed and code == 0 else code
    finally:
        sys.excepthook = previous


# -- smoke test ---------------------------------------------------------------------------
def visible_cards(window: QWidget) -> int:
    """Cards a person would see: rows of the board views that lie inside their viewports."""
    if not isinstance(window, MainWindow):
        return 0
    seen = 0
    for board in window.board_panes():
        for view in board.findChildren(QAbstractItemView):
            model = view.model()
            if model is None or not view.isVisible():
                continue
            area: QRect = view.viewport().rect()
            for row in range(model.rowCount()):
                if view.visualRect(model.index(row, 0)).intersects(area):
                    seen += 1
    return seen


def _smoke_services(target: str, scratch: Path) -> Services:
    explicit = bool(target) and target != paths.default_database()
    if explicit:
        if _missing(target):
            raise StorageError(f"no database at {target}", "the smoke test never creates one")
        return open_services(target)
    services = open_services(str(scratch / "tracker.db"), create=True)
    return services


def _fill_demo(services: Services) -> None:
    if services.issues.count(IssueFilter(include_archived=True)):
        return
    try:
        from tracker_gui.services.demo import fill_demo
    except ImportError:  # pragma: no cover - demo data ships with the app
        services.projects.ensure_project("TRK", "Tracker")
        return
    fill_demo(services, issues=DEMO_ISSUES, seed=1)


def _smoke(app: QApplication, target: str, outdir: Path, crash: _Crash) -> int:
    started = time.perf_counter()
    outdir.mkdir(parents=True, exist_ok=True)
    report: dict[str, object] = {"ok": False, "cards_visible": 0, "database": target}
    with tempfile.TemporaryDirectory(prefix="tracker-smoke-") as scratch:
        try:
            services = _smoke_services(target, Path(scratch))
        except StorageError as exc:
            print(f"smoke test: {exc}", file=sys.stderr)
            report["error"] = str(exc)
            _write_report(outdir, report, started)
            return 1
        try:
            _fill_demo(services)
            store = Store(services)
            settings = Settings(Path(scratch) / "config" / "tracker-gui.ini")
            theme.apply_theme(app, "light")
            window = MainWindow(store, settings, reports=reports_setup.sources_for(services))
            window.resize(*SMOKE_SIZE)
            window.show()
            store.start_live_feed()
            cards = 0
            deadline = time.perf_counter() + SMOKE_TIMEOUT_S
            while time.perf_counter() < deadline and not crash.failed:
                app.processEvents()
                cards = visible_cards(window)
                if cards:
                    break
                time.sleep(0.02)
            for _ in range(5):  # let the last layout and paint settle before grabbing
                app.processEvents()
            shot = outdir / "main-window.png"
            saved = window.grab().save(str(shot))
            # With a reports service, the Reports pane opens and draws (or the smoke fails).
            charted = window.reports.open_and_wait(int(SMOKE_TIMEOUT_S * 1000))
            if charted is not None:
                report["reports"] = charted.title
                saved = saved and window.grab().save(str(outdir / "reports.png"))
            elif window.reports.action.isEnabled():
                report["reports"] = None
                saved = False
            report.update(
                ok=bool(cards) and saved and not crash.failed,
                cards_visible=cards,
                database=store.database_label,
                screenshot=str(shot),
            )
            window.close()
            store.close()
        finally:
            services.close()
    _write_report(outdir, report, started)
    return 0 if report["ok"] else 1


def _write_report(outdir: Path, report: dict[str, object], started: float) -> None:
    report["seconds"] = round(time.perf_counter() - started, 2)
    (outdir / "smoke.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
