"""PostgreSQL against SQLite on the same demo data: the headless figures side by side, with ratios.

    python tests/perf/pg_ratio.py [--issues 10000] [--rounds 40] [--workdir /tmp/tracker-perf]

The PostgreSQL side is what a team member gets: an ordinary login (a project member, not a
superuser: row-level security, the definer functions and the triggers of the team set-up all
apply) over TCP on the loopback interface with a scram password, to a durable server (fsync
and synchronous_commit on). The SQLite side is the demo file of the same size. Each side runs
tests/perf/headless.py in its own process, in the same run; the target (issue 20) is a status
change and the three-field filter each within 3x of SQLite's median.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.pgtcp import TcpCluster  # noqa: E402

RATIO_TARGET = 3.0
JUDGED = ("one committed status change", "three-field filtered list")
MEMBER = "perf_member"


class DurableTcpCluster(TcpCluster):
    """The loopback cluster, durable as a real server runs (the test one skips fsync)."""

    def _server_args(self) -> list[str]:
        args = super()._server_args()
        at = args.index("fsync=off")
        return args[: at - 1] + args[at + 1 :]


def cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tracker_gui", *args],
        check=False,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"tracker-gui {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def headless(target: str, rounds: int, env: dict[str, str] | None = None) -> dict[str, object]:
    word_phrase = json.loads(
        subprocess.run(
            [sys.executable, str(HERE / "headless.py"), "terms", target],
            capture_output=True, text=True, check=True, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        ).stdout.strip().splitlines()[-1]
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, str(HERE / "headless.py"), target, str(rounds),
         str(word_phrase["word"]), str(word_phrase["phrase"])],
        check=False, capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"headless.py on {target} failed:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def medians(result: dict[str, object]) -> dict[str, float]:
    out = {}
    for name, figures in result.items():
        if name.startswith("_") or not isinstance(figures, dict):
            continue
        out[name] = statistics.median(figures["app"])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-perf"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    began = time.perf_counter()
    db = args.workdir / f"demo-{args.issues}.db"
    if not db.exists():
        cli("--db", str(db), "demo", "--issues", str(args.issues))
    cluster = DurableTcpCluster()
    cluster.start()
    try:
        superuser = cluster.create_database("ratio")
        cli("--db", superuser, "demo", "--issues", str(args.issues))
        cli("admin", "setup-postgres", "--url", superuser)  # roles, RLS, definer functions
        made = cli("--db", superuser, "admin", "add-user", MEMBER).splitlines()
        password = next(ln for ln in made if ln.startswith("password: "))[len("password: ") :]
        project = json.loads(cli("--db", superuser, "--format", "json", "projects"))[0]["key"]
        cli("--db", superuser, "admin", "grant", MEMBER, project, "member")
        with cluster.admin("ratio") as conn:
            conn.execute("ANALYZE")  # what autovacuum does after a bulk load on a real server
        member = cluster.tcp_url("ratio", MEMBER)
        lite = medians(headless(str(db), args.rounds))
        pg = medians(headless(member, args.rounds, {"PGPASSWORD": password}))
    finally:
        cluster.stop()
    print(
        f"PostgreSQL (a member login over TCP loopback, fsync on) against SQLite, "
        f"{args.issues:,} demo issues, {args.rounds} rounds, medians in ms; load average "
        f"{load:.2f} at the start; {(time.perf_counter() - began) / 60:.1f} min"
    )
    print()
    print("| headless figure | SQLite | PostgreSQL | PostgreSQL ÷ SQLite | target |")
    print("|---|---:|---:|---:|---|")
    missed = []
    for name, value in lite.items():
        other = pg.get(name)
        if other is None:
            continue
        ratio = other / value
        judged = name.startswith(JUDGED)
        verdict = ""
        if judged:
            ok = ratio <= RATIO_TARGET
            verdict = f"≤ {RATIO_TARGET:g}x {'✓' if ok else '✗'}"
            if not ok:
                missed.append(f"{name}: {ratio:.2f}x")
        print(f"| {name} | {value:.2f} | {other:.2f} | {ratio:.2f}x | {verdict} |")
    print()
    print("Targets missed: " + "; ".join(missed) if missed else "Every target met.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
