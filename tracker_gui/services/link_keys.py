"""Keys of the issues that link rows name, as the reader may read them (never more)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker_gui.services import Services


def link_keys(services: Services, issue_ids: Iterable[int]) -> dict[int, str]:
    """id -> key for live issues the reader can read, `TRK-5 (deleted)` for deleted ones whose
    history it can read; an id missing from the result is shown as "an issue in another project".

    Both reads go through the reader's rights (row-level security on a shared database), so an
    issue in a project the reader cannot see is not found by either, deleted or not.
    """
    wanted = sorted(set(issue_ids))
    if not wanted:
        return {}
    found = dict(services.issues.keys_for(wanted))
    gone = [i for i in wanted if i not in found]
    for issue_id, key in services.feed.deleted_keys(gone).items():
        found[issue_id] = f"{key} (deleted)"
    return found
