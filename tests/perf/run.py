"""Performance suite: builds demo databases and prints medians and p95 of what users feel.

    python tests/perf/run.py [--issues 100000] [--workdir /tmp/tracker-perf] [--rounds 20]

Not part of the default test run. Each GUI figure comes from a fresh process running the
real MainWindow offscreen (tests/perf/gui_probe.py); baselines are measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def env() -> dict[str, str]:
    out = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out.pop("PYTHONDONTWRITEBYTECODE", None)  # measure what an installed app does: cached .pyc
    out["PYTHONPATH"] = str(ROOT)
    return out


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, capture_output=True, text=True, env=env(), check=True, cwd=ROOT, timeout=900
    )


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "tracker_gui", *args]


def probe(*args: str) -> dict[str, object]:
    done = run(sys.executable, str(HERE / "gui_probe.py"), *args)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def build(db: Path, issues: int) -> float | None:
    if db.exists():
        return None
    started = time.perf_counter()
    run(*cli("--db", str(db), "demo", "--issues", str(issues)))
    return time.perf_counter() - started


def timed(args: list[str], times: int) -> list[float]:
    out = []
    for _ in range(times):
        started = time.perf_counter()
        run(*args)
        out.append(time.perf_counter() - started)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-perf"))
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    db = args.workdir / f"demo-{args.issues}.db"
    built = build(db, args.issues)
    run(sys.executable, "-c", "import tracker_gui.app, tracker_gui.cli")  # warm the .pyc cache

    rows: list[tuple[str, float, float, str]] = []
    if built is not None:
        rows.append((f"demo --issues {args.issues} (one run)", built * 1000, built * 1000, ""))
    bare = [float(probe("baseline")["usable_s"]) for _ in range(args.starts)]
    starts = [float(probe("startup", str(db))["usable_s"]) for _ in range(args.starts)]
    ratio = statistics.median(starts) / statistics.median(bare)
    rows.append(("bare PySide6 window start (baseline)", *_ms(bare), ""))
    rows.append(("start to usable board", *_ms(starts), f"{ratio:.1f}x baseline"))
    listing = timed(cli("--db", str(db), "list", "--status", "In Progress", "--format", "json"), 5)
    version = timed(cli("--version"), 5)
    rows.append(("CLI --version (baseline)", *_ms(version), ""))
    ratio = statistics.median(listing) / statistics.median(version)
    rows.append(('CLI list --status "In Progress" json', *_ms(listing), f"{ratio:.1f}x baseline"))
    inter = probe("interact", str(db), str(args.rounds))
    series = {k: [float(v) for v in vals] for k, vals in inter.items()}  # type: ignore[attr-defined]
    paint = statistics.median(series["repaint_ms"])
    service = statistics.median(series["service_move_ms"])
    rows += [
        ("window repaint alone (baseline)", *_stats(series["repaint_ms"]), ""),
        ("filter switch to repainted board", *_stats(series["filter_ms"]),
         f"{statistics.median(series['filter_ms']) / paint:.1f}x repaint"),
        ("service move alone (baseline)", *_stats(series["service_move_ms"]), ""),
        ("drag between columns: drop to commit", *_stats(series["drop_commit_ms"]),
         f"{statistics.median(series['drop_commit_ms']) / service:.1f}x service"),
        ("drag: drop to committed and repainted", *_stats(series["drop_repaint_ms"]), ""),
        ("open an issue in the detail pane", *_stats(series["detail_ms"]), ""),
    ]  # fmt: skip
    print(f"Tracker performance, {args.issues:,} issues (SQLite), {args.rounds} rounds")
    print(f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    print(f"{'measure':46} {'median ms':>10} {'p95 ms':>10}  note")
    for name, median, high, note in rows:
        print(f"{name:46} {median:10.1f} {high:10.1f}  {note}")
    return 0


def _ms(seconds: list[float]) -> tuple[float, float]:
    return statistics.median(seconds) * 1000, p95(seconds) * 1000


def _stats(ms: list[float]) -> tuple[float, float]:
    return statistics.median(ms), p95(ms)


if __name__ == "__main__":
    sys.exit(main())
