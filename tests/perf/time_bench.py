"""Time tracking at scale: `logged` / `remaining` queries and sorts on a big local file, timed.

    python tests/perf/time_bench.py /tmp/time-bench.db      # built once, then reused

Not part of the default test run. The file gets 100,000 demo issues and 50,000 more work logs
(random issues, one user) on its first run; each query then runs three times and the best is
printed (the first 100 hits, as the list pane pages them), with the number of hits.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

from tracker_gui.domain.models import IssueFilter
from tracker_gui.services import Services, open_services
from tracker_gui.services.demo import fill_demo
from tracker_gui.services.worklogs import WorklogService
from tracker_gui.storage.worklog_repo import WorklogRepo

QUERIES = ("logged>4h", "logged>=1h30m", "logged>1d", "remaining<=1d", "sort:-logged",
           "sort:remaining", "assignee:alice logged>2h")  # fmt: skip


def build(services: Services) -> None:
    fill_demo(services, 100_000, 1, "DEMO")
    ids = [int(r[0]) for r in services.database.peewee.execute_sql("SELECT id FROM issue")]
    rng = random.Random(1)
    user = services.projects.ensure_user("alice").id
    rows = [(rng.choice(ids), user, dt.date(2026, 11, rng.randint(1, 30)), rng.randint(15, 480),
             "", None) for _ in range(50_000)]  # fmt: skip
    with services.database.transaction():
        WorklogRepo(services.database).insert_many(rows)


def main(path: str) -> None:
    fresh = not Path(path).exists()
    services = open_services(path, create=True, actor="alice")
    try:
        if fresh:
            build(services)
        print("| query | best of 3 (ms) | hits |\n|---|---|---|")
        for query in QUERIES:
            best = min(_timed(services, query) for _ in range(3))
            hits = services.issues.count(IssueFilter(query=query))
            print(f"| `{query}` | {best * 1000:.0f} | {hits:,} |")
        ids = [i.id for i in services.issues.search(IssueFilter(), limit=500)]
        started = time.perf_counter()
        WorklogService.of(services).spent(ids)
        print(f"| spent() of 500 issues | {(time.perf_counter() - started) * 1000:.0f} | |")
    finally:
        services.close()


def _timed(services: Services, query: str) -> float:
    started = time.perf_counter()
    services.issues.search(IssueFilter(query=query), limit=100)
    return time.perf_counter() - started


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/time-bench.db")
