"""Performance suite: demo databases on SQLite and PostgreSQL, medians and p95, as a markdown table.

    python tests/perf/run.py                                   # 10k and 100k, both backends
    python tests/perf/run.py --sizes 10000 --backends sqlite   # the quick run (a few minutes)

Not part of the default test run. For each size and backend it builds a database with
`tracker-gui demo` (SQLite files are kept in --workdir and reused; PostgreSQL runs in a
throwaway durable cluster, fsync on), then measures in fresh processes: cold starts of the
real MainWindow offscreen, the in-app figures (tests/perf/gui_probe.py) and the headless ones
(tests/perf/headless.py). Every figure that reads the database is set against the very SQL
it sent, replayed through a bare sqlite3 / psycopg connection on the same database.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

# (figure key, label, target ms on SQLite; PostgreSQL gets twice that, None = no target)
GUI_ROWS = (
    ("filter_ms", "filter toggle to repainted board", 50.0),
    ("keystroke_ms", "query keystroke to repainted board", 50.0),
    ("fts_word_ms", "full-text word to repainted board", 30.0),
    ("fts_phrase_ms", "full-text phrase to repainted board", 30.0),
    ("switcher_ms", "quick switcher: text to painted hits", 30.0),
    ("board_load_ms", "board load, one project (rebuild + paint)", None),
    ("drop_commit_ms", "drag between columns: drop to commit", 20.0),
    ("drop_repaint_ms", "drag: drop to committed and repainted", None),
    ("detail_ms", "open an issue in the detail pane", 30.0),
    ("repaint_ms", "window repaint alone (baseline)", None),
    ("service_move_ms", "service move alone (baseline)", None),
)
HEADLESS_TARGETS = {
    "board data": 15.0,
    "three-field": 2.0,
    "full-text search, word": 2.0,
    "full-text search, phrase": 2.0,
    "one committed status change": 1.0,
}


def env() -> dict[str, str]:
    out = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out.pop("PYTHONDONTWRITEBYTECODE", None)  # measure what an installed app does: cached .pyc
    out["PYTHONPATH"] = str(ROOT)
    return out


def run(*args: str, timeout: int = 3600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        args, capture_output=True, text=True, env=env(), cwd=ROOT, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])}… failed:\n{done.stderr[-3000:]}")
    return done


def last_json(done: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(done.stdout.strip().splitlines()[-1])


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "tracker_gui", *args]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def med(values: list[float]) -> float:
    return statistics.median(values)


class Table:
    """Rows of the markdown table; `missed` collects what failed its target."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []
        self.missed: list[str] = []

    def add(
        self,
        where: str,
        name: str,
        values: list[float],
        raw: list[float] | None = None,
        target: float | None = None,
        on: str = "p95",
        unit: str = "ms",
    ) -> None:
        median, high = med(values), p95(values)
        ratio = f"{median / med(raw):.1f}x ({med(raw):.2f} ms)" if raw else ""
        verdict = ""
        if target is not None:
            measured = high if on == "p95" else median
            ok = measured < target
            verdict = f"{on} < {target:g} {'✓' if ok else '✗'}"
            if not ok:
                self.missed.append(f"{where}: {name}: {on} {measured:.1f} {unit} ≥ {target:g}")
        self.rows.append(
            (where, name, _num(median), _num(high) if len(values) > 1 else "", ratio, verdict)
        )

    def note(self, where: str, name: str, text: str) -> None:
        self.rows.append((where, name, text, "", "", ""))

    def markdown(self) -> str:
        head = "| where | measure | median | p95 | vs raw SQL (median) | target |"
        lines = [head, "|---|---|---:|---:|---|---|"]
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(lines)


def _num(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}" if value < 10 else f"{value:.1f}"


# -- databases ---------------------------------------------------------------------------
def build(target: str, issues: int) -> float:
    started = time.perf_counter()
    run(*cli("--db", target, "demo", "--issues", str(issues)))
    return time.perf_counter() - started


@contextmanager
def postgres(enabled: bool) -> Iterator[Any]:
    if not enabled:
        yield None
        return
    from tests.support.pgcluster import PgCluster

    cluster = PgCluster(durable=True)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


