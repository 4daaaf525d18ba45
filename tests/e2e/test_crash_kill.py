"""SIGKILL a writer 50 times mid-work: no acknowledged commit is lost, nothing is half-applied.

The writer (tests/e2e/_writer.py) runs the real services on one SQLite file and logs every
commit after the service call returns. The same file is reused across kills, so each run
starts on whatever the previous kill left (a hot WAL included).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tracker_gui.domain import history
from tracker_gui.domain.models import IssueFilter
from tracker_gui.services import open_services

WRITER = Path(__file__).with_name("_writer.py")
KILLS = 50
ROOT = Path(__file__).resolve().parents[2]


def read_acks(path: Path) -> list[dict[str, Any]]:
    """Every whole line of the side file (a kill mid-write may leave a torn last line)."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").split("\n")
    return [json.loads(line) for line in lines[:-1] if line]


def start_writer(db: Path, acks: Path, seed: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(acks), str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "ready":
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"writer did not start: {line!r}\n{err}")
    return proc


def raw_rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def check_after_kill(db: Path, acks: list[dict[str, Any]]) -> None:
    """Integrity, every acknowledged commit present, every issue consistent with its log."""
    assert raw_rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert raw_rows(db, "PRAGMA foreign_key_check") == []

    services = open_services(str(db), actor="alice")
    try:
        issues = {
            i.id: i for i in services.issues.search(IssueFilter(include_archived=True), limit=10**6)
        }
        log: dict[int, list[Any]] = {}
        for change in services.feed.changes_since(0, limit=10**7):
            if change.issue_id is None:  # project-level rows (the project's creation)
                continue
            log.setdefault(change.issue_id, []).append(change)
        # Nothing half-applied: no issue without its log, no log without its issue, and the
        # log replays to exactly what is stored (status of every move, labels, rank...).
        assert set(log) == set(issues)
        for issue_id, issue in issues.items():
            assert log[issue_id][0].field == history.CREATED, issue.key
            assert history.replay(log[issue_id], history.state_of(issue)) == history.state_of(
                issue
            ), issue.key
        comments = Counter(row[0] for row in raw_rows(db, "SELECT issue_id FROM comment"))
        logged = Counter(i for i, changes in log.items() for c in changes if c.field == "comment")
        assert comments == logged
        watchers: dict[int, set[str]] = {}
        for issue_id, name in raw_rows(
            db, "SELECT w.issue_id, u.username FROM watcher w JOIN app_user u ON u.id = w.user_id"
        ):
            watchers.setdefault(issue_id, set()).add(name)
        comment_ids = {row[0] for row in raw_rows(db, "SELECT id FROM comment")}

        # Every acknowledged commit is there.
        for ack in acks:
            assert ack["id"] in issues, f"acknowledged {ack} is lost"
            issue = issues[ack["id"]]
            if ack["op"] == "create":
                assert issue.uid == ack["uid"]
                assert sorted(issue.labels) == ack["labels"]
                assert sorted(watchers.get(issue.id, set())) == ack["watchers"]
            elif ack["op"] == "move":
                assert issue.version >= ack["version"]
                moves = [
                    c for c in log[issue.id] if c.field == "status" and c.new == str(ack["status"])
                ]
                assert moves, f"acknowledged {ack} has no Change row"
            else:
                assert ack["comment"] in comment_ids, f"acknowledged {ack} is lost"
    finally:
        services.close()


def test_fifty_kills_lose_no_acknowledged_commit(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    acks_file = tmp_path / "acks.jsonl"
    rng = random.Random(int(os.environ.get("TRACKER_KILL_SEED", "20261126")))
    started = time.monotonic()
    per_run: list[int] = []
    for kill in range(KILLS):
        before = len(read_acks(acks_file))
        proc = start_writer(db, acks_file, seed=kill)
        try:
            time.sleep(rng.uniform(0.0, 0.3))
            assert proc.poll() is None, proc.communicate()[1]
        finally:
            proc.kill()  # SIGKILL on POSIX
            proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        # A torn last line is no acknowledgement; cut it so the next run appends cleanly.
        text = acks_file.read_text(encoding="utf-8") if acks_file.exists() else ""
        if text and not text.endswith("\n"):
            acks_file.write_text(text[: text.rfind("\n") + 1], encoding="utf-8")
        acks = read_acks(acks_file)
        per_run.append(len(acks) - before)
        check_after_kill(db, acks)
    elapsed = time.monotonic() - started
    total = len(read_acks(acks_file))
    ops = Counter(a["op"] for a in read_acks(acks_file))
    print(
        f"\nkill test: {KILLS} SIGKILLs, {total} acknowledged commits "
        f"({dict(ops)}), per run min {min(per_run)} / max {max(per_run)}, "
        f"0 lost, 0 integrity failures, {elapsed:.1f} s"
    )
    assert total > KILLS, "the writer barely wrote anything: the kills tested nothing"
    assert sum(1 for n in per_run if n > 0) >= KILLS // 2


def test_the_checker_notices_a_half_applied_issue(tmp_path: Path) -> None:
    """The check above can fail: an issue whose Change rows are gone is reported."""
    db = tmp_path / "kill.db"
    acks_file = tmp_path / "acks.jsonl"
    proc = start_writer(db, acks_file, seed=1)
    time.sleep(0.3)
    proc.kill()
    proc.communicate()
    acks = read_acks(acks_file)
    check_after_kill(db, acks)
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM change WHERE id = (SELECT max(id) FROM change)")
    conn.commit()
    conn.close()
    with pytest.raises(AssertionError):
        check_after_kill(db, acks)
