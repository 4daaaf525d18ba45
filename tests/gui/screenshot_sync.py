"""Screenshots of offline team mode: `python tests/gui/screenshot_sync.py OUTDIR [--size WxH]`.

The real window on a demo database, handed a fake sync engine (tests/gui/sync_fake.py) that
holds two conflicts and a refusal while offline with changes waiting, and one card with a
provisional key. Writes sync-conflicts.png (the pane, first conflict selected), sync-edit.png
(edit then keep), sync-refusal.png, sync-board.png (the provisional card, the status bar),
sync-conflicts-dark.png, sync-board-dark.png and sync-empty-dark.png (all settled);
`--suffix -1024` is added to every name.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ISSUES = 300

from tests.gui.screenshots import settle  # noqa: E402  (after the path is set)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--size", default="1366x768", help="window size WxH (%(default)s)")
    parser.add_argument("--suffix", default="", help="added to each file name")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    outdir: Path = args.outdir
    outdir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="tracker-sync-shots-") as scratch:
        os.environ["TRACKER_HOME"] = scratch
        os.environ.pop("TRACKER_DB", None)
        from tests.gui.sync_fake import FakeEngine, conflict, offline, refusal
        from tracker_gui.app import make_application, visible_cards
        from tracker_gui.domain.models import IssueFilter
        from tracker_gui.services import open_services
        from tracker_gui.services.demo import fill_demo
        from tracker_gui.ui import sync_controller, theme
        from tracker_gui.ui.board.column_model import IssueRole
        from tracker_gui.ui.main_window import MainWindow
        from tracker_gui.ui.settings import Settings
        from tracker_gui.ui.store import IssueUpdate, Store

        sync_controller.AUTO_SYNC_MS = sync_controller.QUEUED_SYNC_MS = 0
        app = make_application()
        theme.apply_theme(app, "light")
        services = open_services(str(Path(scratch) / "tracker.db"), create=True, actor="alice")
        report = fill_demo(services, issues=ISSUES, seed=1)
        project = services.projects.project(report.project_key)
        some = services.issues.search(IssueFilter(project_ids=(project.id,)), limit=4)
        now = dt.datetime.now(dt.UTC)
        engine = FakeEngine(
            [
                conflict(
                    1,
                    some[0].key,
                    "title",
                    base=some[0].title,
                    mine=f"{some[0].title} (Safari only)",
                    theirs=f"{some[0].title}, see the crash log",
                    by="bob",
                    at=now - dt.timedelta(minutes=14),
                ),
                conflict(
                    2,
                    some[1].key,
                    "description",
                    base="Steps:\n1. Open the board",
                    mine="Steps:\n1. Open the board\n2. Drag a card to Done",
                    theirs="Fixed in 2.3, please retest.",
                    by="carol",
                    at=now - dt.timedelta(hours=2),
                ),
                refusal(
                    3,
                    f"{report.project_key}-~2",
                    None,
                    mine="Export the board as PDF",
                    message=f"viewers cannot create issues in {report.project_key}",
                ),
            ],
            state="offline",
            last_synced=now - dt.timedelta(minutes=40),
            waiting=3,
        )
        # As the window on a team database names it (the copy of alice's login's database).
        services.database.label = "alice@db.example.org/tracker (offline copy)"
        store = Store(services)
        window = MainWindow(store, Settings(), sync=engine)
        window.resize(width, height)
        window.show()
        deadline = time.perf_counter() + 30
        while not visible_cards(window) and time.perf_counter() < deadline:
            settle(app, 0.05)
        settle(app, 0.5)
        assert window.sync_ui is not None
        pane = window.sync_ui.pane

        def shot(name: str) -> None:
            settle(app)
            stem, dot, ext = name.rpartition(".")
            path = outdir / f"{stem}{args.suffix}{dot}{ext}"
            if not window.grab().save(str(path)):
                raise OSError(f"could not write {path}")
            print(path)

        board = window.main_board()
        assert board is not None
        first = board.cells()[0][2].index(0, 0).data(IssueRole)  # the top card of To Do
        made = dataclasses.replace(offline(services.issues.get(first.id)), number=1)
        store.issuesChanged.emit([IssueUpdate(made.id, made, True)])
        window.docks["detail"].close()
        shot("sync-board.png")
        window.docks["detail"].show()
        window.sync_ui.show_pane()
        window.show_issue(some[0].id)
        pane.select_entry(1)
        shot("sync-conflicts.png")
        pane.select_entry(2)
        pane.edit_button.click()
        shot("sync-edit.png")
        pane.cancel_button.click()
        pane.select_entry(3)
        shot("sync-refusal.png")

        theme.apply_theme(app, "dark")
        pane.select_entry(1)
        shot("sync-conflicts-dark.png")
        window.actions_.show_board.trigger()
        shot("sync-board-dark.png")
        for entry in engine.conflicts():  # all settled: the empty state
            if entry.kind == "refused":
                engine.resolve(entry.id, dismiss=True)
            else:
                engine.resolve(entry.id, keep="theirs")
        window.sync_ui.controller.refresh(entries=True)
        window.sync_ui.show_pane()
        shot("sync-empty-dark.png")

        window.close()
        store.close()
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
