"""Offline team mode at scale: the first sync of an N-issue project, and a pull of 1,000 edits.

    python tests/perf/sync_bench.py              # 100,000 issues, about two and a half minutes
    python tests/perf/sync_bench.py --issues 10000

Not part of the default test run. A throwaway TCP cluster; the demo is filled before the
database is secured (the demo's bulk writer numbers issues itself, which a secured database
does not allow), then a viewer's copy is made with `SyncService.sync()`, an admin edits the
titles of 1,000 issues on the server, and the viewer syncs again. Targets of issue 16: the
first sync of 100,000 issues under 60 s, pulling 1,000 remote changes under 1 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.attacks import PASSWORD
from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured
from tests.sync.helpers import engine
from tracker_gui.domain.models import IssueFilter
from tracker_gui.services import open_services
from tracker_gui.services.demo import fill_demo
from tracker_gui.storage.postgres import provision


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=100_000)
    n = parser.parse_args().issues
    cluster = TcpCluster()
    cluster.start()
    try:
        cluster.create_database("bench")
        db = Secured(cluster, "bench")
        boss = open_services(db.super_url, create=True)
        fill_demo(boss, n, 1, "TRK")
        boss.close()
        provision.setup_postgres(db.super_url)
        boss = open_services(db.super_url)
        for short, role in (("vie", "viewer"), ("adm", "admin")):
            provision.add_user(boss.database, f"bench_{short}", PASSWORD)
            provision.grant(boss.database, f"bench_{short}", "TRK", role)
            db.logins[short] = f"bench_{short}"
        boss.close()
        sync = engine(db, "vie", Path(tempfile.mkdtemp()))
        start = time.perf_counter()
        first = sync.sync()
        first_s = time.perf_counter() - start
        adm = db.services("adm")
        for i, issue in enumerate(adm.issues.search(IssueFilter(), limit=1000)):
            adm.issues.edit(issue.id, issue.version, {"title": f"Edited {i}"})
        start = time.perf_counter()
        later = sync.sync()
        later_s = time.perf_counter() - start
        start = time.perf_counter()
        sync.sync()
        idle_s = time.perf_counter() - start
        db.close()
        size = sync.path.stat().st_size / 1e6
        print("| measure | value | target |\n|---|---|---|")
        print(f"| first sync, {n:,} issues ({first.pulled:,} changes) | {first_s:.1f} s | < 60 s |")
        print(f"| pull of {later.pulled:,} remote edits | {later_s:.2f} s | < 1 s |")
        print(f"| sync with nothing new | {idle_s:.2f} s | |")
        print(f"| size of the copy | {size:.1f} MB | |")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
