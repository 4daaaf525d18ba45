"""CI: build the app, then smoke-test it on SQLite and on a throwaway PostgreSQL cluster.

    python packaging/ci_smoke.py [build.py options, e.g. --skip-build]

Starts a private cluster (tests/support/pgcluster.py), creates an empty database, runs
`packaging/build.py --smoke --pg-url URL`, and stops the cluster whatever happens.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.pgcluster import PgCluster  # noqa: E402


def main(argv: list[str]) -> int:
    if PgCluster.find_bindir() is None:
        print("ci_smoke: PostgreSQL server binaries not found (no initdb)", file=sys.stderr)
        return 1
    with PgCluster() as cluster:
        url = cluster.create_database("tracker_smoke")
        print(f"ci_smoke: throwaway PostgreSQL at {url}", flush=True)
        command = [sys.executable, str(ROOT / "packaging" / "build.py"), "--smoke", "--pg-url", url]
        return subprocess.run([*command, *argv], cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
