"""The JSON backup: SQLite -> PostgreSQL -> SQLite loses nothing, history included."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.unit.helpers import EventLog, stored_changes
from tests.unit.interchange.conftest import JIRA, TRELLO
from tracker_gui.cli_format import StatusNames, history_lines
from tracker_gui.domain import history
from tracker_gui.domain.enums import LinkKind, Priority, StatusCategory
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.interchange import (
    ImportRejected,
    export_json,
    import_jira,
    import_json,
    import_trello,
)
from tracker_gui.interchange.json_export import build
from tracker_gui.services import Services, open_services

PAYLOAD = bytes(range(256)) * 4 + b"\x00 binary \xff"


def populate(s: Services) -> None:
    """Every kind of row and Change the app writes, including ones that name deleted things."""
    import_trello(s, TRELLO)
    import_jira(s, JIRA)
    wr = s.projects.project("WR")
    st = {x.name: x for x in s.projects.statuses(wr.id)}
    font = s.issues.by_key("WR-1")
    font = s.issues.edit(
        font.id,
        font.version,
        {"title": "Pick two web fonts", "priority": Priority.HIGH, "labels": ["sky", "copy"],
         "estimate": 1.5, "parent": "WR-2", "due": dt.date(2024, 5, 1)},
    )  # fmt: skip
    font = s.issues.move(font.id, font.version, st["Doing"].id)
    note = s.issues.comment(font.id, "Shortlist: *Inter*, Source Sans — ünïcödé")
    s.issues.edit_comment(note.id, "Shortlist: *Inter*, Source Sans 3 — ünïcödé")
    s.issues.attach(font.id, "fonts.bin", PAYLOAD)
    s.issues.link(font.id, LinkKind.RELATES, "SHOP-3")  # across projects
    s.issues.watch(font.id, "bobchen")
    gone = s.issues.by_key("WR-3")
    s.issues.delete(gone.id, gone.version)  # its history stays, under a deleted issue
    blocked = s.projects.add_status(wr.id, "Blocked", StatusCategory.IN_PROGRESS, 3, "#aa0000")
    footer = s.issues.by_key("WR-4")
    s.issues.move(footer.id, footer.version, blocked.id)
    s.projects.delete_status(blocked.id, move_to=st["Code Review"].id)  # a status that is gone
    order = [x.id for x in s.projects.statuses(wr.id)]
    s.projects.reorder_statuses(wr.id, [order[1], order[0], *order[2:]])
    s.projects.set_transitions(wr.id, [(st["Backlog"].id, st["Doing"].id),
                                       (st["Doing"].id, st["Done"].id)])  # fmt: skip
    s.projects.update_status(st["Doing"].id, wip_limit=4, colour="#123456")
    s.projects.update_project("WR", "Website relaunch 2024", "Everything for the new site.")
    label = next(lab for lab in s.projects.labels(wr.id) if lab.name == "bug")
    s.projects.update_label(label, "bug", "#ff0000")
    s.projects.ensure_user("erin", "Erin Walsh", "erin@example.com")
    s.projects.save_filter("My open work", 'assignee:alice status:"In Progress"')
    s.issues.create(NewIssue("SHOP", "Made here", description="line 1\n\n\tline 2 ✓"))
    done = s.issues.by_key("SHOP-2")
    s.issues.archive(done.id, done.version)


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Services]:
    services = open_services(str(tmp_path / "source.db"), create=True, actor="alice")
    populate(services)
    yield services
    services.close()


def no_ids(value: Any, path: str = "") -> list[str]:
    """Paths of keys that would carry a database id (`id` or `..._id`)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "id" or key.endswith("_id"):
                found.append(f"{path}.{key}")
            found += no_ids(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            found += no_ids(inner, f"{path}[{n}]")
    return found


def assert_history_replays(services: Services) -> None:
    """Every living issue's Change rows rebuild exactly its current state."""
    for issue in services.issues.repo.search(
        IssueFilter(include_archived=True), with_description=True
    ):
        assert history.replay(
            services.feed.history(issue.id), history.state_of(issue)
        ) == history.state_of(issue), issue.key


@pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_round_trip_sqlite_postgres_sqlite_gives_identical_exports(
    source: Services, services: Services, tmp_path: Path
) -> None:
    first, second, third = (tmp_path / f"{n}.json" for n in ("1-sqlite", "2-postgres", "3-sqlite"))
    export_json(source, first)
    assert not services.database.is_sqlite
    report = import_json(services, first)
    assert report.committed and report.ok
    assert_history_replays(services)
    export_json(services, second)
    back = open_services(str(tmp_path / "back.db"), create=True, actor="zed")
    try:
        import_json(back, second)
        export_json(back, third)
        assert_history_replays(back)
    finally:
        back.close()
    assert first.read_text("utf-8") == second.read_text("utf-8") == third.read_text("utf-8")


def test_round_trip_on_each_backend(source: Services, services: Services, tmp_path: Path) -> None:
    out, again = tmp_path / "out.json", tmp_path / "again.json"
    export_json(source, out)
    log = EventLog(services)
    import_json(services, out)
    export_json(services, again)
    assert out.read_text("utf-8") == again.read_text("utf-8")
    assert_history_replays(services)
    assert [e.id for e in log.events] == [c.id for c in stored_changes(services)]


def test_the_file_names_no_database_id_and_is_versioned(source: Services) -> None:
    doc = build(source)
    assert (doc["format"], doc["version"]) == ("tracker-gui", 3)
    assert no_ids(doc) == []
    assert list(doc) == [
        "format", "version", "users", "projects", "sprints", "saved_filters", "worklogs",
        "history",
    ]  # fmt: skip


def test_history_rows_are_kept_with_actor_time_and_mapped_references(
    source: Services, services: Services, tmp_path: Path
) -> None:
    export_json(source, tmp_path / "out.json")
    import_json(services, tmp_path / "out.json")
    before, after = stored_changes(source), stored_changes(services)
    assert [(c.actor, c.at, c.field) for c in before] == [(c.actor, c.at, c.field) for c in after]
    projects = services.projects.projects()
    names = {s.id: s.name for p in projects for s in services.projects.statuses(p.id)}
    moves = [c for c in after if c.field == "status" and c.issue_id and c.issue_id > 0]
    font = services.issues.by_key("WR-1")
    first_move = next(c for c in moves if c.issue_id == font.id)
    assert (names[int(first_move.old or 0)], names[int(first_move.new or 0)]) == (
        "Backlog",
        "Doing",
    )
    deleted = [c for c in after if c.field == "deleted"]
    assert [(c.old, c.issue_id) for c in deleted] == [("WR-3", -1)]  # kept apart from real ids
    # the deleted issue's own `created` row, apart from the living ones
    gone_created = [c.issue_id for c in after if c.field == "created" and (c.issue_id or 0) < 0]
    assert gone_created == [-1]
    gone_status = [c for c in after if c.field == "status" and c.new and int(c.new) < 0]
    assert len(gone_status) == 1 and names[int(gone_status[0].old or 0)] == "Doing"


def test_everything_else_survives(source: Services, services: Services, tmp_path: Path) -> None:
    export_json(source, tmp_path / "out.json")
    import_json(services, tmp_path / "out.json")
    font = services.issues.detail(services.issues.by_key("WR-1").id)
    assert font.issue.uid == source.issues.by_key("WR-1").uid
    assert font.issue.version == source.issues.by_key("WR-1").version
    assert font.parent_key == "WR-2" and font.watchers == ("bobchen",)
    assert [(c.body, c.edited_at is not None) for c in font.comments] == [
        ("Shortlist: *Inter*, Source Sans 3 — ünïcödé", True)
    ]
    (attachment,) = font.attachments
    assert (attachment.name, attachment.size, attachment.uploader) == (
        "fonts.bin", len(PAYLOAD), "alice",
    )  # fmt: skip
    assert services.issues.repo.attachment_data(attachment.id) == PAYLOAD
    assert [(ln.phrase, ln.other_key) for ln in font.links] == [("relates to", "SHOP-3")]
    wr = services.projects.project("WR")
    assert (wr.name, wr.description) == ("Website relaunch 2024", "Everything for the new site.")
    doing = next(x for x in services.projects.statuses(wr.id) if x.name == "Doing")
    assert (doing.wip_limit, doing.colour) == (4, "#123456")
    assert len(services.projects.transitions(wr.id)) == 2
    erin = next(u for u in services.projects.users() if u.username == "erin")
    assert (erin.display_name, erin.email) == ("Erin Walsh", "erin@example.com")
    new = services.issues.create(NewIssue("WR", "After the restore"))
    assert new.key == "WR-14"  # WR-3 was deleted: numbers are never reused
    doc = build(services)
    assert doc["saved_filters"] == [
        {"owner": "alice", "name": "My open work", "query": 'assignee:alice status:"In Progress"'}
    ]


def test_attachments_are_base64_with_their_checksum(source: Services) -> None:
    doc = build(source)
    (item,) = [a for p in doc["projects"] for i in p["issues"] for a in i["attachments"]]
    assert base64.b64decode(item["data"]) == PAYLOAD and item["size"] == len(PAYLOAD)


def test_a_project_that_exists_is_refused(source: Services, tmp_path: Path) -> None:
    export_json(source, tmp_path / "out.json")
    with pytest.raises(ImportRejected) as caught:
        import_json(source, tmp_path / "out.json")
    where = [p.where for p in caught.value.report.errors]
    assert where[:2] == ["projects[0].key", "projects[1].key"]
    assert "already exists here" in str(caught.value)


def test_a_damaged_file_names_the_field(
    source: Services, services: Services, tmp_path: Path
) -> None:
    doc = build(source)
    issue = doc["projects"][1]["issues"][0]
    issue["status"] = "Nowhere"
    issue["comments"] = [{"author": "nobody", "body": "x", "created_at": "2024-01-01T00:00:00"}]
    doc["projects"][1]["issues"][1]["uid"] = issue["uid"]
    doc["history"][3]["new"] = {"status": "Gone"}
    doc["projects"][1]["issues"][2]["attachments"] = [
        {"name": "a", "size": 3, "sha256": "0" * 64, "uploader": "alice",
         "created_at": "2024-01-01T00:00:00", "data": "YWJj"}
    ]  # fmt: skip
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(doc), "utf-8")
    report = import_json(services, path, dry_run=True)
    got = {p.where: p.message for p in report.errors}
    assert got["projects[1].issues[0].status"] == "no status 'Nowhere' in the project"
    assert got["projects[1].issues[0].comments[0].author"] == "no user 'nobody' in the file's users"
    assert got["projects[1].issues[1].uid"].startswith(f"uid {issue['uid']} is also used by")
    assert got["history[3].new"] == "no status 'Gone' in the project"
    assert got["projects[1].issues[2].attachments[0].data"] == (
        "does not match its size and sha256 (damaged?)"
    )
    assert services.projects.projects() == []


