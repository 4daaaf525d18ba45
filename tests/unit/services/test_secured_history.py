"""On a secured database the triggers write the Change log: it must read as the services write it.

One script of service calls runs on a plain PostgreSQL database (the services write history)
and on a secured one (triggers write it, the services read it back); the rows, and the events
the services publish, must be the same field for field and character for character.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.domain.enums import IssueType, LinkKind, Priority, StatusCategory
from tracker_gui.domain.models import Change, NewIssue
from tracker_gui.services import Services, open_services

pytestmark = pytest.mark.postgres

Row = tuple[Any, ...]


def _script(s: Services) -> None:
    """Every kind of write the services log, with awkward text on purpose."""
    p = s.projects.project("TRK")
    st = s.projects.statuses(p.id)
    a = s.issues.create(
        NewIssue(
            "TRK",
            'Ünïcode ☃ 🎉 "quoted" \\ back\ttab',
            description="line1\nline2\x7f\x01 end",
            labels=("beta", "Alpha", "ωmega"),
            estimate=2.0,
            due=dt.date(2030, 1, 2),
            priority=Priority.HIGH,
            assignee="sec_mem",
            watchers=("sec_adm",),
        )
    )
    b = s.issues.create(NewIssue("TRK", "child", parent_key=a.key, estimate=0.1))
    a = s.issues.edit(
        a.id,
        a.version,
        {
            "title": "plain title",
            "description": "new text",
            "type": IssueType.BUG,
            "priority": "low",
            "due": None,
            "estimate": 12.5,
            "assignee": None,
            "labels": ["beta", "gamma"],
        },
    )
    a = s.issues.edit(a.id, a.version, {"labels": ["beta"], "due": dt.date(2031, 12, 31)})
    b = s.issues.edit(b.id, b.version, {"parent": None})
    b = s.issues.edit(b.id, b.version, {"parent": a.key, "assignee": "sec_adm"})
    a = s.issues.move(a.id, a.version, st[1].id)
    a = s.issues.move(a.id, a.version, st[3].id)
    b = s.issues.move(b.id, b.version, st[3].id, after_id=a.id)
    b = s.issues.move(b.id, b.version, None, before_id=a.id)
    a, b = s.issues.bulk_move([(a.id, a.version, st[0].id), (b.id, b.version, st[1].id)])
    comment = s.issues.comment(a.id, "first comment ✓ " + "x" * 300)
    s.issues.edit_comment(comment.id, "edited comment")
    s.issues.delete_comment(comment.id)
    s.issues.link(a.id, LinkKind.BLOCKS, b.key)
    s.issues.link(b.id, LinkKind.RELATES, a.key)
    s.issues.unlink(a.id, LinkKind.BLOCKS, b.key)
    s.issues.watch(a.id, "sec_mem")
    s.issues.watch(a.id, "sec_mem", on=False)
    s.issues.attach(a.id, "notes.txt", b"hello")
    a = s.issues.archive(a.id, a.version)
    a = s.issues.archive(a.id, a.version, False)
    blocked = s.projects.add_status(p.id, "Blocked", StatusCategory.IN_PROGRESS)
    s.projects.update_status(blocked.id, name="On hold", wip_limit=3, colour="#123456")
    s.projects.update_status(blocked.id, category=StatusCategory.TODO, wip_limit=None)
    ids = [x.id for x in s.projects.statuses(p.id)]
    s.projects.reorder_statuses(p.id, [ids[-1], *ids[:-1]])
    s.projects.set_transitions(p.id, [(ids[0], ids[1]), (ids[1], ids[0]), (ids[0], ids[4])])
    s.projects.set_transitions(p.id, [])
    s.projects.update_project("TRK", "Tracker renamed", "about")
    label = s.projects.ensure_label(p.id, "delta")
    s.projects.update_label(label, "Delta", "#ff0000")
    c = s.issues.create(NewIssue("TRK", "to move when its status goes", status="On hold"))
    s.projects.delete_status(blocked.id, move_to=ids[0])
    del c
    s.issues.delete(a.id, s.issues.get(a.id).version)


def _rows(changes: list[Change]) -> list[Row]:
    return [(c.project_id, c.issue_id, c.field, c.old, c.new) for c in changes]


def _run(services: Services) -> tuple[list[Row], list[Row]]:
    """(history rows, published events) of the script, without ids and times."""
    published: list[Change] = []
    services.bus.subscribe(published.extend)
    start = services.feed.last_id()
    _script(services)
    history = services.feed.changes_since(start, limit=10_000)
    assert {c.actor for c in history} == {services.actor}
    assert [c.id for c in published] == [c.id for c in history]
    return _rows(history), _rows(published)


@pytest.fixture
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster, projects=("TRK",))
    yield db
    drop(db)


def test_triggers_write_the_history_the_services_write(
    secured: Secured, pg_cluster: PgCluster
) -> None:
    plain_name = f"{secured.name}_plain"
    url = pg_cluster.create_database(plain_name)
    plain = open_services(url, create=True, actor="sec_adm")
    try:
        plain.projects.ensure_project("TRK", "Project TRK")
        plain.projects.ensure_user("sec_mem")
        plain.projects.ensure_user("sec_adm")
        expected, expected_events = _run(plain)
    finally:
        plain.close()
        pg_cluster.drop_database(plain_name)
    adm = secured.services("adm")
    assert adm.database.server_managed and adm.actor == "sec_adm"
    got, got_events = _run(adm)
    assert len(expected) >= 50
    for want, have in zip(expected, got, strict=False):
        assert have == want
    assert got == expected
    assert got_events == expected_events
    # The deferred triggers' notes last one transaction: none may be left behind.
    with superuser(secured) as conn:
        assert conn.execute("SELECT count(*) FROM history_pending").fetchone() == (0,)
