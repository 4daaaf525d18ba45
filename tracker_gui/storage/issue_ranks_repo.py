"""Where issues sit in their columns: rank look-ups and moving a whole column's issues."""

from __future__ import annotations

from typing import Any

from peewee import fn

from tracker_gui.domain import rank as rank_keys
from tracker_gui.storage.database import Database
from tracker_gui.storage.prepared import Prepared
from tracker_gui.storage.tables import (
    IssueRow,
    rows,
    utcnow,
)


class IssueRanksRepo:
    """Rank reads and column moves (IssueRepo is one); callers own the transaction."""

    db: Database
    _ranks: Prepared  # (MIN, MAX) rank of a status, kept by IssueRepo
    _last_rank: Prepared

    def column_ranks(self, status_id: int) -> tuple[str | None, str | None]:
        """The first and last rank in a status, archived issues included (they keep their slot)."""
        with self.db.reading():
            found = self._ranks.rows(status_id)
            return (found[0][0], found[0][1]) if found else (None, None)

    def last_rank(self, status_id: int) -> str | None:
        """The last rank in a status (one index look-up: MIN and MAX together scan the column)."""
        with self.db.reading():
            found = self._last_rank.rows(status_id)
            return found[0][0] if found else None

    def rank_neighbour(
        self, status_id: int, rank: str, *, below: bool, exclude: int = 0
    ) -> str | None:
        """The rank just below (greater) or above (smaller) `rank` in a column."""
        with self.db.reading():
            cond = IssueRow.rank > rank if below else IssueRow.rank < rank
            cond = cond & (IssueRow.id != exclude)
            order = IssueRow.rank if below else IssueRow.rank.desc()
            row = (
                IssueRow.select(IssueRow.rank)
                .where((IssueRow.status == status_id) & cond)
                .order_by(order)
                .limit(1)
                .tuples()
                .first()
            )
            return row[0] if row else None

    def rank_taken(self, status_id: int, key: str, exclude: int = 0) -> bool:
        """Whether another issue of the status (archived ones too) already holds this rank."""
        with self.db.reading():
            return bool(
                IssueRow.select()
                .where(
                    (IssueRow.status == status_id)
                    & (IssueRow.rank == key)
                    & (IssueRow.id != exclude)
                )
                .exists()
            )

    def move_status(
        self, from_status: int, to_status: int, resolved_at: Any = ...
    ) -> list[tuple[int, str, str]]:
        """Move every issue of one status to the bottom of another, keeping their order.

        Returns (id, old rank, new rank) per issue; sets resolved_at unless it is `...`.
        """
        found = rows(
            IssueRow.select(IssueRow.id, IssueRow.rank)
            .where(IssueRow.status == from_status)
            .order_by(IssueRow.rank, IssueRow.id)
            .tuples()
        )
        last = IssueRow.select(fn.MAX(IssueRow.rank)).where(IssueRow.status == to_status).scalar()
        moved = []
        for issue_id, old_rank in found:
            last = rank_keys.between(last, None)
            values: dict[str, Any] = {"status": to_status, "rank": last}
            if not self.db.server_managed:
                values.update(version=IssueRow.version + 1, updated_at=utcnow())
                if resolved_at is not ...:
                    values["resolved_at"] = resolved_at
            IssueRow.update(**values).where(IssueRow.id == issue_id).execute()
            moved.append((issue_id, old_rank, last))
        return moved
