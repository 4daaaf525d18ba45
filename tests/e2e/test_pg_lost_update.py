"""Lost updates: 8 processes x 200 read-modify-write edits of one issue on a secured database.

Each writer reads the issue, adds 1 to its estimate and saves with the version it read; a
ConflictError means someone saved first: it carries the current row, from which the writer
tries again. With optimistic
locking nothing is lost: the estimate ends at the number of successes, every success is one
history row, and `version - 1` equals the successes.
"""

from __future__ import annotations

import multiprocessing
import random
import time

import pytest

from tests.support.pgcluster import PgCluster
from tests.support.secured import drop, make_secured
from tracker_gui.domain.models import NewIssue
from tracker_gui.errors import ConflictError
from tracker_gui.services import open_services

pytestmark = pytest.mark.postgres

WRITERS = 8
WRITES = 200


def _writer(url: str, issue_id: int, writes: int) -> tuple[int, int]:
    """Run in a child process: (successes, conflicts) after `writes` successful edits."""
    services = open_services(url)
    successes = conflicts = 0
    try:
        issue = services.issues.get(issue_id)
        while successes < writes:
            try:
                issue = services.issues.edit(
                    issue_id, issue.version, {"estimate": (issue.estimate or 0) + 1}
                )
            except ConflictError as exc:
                # The error carries the row as it is now: the next try starts from it.
                issue = exc.current or services.issues.get(issue_id)
                conflicts += 1
                # Back off a little, as the app's retry would: eight writers in lockstep on
                # two cores otherwise spend most of their time colliding.
                time.sleep(random.uniform(0, 0.002 * min(conflicts, 10)))
                continue
            successes += 1
    finally:
        services.close()
    return successes, conflicts


def test_eight_writers_lose_no_update(pg_cluster: PgCluster) -> None:
    secured = make_secured(pg_cluster, projects=("TRK",))
    try:
        mem = secured.services("mem")
        issue = mem.issues.create(NewIssue("TRK", "the contended issue", estimate=0.0))
        secured.close()
        # Writers log in as two different members' logins, half each.
        urls = [secured.url("mem" if n % 2 else "adm") for n in range(WRITERS)]
        started = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(WRITERS) as pool:
            results = pool.starmap(_writer, [(url, issue.id, WRITES) for url in urls])
        seconds = time.perf_counter() - started
        successes = sum(r[0] for r in results)
        conflicts = sum(r[1] for r in results)
        print(
            f"\nlost-update test: {WRITERS} writers x {WRITES} writes: successes={successes}"
            f" conflicts={conflicts} seconds={seconds:.1f}"
            f" ({successes / seconds:.0f} successful writes/s)"
        )
        check = secured.services("adm")
        final = check.issues.get(issue.id)
        history = [c for c in check.feed.history(issue.id) if c.field == "estimate"]
        assert successes == WRITERS * WRITES
        assert final.version - 1 == successes
        assert final.estimate == float(successes)
        assert len(history) == successes
        # Each success moved the value on by exactly one from the one before it.
        assert [(float(c.old or 0), float(c.new or 0)) for c in history] == [
            (float(n), float(n + 1)) for n in range(successes)
        ]
        assert {c.actor for c in history} == {secured.logins["mem"], secured.logins["adm"]}
    finally:
        drop(secured)