# -- one size on one backend -------------------------------------------------------------
def measure(
    table: Table, target: str, backend: str, size: int, terms: dict[str, Any], args: Any
) -> None:
    where = f"{backend}, {size // 1000}k"
    factor = 3.0 if backend == "postgres" else 1.0  # issue 20: PostgreSQL within 3x
    word, phrase = str(terms["word"]), str(terms["phrase"])
    starts = [
        float(last_json(run(sys.executable, str(HERE / "gui_probe.py"), "startup", target))[
            "usable_s"
        ]) * 1000
        for _ in range(args.starts)
    ]  # fmt: skip
    table.add(where, "cold start to painted, usable window", starts, None, 1200 * factor)
    if backend == "sqlite":  # the app's own path: Session also wires the live feed and tray
        runs = [
            last_json(run(sys.executable, str(HERE / "gui_probe.py"), "session", target))
            for _ in range(args.starts)
        ]
        table.add(where, "cold start, app.Session: to painted cards",
                  [r["usable_s"] * 1000 for r in runs])  # fmt: skip
        table.add(where, "cold start, app.Session: live feed, tray, notifications wired",
                  [r["wired_s"] * 1000 for r in runs])  # fmt: skip
    probe = [sys.executable, str(HERE / "gui_probe.py"), "interact", target]
    gui = last_json(run(*probe, str(args.rounds), word, phrase))
    for key, label, goal in GUI_ROWS:
        text = label.replace("word", f"word `{word}`").replace("phrase", f'phrase "{phrase}"')
        table.add(where, text, gui[key], gui.get(key + "_raw"), goal and goal * factor)
    for key, label in (("filter", "filter toggle"), ("fts_word", f"full-text word `{word}`")):
        if key + "_kpx" in gui:  # what the change repainted: the whole window is 1,600 kpx
            table.add(where, f"{label}: paint events", gui[key + "_paints"], unit="")
            table.add(where, f"{label}: cards painted", gui[key + "_cards"], unit="")
            table.add(where, f"{label}: window area repainted (kpx of 1,600)", gui[key + "_kpx"],
                      unit="")  # fmt: skip
    table.add(where, "GUI process peak RSS (MB)", gui["rss_mb"], None, 300, "median", "MB")
    heads = last_json(
        run(sys.executable, str(HERE / "headless.py"), target, str(args.rounds), word, phrase)
    )
    counts = heads.pop("_counts")
    bulk = heads.pop("_bulk")
    fsync = heads.pop("_fsync_ms", None)
    for name, figures in heads.items():
        goal = next((v for k, v in HEADLESS_TARGETS.items() if name.startswith(k)), None)
        label = f"headless: {name}"
        if name.startswith("three-field"):
            label += f" → {counts['three']} issues"
        elif name.startswith("full-text search, word"):
            label += f" → {counts['word']} issues"
        elif name.startswith("full-text search, phrase"):
            label += f" → {counts['phrase']} issues"
        table.add(where, label, figures["app"], figures["raw"], goal and goal * factor, "median")
    table.add(where, f"bulk: {bulk['moved']:,} moves one by one, each committed (per move)",
              bulk["each_ms"])  # fmt: skip
    table.note(where, "bulk: the whole run", f"{bulk['total_s']:.1f} s")
    if fsync:
        table.add(where, "disk: one 4 KiB write + fsync (a commit's floor)", fsync)


def sqlite_facts() -> str:
    version = sqlite3.sqlite_version
    return f"SQLite {version}"


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except OSError:
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    except OSError:
        pass
    import PySide6

    return (
        f"{platform.platform()}, {os.cpu_count()} cores ({cpu}){mem}; Python "
        f"{platform.python_version()}, PySide6 {PySide6.__version__}, {sqlite_facts()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backends", nargs="+", choices=("sqlite", "postgres"),
                        default=["sqlite", "postgres"])  # fmt: skip
    parser.add_argument("--rounds", type=int, default=20, help="samples per figure")
    parser.add_argument("--starts", type=int, default=5, help="cold starts per database")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-perf"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    run(sys.executable, "-c", "import tracker_gui.app, tracker_gui.cli")  # warm the .pyc cache
    table = Table()
    pg_version = ""
    built: dict[tuple[str, int], float] = {}
    with postgres("postgres" in args.backends) as cluster:
        for size in args.sizes:
            targets: list[tuple[str, str]] = []
            if "sqlite" in args.backends:
                db = args.workdir / f"demo-{size}.db"
                if not db.exists():
                    built[("sqlite", size)] = build(str(db), size)
                targets.append(("sqlite", str(db)))
            if cluster is not None:
                url = cluster.create_database(f"perf_{size}")
                built[("postgres", size)] = build(url, size)
                targets.append(("postgres", url))
                if not pg_version:
                    import psycopg

                    with psycopg.connect(url) as conn:
                        row = conn.execute("SHOW server_version").fetchone()
                        pg_version = f"PostgreSQL {row[0] if row else '?'} (unix socket, fsync on)"
            terms = last_json(run(sys.executable, str(HERE / "headless.py"), "terms",
                                  targets[0][1]))  # fmt: skip
            for backend, target in targets:
                print(f"… {backend} {size:,}: word {terms['word']!r} ({terms['word_hits']}), "
                      f"phrase {terms['phrase']!r} ({terms['phrase_hits']})",
                      file=sys.stderr, flush=True)  # fmt: skip
                if (backend, size) in built:
                    seconds = built[(backend, size)]
                    table.note(f"{backend}, {size // 1000}k", "build: `demo`", f"{seconds:.1f} s")
                measure(table, target, backend, size, terms, args)
    minutes = (time.perf_counter() - began) / 60
    print(f"Tracker performance: sizes {', '.join(f'{s:,}' for s in args.sizes)}; "
          f"{', '.join(args.backends)}; {args.rounds} rounds, {args.starts} cold starts "
          f"({minutes:.1f} min)")  # fmt: skip
    print(f"Machine: {machine()}" + (f"; {pg_version}" if pg_version else ""))
    print()
    print(table.markdown())
    print()
    if table.missed:
        print("Targets missed:")
        for line in table.missed:
            print(f"- {line}")
    else:
        print("Every target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
