"""Screenshots of the Reports pane: `python tests/gui/screenshot_reports.py OUTDIR [--size WxH]`.

The real window on a demo database with View > Reports open, one shot per kind in light
(reports-<kind>.png) and the burndown, cumulative flow and cycle time in dark
(reports-<kind>-dark.png); `--suffix -1024` is added to every name. The reports come from
`tracker_gui.ui.reports_setup.sources_for(services)` (what the composition root wires), or
with `--samples` from the hand-built samples in tests/gui/report_samples.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ISSUES = 12_000  # the demo finishes about 18 issues a week then: sprints of about twenty
DARK = ("burndown", "cfd", "cycle-time")

from tests.gui.screenshots import settle  # noqa: E402  (after the path is set)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--size", default="1366x768", help="window size WxH (%(default)s)")
    parser.add_argument("--suffix", default="", help="added to each file name")
    parser.add_argument("--samples", action="store_true", help="draw the hand-built samples")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    outdir: Path = args.outdir
    outdir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="tracker-report-shots-") as scratch:
        os.environ["TRACKER_HOME"] = scratch
        os.environ.pop("TRACKER_DB", None)
        from tests.gui import report_samples
        from tracker_gui.app import make_application, visible_cards
        from tracker_gui.services import open_services
        from tracker_gui.services.demo import fill_demo
        from tracker_gui.services.report_types import KINDS, Report
        from tracker_gui.ui import reports_setup, theme
        from tracker_gui.ui.main_window import MainWindow
        from tracker_gui.ui.panes.reports_pane import ReportsPane
        from tracker_gui.ui.reports_setup import ReportSources
        from tracker_gui.ui.settings import Settings
        from tracker_gui.ui.store import Store

        app = make_application()
        theme.apply_theme(app, "light")
        services = open_services(str(Path(scratch) / "tracker.db"), create=True, actor="alice")
        fill_demo(services, issues=ISSUES, seed=1)
        sources = None if args.samples else reports_setup.sources_for(services)
        if sources is None:

            def sample(kind: str, _options: object) -> Report:
                return report_samples.sample(kind)

            sources = ReportSources(sample, lambda _key: ("Sprint 12", "Sprint 11"))
        store = Store(services)
        window = MainWindow(store, Settings(), reports=sources)
        window.resize(width, height)
        window.show()
        deadline = time.perf_counter() + 30
        while not visible_cards(window) and time.perf_counter() < deadline:
            settle(app, 0.05)
        window.reports.open()
        pane = window.reports.pane
        assert isinstance(pane, ReportsPane)

        def shot(kind: str, dark: bool) -> None:
            pane.set_kind(kind)
            pane.refresh()
            settle(app, 0.05)
            pane.wait(60_000)
            settle(app)
            name = f"reports-{kind}{'-dark' if dark else ''}{args.suffix}.png"
            path = outdir / name
            if not window.grab().save(str(path)):
                raise OSError(f"could not write {path}")
            print(path)

        for kind in KINDS:
            shot(kind, dark=False)
        theme.apply_theme(app, "dark")
        for kind in DARK:
            shot(kind, dark=True)
        window.close()
        store.close()
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