def test_link_rows_name_the_other_issue_by_uid_and_read_by_key_after_import(
    source: Services, services: Services, tmp_path: Path
) -> None:
    """A link row stores `relates #<id>`: the file holds the uid, the import the new id."""
    font, shop = source.issues.by_key("WR-1"), source.issues.by_key("SHOP-3")
    doc = build(source)
    rows = [(r["field"], r["new"]) for r in doc["history"] if r["field"] == "link"]
    assert ("link", {"link": ["relates", {"issue": shop.uid}]}) in rows
    assert ("link", {"link": ["relates", {"issue": font.uid}]}) in rows
    assert "#" not in json.dumps([r for r in rows if isinstance(r[1], dict)])
    # Ids in the target differ from the source's: an id copied as text would name another issue.
    services.projects.ensure_project("PRE", "Made first")
    for n in range(5):
        services.issues.create(NewIssue("PRE", f"shifts the ids {n}"))
    export_json(source, tmp_path / "out.json")
    assert import_json(services, tmp_path / "out.json").ok
    names = StatusNames(services)
    for key, other in (("WR-1", "SHOP-3"), ("SHOP-3", "WR-1")):
        detail = services.issues.detail(services.issues.by_key(key).id)
        lines = [text for _, text in history_lines(services, detail, names)]
        assert f"linked: relates {other}" in lines, key
    assert services.issues.by_key("WR-1").id != font.id
