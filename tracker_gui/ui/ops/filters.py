"""Saved filters: save the current query under a name, rename or update one, delete one."""

from __future__ import annotations

from tracker_gui.domain.models import SavedFilter
from tracker_gui.ui.ops.core import Host, OpResult, run


def save(host: Host, name: str, query: str) -> OpResult[SavedFilter]:
    return run(host, lambda s: s.projects.save_filter(name, query))


def rename(host: Host, filter_id: int, name: str, query: str | None = None) -> OpResult[None]:
    """Rename a saved filter; with `query`, store that query under it too (Update)."""
    return run(host, lambda s: s.projects.rename_filter(filter_id, name, query))


def delete(host: Host, filter_id: int) -> OpResult[None]:
    return run(host, lambda s: s.projects.delete_filter(filter_id))
