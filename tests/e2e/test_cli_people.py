"""`show` names people by login with the display name beside it; JSON keeps the bare logins."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.helpers import Cli
from tracker_gui.services import open_services


def test_show_names_people_by_login_and_a_copied_display_name_fools_no_one(
    cli: Cli, db: Path
) -> None:
    assert cli("--db", str(db), "init").code == 0
    setup = open_services(str(db), actor="alice")
    try:
        setup.projects.ensure_user("alice", "Alice Smith")
        setup.projects.ensure_user("mallory", "Alice Smith")  # her own name, set to alice's
    finally:
        setup.close()
    add = cli(
        "--db", str(db), "add", "--project", "TRK", "--title", "Who is who", "--assignee", "alice"
    )
    assert add.code == 0, add
    for actor, text in (("alice", "the real one"), ("mallory", "also me, honest")):
        services = open_services(str(db), actor=actor)
        try:
            services.issues.comment(services.issues.by_key("TRK-1").id, text)
        finally:
            services.close()

    shown = cli("--db", str(db), "show", "TRK-1")
    assert shown.code == 0, shown
    assert "Assignee:  Alice Smith (alice)" in shown.out
    comments = [line.strip() for line in shown.out.splitlines() if ", 20" in line]
    assert [c.split(",")[0] for c in comments] == ["Alice Smith (alice)", "Alice Smith (mallory)"]

    data = json.loads(cli("--db", str(db), "show", "TRK-1", "--format", "json").out)
    assert data["assignee"] == "alice"
    assert [c["author"] for c in data["comments"]] == ["alice", "mallory"]
    listed = cli("--db", str(db), "list", "--assignee", "alice")
    assert listed.code == 0 and "TRK-1" in listed.out
