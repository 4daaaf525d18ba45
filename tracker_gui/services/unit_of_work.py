"""One service write: a transaction, the Change records it names, their events after commit."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from tracker_gui.domain.models import Change
from tracker_gui.storage.catalog_repo import CatalogRepo
from tracker_gui.storage.database import Database


class ChangeRecord(NamedTuple):
    """One row of the change log as a service names it (a tuple, as storage appends it)."""

    project_id: int
    issue_id: int | None  # None: a change of the project (workflow, labels)
    actor: str
    field: str
    old: str | None
    new: str | None


class Work:
    """What one write logs while its transaction is open."""

    def __init__(self, actor: str) -> None:
        self.actor = actor
        self.records: list[ChangeRecord] = []
        self.events: list[Change] = []  # the records as stored, once committed

    def log(
        self, project_id: int, issue_id: int | None, field: str, old: str | None, new: str | None
    ) -> None:
        self.records.append(ChangeRecord(project_id, issue_id, self.actor, field, old, new))

    def add(self, records: Iterable[ChangeRecord]) -> None:
        self.records.extend(records)


@contextlib.contextmanager
def unit_of_work(
    database: Database,
    catalog: CatalogRepo,
    actor: str,
    publish: Callable[[Sequence[Change]], None],
) -> Iterator[Work]:
    """The block's writes and its Change records in one transaction; the events go out
    only after COMMIT (a rolled-back write tells no one), through `publish`."""
    work = Work(actor)
    with database.transaction():
        yield work
        if work.records:
            work.events = catalog.append_changes(work.records)
        # Inside an outer transaction this block is a savepoint: its events wait for that COMMIT.
        database.after_commit(lambda: publish(work.events))


__all__ = ["ChangeRecord", "Work", "unit_of_work"]
