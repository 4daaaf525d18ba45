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
