"""Screenshots of the real window on a demo database: `python tests/gui/screenshots.py OUTDIR`.

Writes board.png, detail.png, time.png (the detail pane's time section, a timer running),
filter.png, list.png, switcher.png and dark.png (1600x1000;
`--size 1024x640 --suffix -1024` for the small-screen set, board-1024.png and so on).
The README's pictures (board, board-sprint, switcher, dark, backlog, filter-1024) are
rendered with `python tests/gui/screenshots.py docs/screenshots --size 1366x768`, and the
small set with `--size 1024x640 --suffix -1024`.

Fonts: install fonts-dejavu-core and fonts-noto-color-emoji (as .ci/run does), else emoji in
titles and comments show as empty boxes in the PNGs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker_gui.services import Services

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (1600, 1000)
ISSUES = 2000


SPRINT_GOAL = "Ship offline sync to the beta group and fix what they find"


def settle(app: object, seconds: float = 0.3) -> None:
    """Let queued layout, paging and paint events run."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def showcase_issue(services: Services, project_key: str) -> int:
    """An issue with a bit of everything (comments, labels, assignee) for the detail shot."""
    from tracker_gui.domain.models import IssueFilter

    project = services.projects.project(project_key)
    flt = IssueFilter(project_ids=(project.id,))
    best, score = None, -1
    for issue in services.issues.search(flt, sort="-updated", limit=300):
        detail = services.issues.detail(issue.id)
        points = (
            min(len(detail.comments), 3) * 3
            + min(len(issue.labels), 2) * 2
            + bool(issue.assignee) * 2
            + bool(issue.due)
            + min(len(detail.children), 2) * 2
            + bool(detail.links)
            + (80 < len(issue.description) < 900)
        )
        if points > score:
            best, score = issue.id, points
    assert best is not None
    return best


def show_time(services: Services, window: object, issue_id: int) -> None:
    """Give the showcase issue an estimate, two work logs and a timer running for 25 minutes."""
    import datetime as dt

    from tracker_gui.services.worklogs import WorklogService

    issue = services.issues.get(issue_id)
    if issue.estimate is None:
        issue = services.issues.edit(issue.id, issue.version, {"estimate": 6.0})
    logs = WorklogService.of(services)
    today = dt.date.today()
    logs.log(issue.id, "1h30m", today - dt.timedelta(days=1), "Reproduced it on a fresh profile")
    logs.log(issue.id, "45m", today, "")
    timer = window.time.timer  # type: ignore[attr-defined]
    started = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=25, seconds=12)
    timer.clock = lambda: started
    timer.start(issue.id, issue.key)
    timer.clock = lambda: dt.datetime.now(dt.UTC)
    window.time.indicator.refresh()  # type: ignore[attr-defined]


def plan_sprints(services: Services, project_key: str) -> None:
    """An active sprint (some of it done) and the next one planned, unless the demo has some."""
    import datetime as dt

    from tracker_gui.domain.models import IssueFilter

    sprints = services.sprints
    if sprints.sprints(project_key):
        return
    project = services.projects.project(project_key)
    today = dt.date.today()
    start = today - dt.timedelta(days=today.weekday() + 7)
    sprints.add(project_key, "Sprint 23", start, start + dt.timedelta(days=13), SPRINT_GOAL)
    later = start + dt.timedelta(days=14)
    sprints.add(project_key, "Sprint 24", later, later + dt.timedelta(days=13))
    flt = IssueFilter(project_ids=(project.id,))
    picked = services.issues.search(flt, sort="rank", limit=60)
    finished = IssueFilter(project_ids=(project.id,), query="is:closed")
    done = [i.id for i in services.issues.search(finished, sort="rank", limit=3)]
    busy = [i.id for i in picked if i.id not in done][:6]
    sprints.set_sprint(done + busy, "Sprint 23")
    sprints.start(project_key, "Sprint 23")
    sprints.set_sprint([i.id for i in picked if i.id not in done + busy][:3], "Sprint 24")


