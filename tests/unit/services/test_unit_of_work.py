"""The unit of work every service write runs in: one transaction, its Change records, and
its events published only once it has committed (and never for a rolled-back write)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tests.unit.helpers import stored_changes
from tracker_gui.domain.models import ChangeEvent
from tracker_gui.services import Services
from tracker_gui.services.unit_of_work import unit_of_work


def test_a_write_is_told_after_its_commit_with_the_rows_as_stored(services: Services) -> None:
    services.projects.ensure_project("TRK", "Tracker")
    before = services.feed.last_id()
    told: list[tuple[bool, list[ChangeEvent]]] = []

    def listener(events: Sequence[ChangeEvent]) -> None:
        told.append((services.database.peewee.in_transaction(), list(events)))

    services.bus.subscribe(listener)
    services.projects.update_project("TRK", "Tracker 2")
    assert [(inside, [(e.field, e.old, e.new) for e in events]) for inside, events in told] == [
        (False, [("project.name", "Tracker", "Tracker 2")])
    ]
    assert [e.id for e in told[0][1]] == [c.id for c in stored_changes(services, before)]


def test_a_rolled_back_write_stores_nothing_and_tells_no_one(services: Services) -> None:
    project, _ = services.projects.ensure_project("TRK", "Tracker")
    before = services.feed.last_id()
    told: list[Sequence[ChangeEvent]] = []
    services.bus.subscribe(told.append)
    catalog = services.projects.catalog
    with (
        pytest.raises(RuntimeError),
        unit_of_work(services.database, catalog, "me", services.bus.publish) as work,
    ):
        catalog.update_project(project.id, {"name": "Renamed"})
        work.log(project.id, None, "project.name", "Tracker", "Renamed")
        raise RuntimeError("a failure after the writes")
    assert told == [] and stored_changes(services, before) == []
    assert services.projects.project("TRK").name == "Tracker"


def test_a_write_inside_an_outer_transaction_tells_no_one_until_that_commits(
    services: Services,
) -> None:
    seen: list[int] = []
    services.bus.subscribe(lambda events: seen.extend(e.id for e in events))
    with pytest.raises(RuntimeError), services.database.transaction():
        services.projects.ensure_project("NEW", "New")  # as the demo does inside its own
        assert seen == []  # a savepoint, not a commit: nothing announced yet
        raise RuntimeError("the outer write fails")
    assert services.projects.catalog.project_by_key("NEW") is None
    assert seen == []  # rolled back: never announced

    with services.database.transaction():
        services.projects.ensure_project("NEW", "New")
        assert seen == []
    assert len(seen) == 1  # announced once the outer transaction committed
    assert services.projects.catalog.project_by_key("NEW") is not None
