"""Headless figures (services and queries only), each next to the same SQL sent raw by the driver.

Run in its own process by tests/perf/run.py: `python tests/perf/headless.py TARGET ROUNDS WORD
PHRASE` prints one JSON line. The raw figure replays the very statements the app sent for one
call (captured from peewee) through a bare sqlite3 / psycopg connection on the same database:
the ratio is what the app adds on top of the database (ORM, conversion, validation, events).
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from tests.perf.rawsql import Raw, Recorder, ms
from tracker_gui.domain.cards import Card
from tracker_gui.domain.enums import Priority
from tracker_gui.domain.models import Issue, IssueFilter
from tracker_gui.services import open_services

PAGE = 60  # the board's first page per column (ui.models.column_model.PAGE_SIZE)
BULK = 1_000


def measure(
    rec: Recorder, raw: Raw, fn: Callable[[], object], rounds: int, replay: bool = True
) -> dict[str, list[float]]:
    fn()  # warm caches (workflow, statements, pages) as a running app has them warm
    app = [ms(fn) for _ in range(rounds)]
    out = {"app": app}
    if replay:
        statements = rec.capture(fn)
        raw.replay(statements)
        out["raw"] = [ms(lambda: raw.replay(statements)) for _ in range(rounds)]
        out["statements"] = [float(len(statements))]
    return out


def fsync_ms(folder: str, rounds: int = 30) -> list[float]:
    """What one write + fsync of 4 KiB costs on this disk (a commit's floor at synchronous=FULL)."""
    path = os.path.join(folder, "fsync-probe.bin")
    out = []
    with open(path, "wb") as f:
        for _ in range(rounds):
            f.write(b"x" * 4096)
            f.flush()
            out.append(ms(lambda: os.fsync(f.fileno())))
    os.unlink(path)
    return out


def terms(target: str) -> dict[str, object]:
    """A title word and a two-word title phrase, each found in about 1% of the issues."""
    from collections import Counter

    from tracker_gui.storage.search import STOPWORDS, words_of

    services = open_services(target, actor="perf")
    total = services.issues.count(IssueFilter())
    sample = services.issues.search(IssueFilter(), sort="key", limit=400)
    singles: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for issue in sample:
        found = [w for w in words_of(issue.title) if len(w) > 3 and w not in STOPWORDS]
        singles.update(set(found))
        words = words_of(issue.title)
        pairs.update(
            (a, b)
            for a, b in itertools.pairwise(words)
            if a not in STOPWORDS and b not in STOPWORDS
        )
    # Rare words of the sample first: their counts are nearest 1%.
    candidates = [w for w, _ in sorted(singles.items(), key=lambda kv: kv[1])][:60]
    wanted = total / 100
    counted = {w: services.issues.count(IssueFilter(query=w)) for w in candidates}
    word = min(counted, key=lambda w: (abs(counted[w] - wanted), w))
    # Two-word phrases of the sample, rarest first; the one nearest 1% too.
    duos = [" ".join(p) for p, _ in sorted(pairs.items(), key=lambda kv: (kv[1], kv[0]))][:150]
    phrased = {p: services.issues.count(IssueFilter(query=f'"{p}"')) for p in duos}
    phrase = min(phrased, key=lambda p: (abs(phrased[p] - wanted), p))
    return {
        "word": word,
        "word_hits": counted[word],
        "phrase": phrase,
        "phrase_hits": phrased[phrase],
        "total": total,
    }


def main() -> None:
    if sys.argv[1] == "terms":
        print(json.dumps(terms(sys.argv[2])), flush=True)
        os._exit(0)
    target, rounds, word, phrase = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    services = open_services(target, actor="perf")
    rec = Recorder(services)
    raw = Raw(target)
    issues = services.issues
    project = services.projects.projects()[0]
    statuses = services.projects.statuses(project.id)
    board = IssueFilter(project_ids=(project.id,))
    people = [u.username for u in services.projects.users() if u.username != "perf"]
    three = IssueFilter(
        project_ids=(project.id,),
        status_ids=(statuses[1].id,),
        assignees=(people[0],),
        priorities=(Priority.HIGH,),
    )

    def board_data() -> None:
        issues.count_by_status(board)
        for status in statuses:
            issues.column(status.id, board, 0, PAGE)

    results: dict[str, Any] = {
        "board data (counts + first page per column)": measure(rec, raw, board_data, rounds),
        "three-field filtered list (status, assignee, priority)": measure(
            rec, raw, lambda: issues.search(three, sort="key"), rounds
        ),
        f"full-text search, word `{word}`": measure(
            rec, raw, lambda: issues.search(IssueFilter(query=word)), rounds
        ),
        f'full-text search, phrase `"{phrase}"`': measure(
            rec, raw, lambda: issues.search(IssueFilter(query=f'"{phrase}"')), rounds
        ),
        f"quick switcher find `{word}` (20 hits, snippets)": measure(
            rec, raw, lambda: issues.find(word), rounds
        ),
    }
    results["_counts"] = {
        "word": issues.count(IssueFilter(query=word)),
        "phrase": issues.count(IssueFilter(query=f'"{phrase}"')),
        "three": issues.count(three),
    }
    # One committed status change: the issue row, its Change rows, every index and the
    # full-text trigger's row, then the read-back the board shows.
    current: Card | Issue = issues.column(statuses[0].id, board, 0, 1)[0]
    moves = 0

    def move() -> None:
        nonlocal current, moves
        moves += 1
        current = issues.move(current.id, current.version, statuses[moves % 2].id)

    results["one committed status change (+ Change rows)"] = measure(rec, raw, move, rounds)
    # Bulk: 1,000 issues moved one by one, each its own committed transaction.
    batch = issues.column(statuses[0].id, board, 0, BULK)
    goal = statuses[2].id
    each = []
    started = time.perf_counter()
    for issue in batch:
        each.append(ms(functools.partial(issues.move, issue.id, issue.version, goal)))
    total = time.perf_counter() - started
    # Put them back (untimed) so the next run of the suite finds the same board.
    for issue in batch:
        moved = issues.get(issue.id)
        issues.move(moved.id, moved.version, issue.status_id)
    results["_bulk"] = {"moved": len(batch), "total_s": total, "each_ms": each}
    if raw.sqlite:
        results["_fsync_ms"] = fsync_ms(os.path.dirname(os.path.abspath(target)))
    print(json.dumps(results), flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()
