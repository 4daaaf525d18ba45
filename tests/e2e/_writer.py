"""A writer process for the kill test: real services on SQLite, logging each acknowledged commit.

Usage: python tests/e2e/_writer.py DB ACKS SEED

Loops forever doing acknowledged commits (create with labels and watchers, moves, comments).
After a service call returns (the transaction has committed) it appends one JSON line to ACKS
and fsyncs it, so every line in ACKS is a commit the app told its user had happened. Prints
`ready` once the database is open, so the test kills it while it writes, not while it starts.
"""

from __future__ import annotations

import json
import os
import random
import sys
from typing import IO, Any

from tracker_gui.domain.models import NewIssue
from tracker_gui.services import open_services

PROJECT = "KIL"
LABELS = ("bug", "ui", "backend", "docs")
WATCHERS = ("bob", "carol")


def ack(out: IO[str], record: dict[str, Any]) -> None:
    out.write(json.dumps(record) + "\n")
    out.flush()
    os.fsync(out.fileno())


def main(db: str, acks: str, seed: int) -> None:
    rng = random.Random(seed)
    services = open_services(db, create=True, actor="alice")
    project, _ = services.projects.ensure_project(PROJECT, "Kill test")
    statuses = [s.id for s in services.projects.statuses(project.id)]
    with open(acks, "a", encoding="utf-8") as out:
        print("ready", flush=True)
        mine: list[int] = []
        n = 0
        while True:
            n += 1
            roll = rng.random()
            if roll < 0.4 or not mine:
                labels = tuple(rng.sample(LABELS, rng.randint(0, 3)))
                watchers = tuple(rng.sample(WATCHERS, rng.randint(0, 2)))
                issue = services.issues.create(
                    NewIssue(
                        PROJECT,
                        f"seed {seed} issue {n}",
                        labels=labels,
                        watchers=watchers,
                        status=None,
                    )
                )
                mine.append(issue.id)
                ack(
                    out,
                    {
                        "op": "create",
                        "id": issue.id,
                        "uid": issue.uid,
                        "labels": sorted(issue.labels),
                        "watchers": sorted(watchers),
                    },
                )
            elif roll < 0.75:
                issue_id = rng.choice(mine)
                current = services.issues.get(issue_id)
                target = rng.choice([s for s in statuses if s != current.status_id])
                moved = services.issues.move(issue_id, current.version, target)
                ack(
                    out,
                    {"op": "move", "id": issue_id, "status": target, "version": moved.version},
                )
            else:
                issue_id = rng.choice(mine)
                comment = services.issues.comment(issue_id, f"comment {n} from seed {seed}")
                ack(out, {"op": "comment", "id": issue_id, "comment": comment.id})


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
