"""Reports at scale: the cumulative flow for a year and the cycle-time scatter over
100,000 issues with 1,000,000 Change rows, timed headless (target: under 1 s each).

    python tests/perf/report_bench.py                  # SQLite; seeds once into --workdir
    python tests/perf/report_bench.py --postgres auto  # also PostgreSQL, a throwaway cluster
    python tests/perf/report_bench.py --postgres URL   # ... or that migrated database (emptied!)

Not part of the default test run. The history is seeded with raw bulk inserts (no services):
each issue is made on a random day of 2025 and moved 9 times (a random walk over To Do / In
Progress / In Review / Done, hours to days apart, ending in Done for about 9 in 10), so the
log holds 100,000 `created` rows and 900,000 `status` rows. Each report runs --runs times
through ReportService on a warm connection (Europe/Paris days: two daylight-saving changes
in the year); the median is printed with the machine's load.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tracker_gui.domain import rank  # noqa: E402
from tracker_gui.services import open_services  # noqa: E402
from tracker_gui.services.reports import ReportRequest, ReportService  # noqa: E402

ISSUES, MOVES = 100_000, 9
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
TARGET_S = 1.0
EPOCH = dt.datetime(1970, 1, 1)


def history(seed: int = 1) -> Iterator[tuple[int, dt.datetime, list[tuple[dt.datetime, int, int]]]]:
    """(number, created, [(when, old status index, new status index), ...]) per issue,
    numbered in the order they were made."""
    rnd = random.Random(seed)
    start = dt.datetime.combine(YEAR[0], dt.time())
    made_at = sorted(
        start + dt.timedelta(seconds=rnd.randrange(365 * 86400)) for _ in range(ISSUES)
    )
    for number, made in enumerate(made_at, 1):
        at, state, moves = made, 0, []
        for move in range(MOVES):
            at += dt.timedelta(seconds=rnd.randrange(600, 4 * 86400))
            nxt = rnd.choice([s for s in range(4) if s != state])
            if move == MOVES - 1 and state != 3 and rnd.random() < 0.9:
                nxt = 3  # most issues of a year-old project are done by now
            moves.append((at, state, nxt))
            state = nxt
        yield number, made, moves


def seed_sqlite(path: Path) -> None:
    services = open_services(str(path), create=True, actor="bench")
    project, _ = services.projects.ensure_project("BEN", "Bench")
    ordered = sorted(services.projects.statuses(project.id), key=lambda s: s.position)
    statuses = [s.id for s in ordered]
    reporter = services.projects.ensure_user("bench").id
    services.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = off")
    conn.execute("BEGIN")
    ranks = rank.spread(ISSUES)
    issues: list[tuple[object, ...]] = []
    changes: list[tuple[object, ...]] = []
    for number, made, moves in history():
        micros = (made - EPOCH) // dt.timedelta(microseconds=1)
        final = statuses[moves[-1][2]]
        issues.append((str(uuid.uuid4()), project.id, number, "task", f"Issue {number}", final, 3,
                       reporter, ranks[number - 1], micros, micros))  # fmt: skip
        changes.append((project.id, number, "bench", made.isoformat(sep=" "), "created", None,
                        json.dumps({"status": str(statuses[0])})))  # fmt: skip
        for at, old, new in moves:
            changes.append((project.id, number, "bench", at.isoformat(sep=" "), "status",
                            str(statuses[old]), str(statuses[new])))  # fmt: skip
    # The log is written as things happen: its rows lie in time order, not issue by issue.
    changes.sort(key=lambda c: str(c[3]))
    first_id = conn.execute("SELECT COALESCE(MAX(id), 0) FROM issue").fetchone()[0]
    conn.executemany(
        "INSERT INTO issue (uid, project_id, number, type, title, status_id, priority,"
        " reporter_id, rank, created_at, updated_at, description, version, archived)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,'',1,0)",
        issues,
    )
    conn.executemany(
        "INSERT INTO change (project_id, issue_id, actor, at, field, old, new)"
        " VALUES (?,?,?,?,?,?,?)",
        [(c[0], first_id + int(str(c[1])), *c[2:]) for c in changes],
    )
    conn.execute("UPDATE project SET next_number = ? WHERE id = ?", (ISSUES + 1, project.id))
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def timed(service: ReportService, request: ReportRequest, runs: int) -> tuple[float, float, int]:
    """(median wall seconds, median CPU seconds of this process, points or rows). On a shared
    machine the wall time carries the other processes' load; the CPU time does not (on
    SQLite it includes the SQL, on PostgreSQL the server's share is not in it)."""
    walls, cpus, size = [], [], 0
    for _ in range(runs):
        began, cpu = time.perf_counter(), time.process_time()
        report = service.compute(request)
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - cpu)
        size = len(report.points) or len(report.rows)
    return statistics.median(walls), statistics.median(cpus), size


def measure(target: str, label: str, runs: int) -> list[str]:
    services = open_services(target, actor="bench", quick_check=False)
    try:
        service = ReportService(services.database, services.projects.catalog)
        first, last = YEAR
        rows = []
        for kind, what in (("cfd", "CFD, a year by day"), ("cycle-time", "cycle-time scatter")):
            request = ReportRequest(kind, "BEN", first=first, last=last, tz="Europe/Paris")
            service.compute(request)  # warm the connection and the page cache
            median, cpu, size = timed(service, request, runs)
            verdict = "ok" if median < TARGET_S else "OVER"
            rows.append(
                f"| {label} | {what} | {size:,} | {median:.3f} s | {cpu:.3f} s | {verdict} |"
            )
        return rows
    finally:
        services.close()


def same_numbers(lite: str, server: str) -> str:
    """Whether both backends give every report of the year row for row the same."""
    kinds = (("cfd", ""), ("cfd", "status"), ("cycle-time", ""), ("throughput", ""),
             ("created-resolved", "day"))  # fmt: skip
    results = []
    for target in (lite, server):
        services = open_services(target, actor="bench", quick_check=False)
        try:
            service = ReportService(services.database, services.projects.catalog)
            results.append([
                service.compute(ReportRequest(kind, "BEN", first=YEAR[0], last=YEAR[1],
                                              by=by, tz="Europe/Paris")).rows
                for kind, by in kinds
            ])  # fmt: skip
        finally:
            services.close()
    differ = [f"{k} {b}".strip() for (k, b), x, y in zip(kinds, *results, strict=True) if x != y]
    return "\nsame numbers on both backends: " + (
        "yes" if not differ else "NO: " + ", ".join(differ)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-report-bench"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", metavar="URL", help="a migrated, empty database to fill")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = args.workdir / "reports-100k.db"
    if not path.exists():
        began = time.perf_counter()
        partial = path.with_suffix(".partial")
        for stale in args.workdir.glob("reports-100k.partial*"):
            stale.unlink()
        seed_sqlite(partial)
        partial.rename(path)
        print(f"seeded {path} in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    lines = [
        "| backend | report | points/rows | median wall | median CPU (client) | < 1 s |",
        "|---|---|---|---|---|---|",
    ]
    lines += measure(str(path), "SQLite", args.runs)
    if args.postgres:
        from tests.perf.report_bench_pg import seed_postgres, throwaway_database

        auto = args.postgres == "auto"
        with throwaway_database() if auto else contextlib.nullcontext(args.postgres) as url:
            began = time.perf_counter()
            seed_postgres(url, path)
            print(f"copied to PostgreSQL in {time.perf_counter() - began:.1f} s", file=sys.stderr)
            lines += measure(url, "PostgreSQL", args.runs)
            lines.append(same_numbers(str(path), url))
    print("\n".join(lines))
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
