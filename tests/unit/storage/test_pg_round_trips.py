"""A status change on a secured database costs few round trips, and its history stays whole.

The action's settings ride on its BEGIN (storage/pg_session), the issue, its new column's last
rank and the workflow's token are one statement, and the history read-back is one call
(tracker_take_changes); a server set up before that function existed keeps the old path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest

from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.domain.models import Change, NewIssue
from tracker_gui.errors import TransitionError
from tracker_gui.services import Services
from tracker_gui.storage import pg_session


@pytest.fixture
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster, projects=("TRK",))
    yield db
    drop(db)


class _Statements(logging.Handler):
    """peewee logs each statement it sends through execute_sql."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sent: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.sent.append(str(record.msg[0] if isinstance(record.msg, tuple) else record.msg))


def _move_logged(mem: Services) -> tuple[list[str], list[Change]]:
    issue = mem.issues.create(NewIssue("TRK", "a card to move"))
    statuses = mem.projects.statuses(issue.project_id)
    published: list[Change] = []
    mem.bus.subscribe(published.extend)
    handler, logger = _Statements(), logging.getLogger("peewee")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        mem.issues.move(issue.id, issue.version, statuses[1].id)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return handler.sent, published


def _stored(secured: Secured, changes: list[Change]) -> list[tuple[int, str, str | None]]:
    with superuser(secured) as conn:
        rows = conn.execute(
            "SELECT id, field, change_set FROM change WHERE id = ANY(%s) ORDER BY id",
            ([c.id for c in changes],),
        ).fetchall()
    return [(int(r[0]), str(r[1]), r[2]) for r in rows]


@pytest.mark.postgres
def test_a_members_status_change_sends_no_separate_settings_or_history_statements(
    secured: Secured,
) -> None:
    mem = secured.services("mem")
    assert mem.database.take_changes
    sent, published = _move_logged(mem)
    assert not [s for s in sent if "set_config" in s or "SET CONSTRAINTS" in s], sent
    assert sum("tracker_take_changes" in s for s in sent) == 1
    # The issue with its new column's last rank and the workflow's token, the UPDATE and
    # the history; BEGIN (carrying the change set) and COMMIT are not logged.
    assert len(sent) == 3, sent
    status = [c for c in published if c.field == "status"]
    assert len(status) == 1 and status[0].actor.endswith("mem")
    # What the server stored: the same rows, all in the action's one change set.
    stored = _stored(secured, published)
    assert [(c.id, c.field, c.change_set) for c in published] == stored
    assert len({c.change_set for c in published}) == 1 and published[0].change_set


@pytest.mark.postgres
def test_a_server_set_up_before_the_one_call_read_back_keeps_its_history(
    secured: Secured,
) -> None:
    with superuser(secured) as conn:
        conn.execute("DROP FUNCTION public.tracker_take_changes()")
    mem = secured.services("mem")
    assert mem.database.server_managed and not mem.database.take_changes
    sent, published = _move_logged(mem)
    assert any("SET CONSTRAINTS ALL IMMEDIATE" in s for s in sent)
    assert [c.field for c in published if c.field == "status"] == ["status"]
    assert [(c.id, c.field, c.change_set) for c in published] == _stored(secured, published)


def test_only_canonical_uuids_are_written_into_the_begin() -> None:
    good = "0b7c6f7e-54a3-4d7e-9c55-3f2f1a0e9b11"
    assert pg_session.settings_sql(good, None, None) == (
        f"SELECT set_config('tracker.change_set', '{good}', true)"
    )
    both = pg_session.settings_sql(good, good, good)
    assert both is not None and both.count(good) == 3
    # Anything else goes through the parametrised statement instead (None here).
    for bad in ("x', true); DROP TABLE issue; --", good.upper(), good + " ", "", "1234"):
        assert pg_session.settings_sql(bad, None, None) is None
        assert pg_session.settings_sql(good, bad or "nope", None) is None


def test_a_workflow_changed_by_someone_else_is_seen_by_the_next_status_change(
    make_services: Callable[..., Services],
) -> None:
    """The token read with the issue still drops a stale cached workflow: bob removes the
    move alice's cached workflow allowed, and her next move is refused by the app (on a
    plain server nothing else checks the workflow)."""
    alice = make_services("alice", create=True)
    alice.projects.ensure_project("TRK", "Tracker")
    bob = make_services("bob")
    issue = alice.issues.create(NewIssue("TRK", "moves twice"))
    ids = [s.id for s in alice.projects.statuses(issue.project_id)]
    moved = alice.issues.move(issue.id, issue.version, ids[1])  # caches the workflow
    back = alice.issues.move(moved.id, moved.version, ids[0])
    bob.projects.set_transitions(
        issue.project_id, [(a, b) for a in ids for b in ids if (a, b) != (ids[0], ids[1])]
    )
    with pytest.raises(TransitionError):
        alice.issues.move(back.id, back.version, ids[1])
