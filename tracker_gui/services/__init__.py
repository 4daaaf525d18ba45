"""Use cases over storage: each write is one transaction that logs and publishes its changes."""

from __future__ import annotations

import os
from dataclasses import dataclass

from tracker_gui.services.backups import BackupService
from tracker_gui.services.bus import EventBus
from tracker_gui.services.feed import FeedService
from tracker_gui.services.issues import IssueService
from tracker_gui.services.projects import ProjectService
from tracker_gui.services.sprints import SprintService
from tracker_gui.storage.catalog_repo import CatalogRepo
from tracker_gui.storage.database import Database, open_database


@dataclass(frozen=True)
class Services:
    """The service objects for one open database, sharing one event bus."""

    database: Database
    bus: EventBus
    projects: ProjectService
    issues: IssueService
    feed: FeedService
    backups: BackupService
    sprints: SprintService

    @property
    def actor(self) -> str:
        return self.projects.actor

    def close(self) -> None:
        self.database.close()


def connect(database: Database, actor: str | None = None) -> Services:
    """Build the services over an open database; `actor` defaults to the session user."""
    from tracker_gui.storage.issues_repo import IssueRepo

    catalog = CatalogRepo(database)
    repo = IssueRepo(database)
    bus = EventBus()
    who = actor or database.session_user()
    return Services(
        database=database,
        bus=bus,
        projects=ProjectService(database, catalog, repo, bus, who),
        issues=IssueService(database, catalog, repo, bus, who),
        feed=FeedService(database, catalog),
        backups=BackupService(database),
        sprints=SprintService(database, catalog, repo, bus, who),
    )


def open_services(
    target: str | os.PathLike[str],
    *,
    create: bool = False,
    actor: str | None = None,
    quick_check: bool = True,
) -> Services:
    """`quick_check=False` skips the full-file scan (O(size)) for one-shot read-only use."""
    return connect(open_database(target, create=create, quick_check=quick_check), actor)


__all__ = ["EventBus", "Services", "connect", "open_services"]
