"""A second process for the GUI stress test: N committed changes to the board's project.

Usage: python tests/gui/_stress_writer.py DB COUNT SEED

Moves, reorders, edits, comments and a few creates, acting as bob through the real services.
A conflict with the person dragging in the window is retried on the fresh row, as a user
would. Prints `ready` first and `done N` at the end.
"""

from __future__ import annotations

import random
import sys

from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.errors import ConflictError, StorageError
from tracker_gui.services import open_services

MAX_ISSUES = 50  # a column's first page holds 60: every card stays loaded in the window


def main(db: str, count: int, seed: int) -> None:
    rng = random.Random(seed)
    s = open_services(db, actor="bob")
    # This test is about concurrency, not power loss (the kill test covers durability):
    # skipping the fsync per commit lets 5,000 commits fit in a test run. Commits stay atomic.
    with s.database.reading():
        s.database.peewee.execute_sql("PRAGMA synchronous = NORMAL")
    project = s.projects.project("TRK")
    statuses = [st.id for st in s.projects.statuses(project.id)]
    flt = IssueFilter(project_ids=(project.id,))
    print("ready", flush=True)
    done = retries = 0
    ids = [i.id for i in s.issues.search(flt, limit=1000)]
    while done < count:
        roll = rng.random()
        try:
            if roll < 0.03 and len(ids) < MAX_ISSUES:
                ids.append(s.issues.create(NewIssue("TRK", f"outside {done}")).id)
            elif roll < 0.55:
                issue = s.issues.get(rng.choice(ids))
                s.issues.move(issue.id, issue.version, rng.choice(statuses))
            elif roll < 0.75:
                issue = s.issues.get(rng.choice(ids))
                other = s.issues.get(rng.choice(ids))
                if other.id == issue.id or other.status_id != issue.status_id:
                    continue
                s.issues.move(issue.id, issue.version, before_id=other.id)
            elif roll < 0.9:
                issue = s.issues.get(rng.choice(ids))
                s.issues.edit(issue.id, issue.version, {"title": f"edited {done}"})
            else:
                s.issues.comment(rng.choice(ids), f"comment {done}")
        except (ConflictError, StorageError):
            retries += 1
            continue
        done += 1
    s.close()
    print(f"done {done} retries {retries}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