def in_active_sprint(services: Services, project_key: str) -> None:
    """The detail shot's issue in the active sprint, so its Sprint field shows one."""
    project = services.projects.project(project_key)
    active = services.sprints.current([project.id]).get(project.id)
    if active is not None:
        services.sprints.set_sprint([showcase_issue(services, project_key)], active.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--issues", type=int, default=ISSUES)
    parser.add_argument(
        "--suffix", default="", help="added to each file name: --suffix -1024 writes board-1024.png"
    )
    parser.add_argument(
        "--size", default="x".join(map(str, SIZE)), help="window size WxH (default %(default)s)"
    )
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    outdir: Path = args.outdir
    outdir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="tracker-shots-") as scratch:
        os.environ["TRACKER_HOME"] = scratch
        os.environ.pop("TRACKER_DB", None)
        from PySide6.QtCore import QPoint
        from PySide6.QtGui import QPainter
        from PySide6.QtWidgets import QApplication

        from tracker_gui.app import make_application, visible_cards
        from tracker_gui.services import open_services
        from tracker_gui.services.demo import fill_demo
        from tracker_gui.ui import theme
        from tracker_gui.ui.dialogs.quick_switcher import QuickSwitcher
        from tracker_gui.ui.main_window import MainWindow
        from tracker_gui.ui.settings import Settings
        from tracker_gui.ui.store import Store

        app = make_application()
        theme.apply_theme(app, "light")
        services = open_services(str(Path(scratch) / "tracker.db"), create=True, actor="alice")
        report = fill_demo(services, issues=args.issues, seed=1)
        plan_sprints(services, report.project_key)
        in_active_sprint(services, report.project_key)
        store = Store(services)
        window = MainWindow(store, Settings())
        window.resize(width, height)
        window.show()
        deadline = time.perf_counter() + 30
        while not visible_cards(window) and time.perf_counter() < deadline:
            settle(app, 0.05)
        settle(app, 0.5)

        def named(name: str) -> str:
            stem, dot, ext = name.rpartition(".")
            return f"{stem}{args.suffix}{dot}{ext}"

        def shot(name: str) -> None:
            settle(app)
            path = outdir / named(name)
            if not window.grab().save(str(path)):
                raise OSError(f"could not write {path}")
            print(path)

        issue_id = showcase_issue(services, report.project_key)
        detail_dock = window.docks["detail"]
        detail_dock.close()  # the board on its own: every column in view
        shot("board.png")
        main = window.main_board()
        if main is not None:  # the active sprint only, then the whole project again
            main.header.sprint_toggle.click()
            shot("board-sprint.png")
            main.header.sprint_toggle.click()

        window.actions_.show_list.trigger()
        window.list_pane.select_issue(issue_id)
        shot("list.png")
        window.actions_.show_board.trigger()

        show_time(services, window, issue_id)
        detail_dock.show()
        board = window.main_board()
        if board is not None:
            board.select_issue(issue_id)
        window.show_issue(issue_id, raise_detail=True)
        shot("detail.png")
        pane = window.detail_pane
        pane.scroll_area.ensureWidgetVisible(pane.time, 0, 0)
        shot("time.png")
        pane.scroll_area.verticalScrollBar().setValue(0)

        window.docks["filter"].raise_()  # in a narrow window the detail is its tab neighbour
        window.filter_pane.text_edit.setText("login")
        window.filter_pane.apply()
        settle(app, 1.2)
        shot("filter.png")
        window.filter_pane.text_edit.clear()
        window.filter_pane.apply()
        settle(app, 1.2)  # the filter's debounce, then the board's recount

        switcher = window.actions_.quick_switch
        switcher.trigger()
        palette = window.findChild(QuickSwitcher)
        assert palette is not None, "the quick switch action opened no switcher"
        palette.edit.setText("login crash")
        settle(app, 0.6)  # the switcher's debounce, then its paint
        # A popup is its own top-level window: paint it onto the window's grab where it sits.
        canvas = window.grab()
        painter = QPainter(canvas)
        painter.drawPixmap(
            palette.mapTo(window, QPoint(0, 0))
            if palette.parent() is window
            else window.mapFromGlobal(palette.mapToGlobal(QPoint(0, 0))),
            palette.grab(),
        )
        painter.end()
        if not canvas.save(str(outdir / named("switcher.png"))):
            raise OSError(f"could not write {named('switcher.png')}")
        print(outdir / named("switcher.png"))
        palette.close()

        theme.apply_theme(app, "dark")
        settle(app, 0.5)
        shot("dark.png")

        window.backlog.open()  # beside the board: its sprints, and the backlog below
        settle(app, 0.5)
        shot("backlog-dark.png")
        theme.apply_theme(app, "light")
        settle(app, 0.5)
        shot("backlog.png")

        window.close()
        store.close()
        services.close()
        QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
