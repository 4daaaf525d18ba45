"""Reads of the Change log: the live feed, the activity pane and history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tracker_gui.domain.models import Change
from tracker_gui.storage.catalog_repo import CatalogRepo
from tracker_gui.storage.database import Database
from tracker_gui.storage.listen import Listener

LOOKBACK = 100
__all__ = ["LOOKBACK", "FeedCursor", "FeedService", "Listener"]  # Listener: for the ui's feed


class FeedCursor:
    """Where a reader of the Change log is: the newest id it read, and the ids below that it
    has not seen. PostgreSQL takes an id at insert, not at commit, so a smaller id may still
    commit later; ids hidden by row-level security or rolled back never do, so only the last
    `window` ids are watched (the same look-back the feed always had)."""

    def __init__(self, position: int, window: int = LOOKBACK) -> None:
        self.position = position
        self.window = window
        self._unseen: set[int] = set()

    def unseen(self) -> tuple[int, ...]:
        return tuple(sorted(self._unseen))

    def advance(self, ids: Iterable[int]) -> None:
        """Note the ids a read returned (ascending, as the feed reads them)."""
        got = set(ids)
        if not got:
            return
        top = max(got)
        if top > self.position:
            self._unseen.update(range(max(self.position, top - self.window) + 1, top + 1))
            self.position = top
        floor = self.position - self.window
        self._unseen = {i for i in self._unseen - got if i > floor}


class FeedService:
    def __init__(self, database: Database, catalog: CatalogRepo) -> None:
        self.db = database
        self.catalog = catalog

    def changes_since(
        self,
        change_id: int,
        limit: int = 1000,
        project_ids: Sequence[int] = (),
        also: Sequence[int] = (),
    ) -> list[Change]:
        """Change rows with an id above `change_id` or in `also`, oldest first."""
        return self.catalog.changes_since(change_id, limit, project_ids, also)

    def read_page(self, cursor: FeedCursor, limit: int) -> list[Change]:
        """The next rows for `cursor` (at most `limit`: new ones and late commits below it),
        oldest first; moves the cursor past them. Nothing changed means no rows."""
        events = self.changes_since(cursor.position, limit=limit, also=cursor.unseen())
        cursor.advance(e.id for e in events)
        return events

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

    def deleted_keys(self, issue_ids: Sequence[int]) -> dict[int, str]:
        """id -> key of deleted issues whose history the reader may see."""
        return self.catalog.deleted_keys(issue_ids)

    def last_id(self) -> int:
        return self.catalog.last_change_id()

    def data_version(self) -> int | None:
        """SQLite's data_version (moves when another connection commits); None on PostgreSQL."""
        return self.db.data_version() if self.db.is_sqlite else None

    def listen(self) -> Listener:
        """A LISTEN connection announcing new Change ids (PostgreSQL only; see storage.listen)."""
        return Listener.open(self.db)
