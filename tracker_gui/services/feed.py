"""Reads of the Change log: the live feed, the activity pane and history."""

from __future__ import annotations

from collections.abc import Sequence

from tracker_gui.domain.models import Change
from tracker_gui.storage.catalog_repo import CatalogRepo
from tracker_gui.storage.database import Database
from tracker_gui.storage.listen import Listener


class FeedService:
    def __init__(self, database: Database, catalog: CatalogRepo) -> None:
        self.db = database
        self.catalog = catalog

    def changes_since(
        self, change_id: int, limit: int = 1000, project_ids: Sequence[int] = ()
    ) -> list[Change]:
        """Change rows with an id above `change_id`, oldest first (what the live feed reads)."""
        return self.catalog.changes_since(change_id, limit, project_ids)

    def changes_in_sets(
        self, change_sets: Sequence[str], fields: Sequence[str] = ()
    ) -> list[Change]:
        """All rows (of `fields`) of whole change sets: a set commits at once, so once one of
        its rows is seen they can all be read, however the feed's pages cut it."""
        return self.catalog.changes_in_sets(change_sets, fields)

    def recent(self, limit: int = 200, project_ids: Sequence[int] = ()) -> list[Change]:
        return self.catalog.recent_changes(limit, project_ids)

    def history(self, issue_id: int) -> list[Change]:
        return self.catalog.history(issue_id)

    def last_id(self) -> int:
        return self.catalog.last_change_id()

    def data_version(self) -> int | None:
        """SQLite's data_version (moves when another connection commits); None on PostgreSQL."""
        return self.db.data_version() if self.db.is_sqlite else None

    def listen(self) -> Listener:
        """A LISTEN connection announcing new Change ids (PostgreSQL only; see storage.listen)."""
        return Listener.open(self.db)
