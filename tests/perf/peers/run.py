#!/usr/bin/env python3
"""Run the shared peer benchmark (Roundup, Trac and Tracker in one run) and print issue 20's
target table: each of our figures, the peer or floor it is held against, the ratio, the target.

    python tests/perf/peers/run.py                  # N=10000, all seven variants (~10 min)
    python tests/perf/peers/run.py --sizes "10000 1000"
    python tests/perf/peers/run.py --results FILE   # only print the table of an earlier run

The harness (run_all.sh and its bench scripts) lives in the shared folder beside the
project (`../shared/bench/peers/`, found by walking up from here, or PEERS_HARNESS). It is
run with TRACKER_SRC = this checkout; TRACKER_VENV, PEERS_VENV and WORKDIR pass through.
Ratios are only meaningful inside one run: the load average at its start and end is shown.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TRAC_WAL = ("trac", "journal_mode=WAL")
OURS = ("tracker-gui", "create=per-issue")
IMPORT = ("tracker-gui", "create=csv-import")
RAW = ("tracker-gui", "raw-sqlite3")


def harness() -> Path:
    given = os.environ.get("PEERS_HARNESS")
    if given:
        return Path(given)
    for parent in ROOT.parents:
        candidate = parent / "shared" / "bench" / "peers"
        if (candidate / "run_all.sh").exists():
            return candidate
    sys.exit("run.py: no shared/bench/peers/run_all.sh above the project; set PEERS_HARNESS")


def run(sizes: str, out: Path) -> None:
    env = {**os.environ, "SIZES": sizes, "TRACKER_SRC": str(ROOT), "OUT": str(out)}
    subprocess.run(["bash", str(harness() / "run_all.sh")], env=env, check=True)


def _by_run(records: list[dict]) -> dict[tuple[str, str, int], dict[str, dict]]:
    out: dict[tuple[str, str, int], dict[str, dict]] = {}
    for r in records:
        out.setdefault((r["tracker"], r.get("variant", ""), r["n"]), {})[r["step"]] = r
    return out


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}"


def table(results: dict) -> str:
    meta, runs = results["meta"], _by_run(results["records"])
    lines = [
        f"{meta.get('date', '?')}, {meta.get('host', '?')}, {meta.get('cpus', '?')} cpus; load "
        f"{meta.get('loadavg_start', '?')} at the start, {meta.get('loadavg_end', '?')} at the"
        f" end; fsync median {meta.get('fsync_ms_median', '?')} ms; tracker commit "
        f"{str(meta.get('tracker_commit', '?'))[:10]}",
        "",
        "| N | figure | Tracker | against | that | ratio | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for n in sorted({k[2] for k in runs}, reverse=True):
        ours, trac = runs.get((*OURS, n), {}), runs.get((*TRAC_WAL, n), {})
        imp, raw = runs.get((*IMPORT, n), {}), runs.get((*RAW, n), {})

        def get(run: dict[str, dict], step: str, key: str, scale: float = 1.0) -> float | None:
            value = run.get(step, {}).get(key)
            return None if value is None else float(value) * scale

        rows = [
            ("committed status change, ms", get(ours, "status_changes", "per_change_ms"),
             "Trac WAL", get(trac, "status_changes", "per_change_ms"), "<= 1.2"),
            ("board data (all open), ms", get(ours, "board_load", "median_s", 1000),
             "Trac WAL", get(trac, "board_load", "median_s", 1000), "<= 1.0"),
            ("three-field filter, ms", get(ours, "filter", "median_s", 1000),
             "Trac WAL", get(trac, "filter", "median_s", 1000), "<= 0.5"),
            ("word search, ms", get(ours, "search", "median_s", 1000),
             "Trac WAL", get(trac, "search", "median_s", 1000), "<= 0.2"),
            ("list --text, ms", get(ours, "search", "text_filter_median_s", 1000),
             "Trac WAL search", get(trac, "search", "median_s", 1000), "-"),
            ("create, per issue (mean), ms", get(ours, "create", "per_1000_s"),
             "raw, per issue", get(raw, "create", "per_1000_s"), "<= 1.5 ms"),
            ("create, bulk import, s/1000", get(imp, "create", "per_1000_s"),
             "raw, one transaction", get(raw, "create", "one_transaction_per_1000_s"), "<= 1.2"),
            ("database size, MB", get(ours, "disk", "sqlite_bytes", 1 / 1e6),
             "Trac WAL", get(trac, "disk", "sqlite_bytes", 1 / 1e6), "<= 2.0"),
        ]  # fmt: skip
        for name, mine, against, theirs, target in rows:
            shown = "-" if mine is None else f"{mine:.3g}"
            that = "-" if theirs is None else f"{theirs:.3g}"
            lines.append(
                f"| {n} | {name} | {shown} | {against} | {that} | {_ratio(mine, theirs)} "
                f"| {target} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--results", type=Path, help="print the table of this results file")
    args = parser.parse_args()
    path = args.results
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="tracker-peers-")) / "results.json"
        run(args.sizes, path)
    print(table(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
