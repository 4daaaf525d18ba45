"""The offline copy stores issue times as every local file does (microseconds, migration 10),
so sorting and `updated:` queries on the copy agree with the server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.secured import Secured
from tests.sync.helpers import engine
from tracker_gui.domain.models import IssueFilter, NewIssue

pytestmark = pytest.mark.postgres


def test_the_copys_issue_times_are_integers_and_sort_as_on_the_server(
    secured: Secured, tmp_path: Path
) -> None:
    adm = secured.services("adm")
    first = adm.issues.create(NewIssue("TRK", "older"))
    adm.issues.create(NewIssue("TRK", "newer"))
    adm.issues.edit(first.id, first.version, {"title": "older, edited last"})
    on_server = [i.title for i in adm.issues.search(IssueFilter(), sort="-updated")]
    secured.close()
    sync = engine(secured, "mem", tmp_path / "mem")
    sync.sync()
    replica = sync.open_replica()
    try:
        kinds = replica.peewee.execute_sql(
            "SELECT DISTINCT typeof(created_at), typeof(updated_at) FROM issue"
        ).fetchall()
    finally:
        replica.close()
    assert kinds == [("integer", "integer")]
    local = sync.local_services()
    try:
        assert [i.title for i in local.issues.search(IssueFilter(), sort="-updated")] == on_server
        assert {i.title for i in local.issues.search(IssueFilter(query="updated>=-1d"))} == {
            "older, edited last", "newer"
        }  # fmt: skip
    finally:
        local.close()


def test_a_refused_new_issue_leaves_no_label_of_its_own_in_the_copy(
    secured: Secured, tmp_path: Path
) -> None:
    """A viewer's issue made offline with a new label is refused: the copy then holds the
    server's labels only (the model test found the label left behind)."""
    secured.services("adm").issues.create(NewIssue("TRK", "on the server"))
    secured.close()
    viewer = engine(secured, "vie", tmp_path / "vie")
    viewer.sync()
    local = viewer.local_services()
    try:
        local.issues.create(NewIssue("TRK", "not allowed", labels=("db",)))
    finally:
        local.close()
    report = viewer.sync()
    assert report.refused == 1
    replica = viewer.open_replica()
    try:
        names = [r[0] for r in replica.peewee.execute_sql("SELECT name FROM label").fetchall()]
    finally:
        replica.close()
    assert names == []
