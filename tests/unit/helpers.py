"""Helpers the unit tests share: counting stored rows, bulk data, collecting published events."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from tracker_gui.domain import rank
from tracker_gui.domain.models import Change, Issue, IssueFilter
from tracker_gui.services import Services
from tracker_gui.storage.tables import ALL_TABLES, ChangeRow, utcnow


def row_counts(services: Services) -> dict[str, int]:
    """How many rows every table holds: compare before/after to prove nothing was stored."""
    with services.database.reading():
        return {t._meta.table_name: int(t.select().count()) for t in ALL_TABLES}


def stored_changes(services: Services, after: int = 0) -> list[Change]:
    """The Change rows in the database with an id above `after`, oldest first."""
    return services.feed.changes_since(after, limit=100_000)


def change_ids(services: Services) -> list[int]:
    with services.database.reading():
        return [row.id for row in ChangeRow.select(ChangeRow.id).order_by(ChangeRow.id)]


def column_keys(services: Services, status_id: int) -> list[str]:
    """The keys a board column shows, top to bottom."""
    project = services.projects.catalog.status(status_id)
    assert project is not None
    flt = IssueFilter(project_ids=(project.project_id,))
    return [i.key for i in services.issues.column(status_id, flt, limit=10_000)]


class EventLog:
    """Subscribes to a bus and keeps every batch it publishes."""

    def __init__(self, services: Services) -> None:
        self.batches: list[list[Change]] = []
        services.bus.subscribe(lambda events: self.batches.append(list(events)))

    @property
    def events(self) -> list[Change]:
        return [e for batch in self.batches for e in batch]

    def clear(self) -> None:
        self.batches.clear()


def bulk_issues(
    services: Services, project_key: str, count: int, description: str = ""
) -> list[int]:
    """Insert `count` issues straight through the repository (fast; no history).

    The repository's bulk insert takes every NOT NULL column: it applies no defaults.
    """
    project, _ = services.projects.ensure_project(project_key)
    status = services.projects.statuses(project.id)[0]
    reporter = services.projects.ensure_user(services.actor)
    now = utcnow()
    ranks = rank.spread(count)
    with services.database.transaction():
        first = services.issues.repo.next_number(project.id)
        rows = [
            {
                "uid": str(uuid.uuid4()),
                "project": project.id,
                "number": first + n,
                "type": "task",
                "title": f"Bulk issue {n} of {count}",
                "description": description,
                "status": status.id,
                "priority": 3,
                "reporter": reporter.id,
                "rank": ranks[n],
                "created_at": now,
                "updated_at": now,
                "version": 1,
                "archived": False,
            }
            for n in range(count)
        ]
        for start in range(0, len(rows), 200):
            services.issues.repo.insert_many(rows[start : start + 200])
        services.projects.catalog.update_project(project.id, {"next_number": first + count})
    found = services.issues.search(IssueFilter(project_ids=(project.id,)), limit=count + 10)
    return [i.id for i in found]


def keys(issues: Sequence[Issue]) -> list[str]:
    return [i.key for i in issues]
