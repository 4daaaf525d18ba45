"""Client B of the two-client live tests: a separate process that moves issues and says when.

`python -m tests.e2e.live_client TARGET ACTOR STATUS KEY [KEY ...]` moves the issues (one
transaction for several: a bulk move) and prints one JSON line: the wall-clock time right
after the commit (when the bus publishes), so the test can time client A.
"""

from __future__ import annotations

import json
import sys
import time

from tracker_gui.services import open_services


def main(argv: list[str]) -> int:
    target, actor, status_name, *keys = argv
    services = open_services(target, actor=actor, quick_check=False)
    # The bus publishes right after the commit: the moment client A could first see it.
    published: list[float] = []
    services.bus.subscribe(lambda _events: published.append(time.time()))
    try:
        issues = [services.issues.by_key(key) for key in keys]
        workflow = services.projects.workflow(issues[0].project_id)
        status = next(s for s in workflow.statuses if s.name == status_name)
        if len(issues) == 1:
            services.issues.move(issues[0].id, issues[0].version, status.id)
        else:
            services.issues.bulk_move([(i.id, i.version, status.id) for i in issues])
        committed = published[0]
    finally:
        services.close()
    print(json.dumps({"committed": committed, "moved": keys}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
