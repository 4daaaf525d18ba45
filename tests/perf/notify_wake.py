"""What one forged `NOTIFY tracker_change, '1'` costs a window's GUI thread (median per wake).

    python tests/perf/notify_wake.py                    # a throwaway cluster, 2,000 issues
    python tests/perf/notify_wake.py --issues 10000 --wakes 200

Not part of the default test run (a timing, not a test). A PostgreSQL cluster is started from
tests/support/pgcluster.py; a store follows it with the live feed, and another connection sends
forged notifications one at a time. Each wake is timed on the GUI thread (the socket handler plus
the read it schedules) and set against two baselines: one `SELECT 1` on the app's connection
(the floor of any read) and what a wake cost before the feed ignored the payload (re-reading the
history from the id it names, page after page).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _timed(samples: list[float], fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*_signal_args: Any) -> Any:  # QSocketNotifier.activated passes (socket, type)
        started = time.perf_counter()
        try:
            return fn()
        finally:
            samples.append((time.perf_counter() - started) * 1000)

    return wrapper


def _median(samples: list[float]) -> str:
    return f"{statistics.median(samples):.3f}" if samples else "-"


def measure(url: str, issues: int, wakes: int) -> None:
    import psycopg
    from PySide6.QtWidgets import QApplication

    from tracker_gui.domain.models import NewIssue
    from tracker_gui.services import open_services
    from tracker_gui.ui.live_feed import LiveFeed
    from tracker_gui.ui.store import Store

    app = QApplication.instance() or QApplication([])
    writer = open_services(url, actor="bob")
    writer.projects.ensure_project("TRK", "Tracker")
    for n in range(issues):
        writer.issues.create(NewIssue("TRK", f"issue {n}"))
    history = len(writer.feed.changes_since(0, limit=10 * issues + 100))
    services = open_services(url, actor="alice")
    store = Store(services)
    feed: LiveFeed = store.live_feed
    handler: list[float] = []
    reads: list[float] = []
    feed._on_socket_activated = _timed(handler, feed._on_socket_activated)  # type: ignore[method-assign]
    feed._on_wake_timer_timeout = _timed(reads, feed._on_wake_timer_timeout)  # type: ignore[method-assign]
    store.start_live_feed()
    assert feed.mode == "live", feed.mode

    def settle(until: Callable[[], bool]) -> None:
        deadline = time.perf_counter() + 10
        while not until() and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.001)

    settle(lambda: bool(reads))
    handler.clear()
    reads.clear()
    before_reads, before_rows = feed.reads, feed.rows_read
    with psycopg.connect(url, autocommit=True) as attacker:
        for _ in range(wakes):
            done = feed.reads
            attacker.execute("NOTIFY tracker_change, '1'")
            settle(lambda done=done: feed.reads > done)  # type: ignore[misc]
            time.sleep(LiveFeed.WAKE_GAP_MS / 1000)  # the next wake is not held back
    wake_reads, wake_rows = feed.reads - before_reads, feed.rows_read - before_rows

    floor: list[float] = []
    for _ in range(wakes):
        started = time.perf_counter()
        with services.database.reading():
            services.database.peewee.execute_sql("SELECT 1").fetchone()
        floor.append((time.perf_counter() - started) * 1000)
    old: list[float] = []
    old_rows = 0
    for _ in range(min(wakes, 20)):  # what one wake did when it read from the payload's id
        started = time.perf_counter()
        since, old_rows = 0, 0
        while page := services.feed.changes_since(since, limit=LiveFeed.PAGE):
            old_rows += len(page)
            since = page[-1].id
        old.append((time.perf_counter() - started) * 1000)

    per_wake = [h + r for h, r in zip(handler, reads, strict=False)]
    print(f"PostgreSQL, {issues:,} issues, {history:,} Change rows, {wakes} forged NOTIFYs")
    print()
    print("| what | median ms | rows per wake |")
    print("|---|---:|---:|")
    print(f"| a forged wake now (handler + its read) | {_median(per_wake)} | "
          f"{wake_rows / max(wake_reads, 1):.1f} |")  # fmt: skip
    print(f"| baseline: SELECT 1 on the app's connection | {_median(floor)} | 0 |")
    print(f"| before: re-read from the payload's id | {_median(old)} | {old_rows:,} |")
    print()
    print(f"reads: {wake_reads} for {wakes} notifications; rows read: {wake_rows}")
    store.close()
    services.close()
    writer.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=2000)
    parser.add_argument("--wakes", type=int, default=100)
    parser.add_argument(
        "--url", help="an empty PostgreSQL database to fill (default: a new cluster)"
    )
    args = parser.parse_args()
    if args.url:
        measure(args.url, args.issues, args.wakes)
        return 0
    from tests.support.pgcluster import PgCluster

    cluster = PgCluster()
    cluster.start()
    try:
        measure(cluster.create_database("notify_wake"), args.issues, args.wakes)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
