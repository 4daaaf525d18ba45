"""A project's workflow and labels as Project Settings edits them: statuses, transitions, labels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Label, Status
from tracker_gui.ui.ops.core import Host, OpResult, run


def add_status(
    host: Host, project_id: int, name: str, category: StatusCategory
) -> OpResult[Status]:
    return run(host, lambda s: s.projects.add_status(project_id, name, category))


def update_status(host: Host, status_id: int, **fields: Any) -> OpResult[Status]:
    """Change any of a status's name, category, wip_limit (None: no limit) and colour."""
    return run(host, lambda s: s.projects.update_status(status_id, **fields))


def reorder_statuses(host: Host, project_id: int, ordered_ids: list[int]) -> OpResult[list[Status]]:
    return run(host, lambda s: s.projects.reorder_statuses(project_id, ordered_ids))


def delete_status(host: Host, status_id: int, move_to: int | None = None) -> OpResult[int]:
    """Delete a status, moving its issues to `move_to`; the value is how many moved."""
    return run(host, lambda s: s.projects.delete_status(status_id, move_to))


def set_transitions(
    host: Host, project_id: int, pairs: Iterable[tuple[int, int]]
) -> OpResult[None]:
    """Allow exactly these moves (from, to); none at all allows every move."""
    return run(host, lambda s: s.projects.set_transitions(project_id, pairs))


def add_label(host: Host, project_id: int, name: str) -> OpResult[Label]:
    return run(host, lambda s: s.projects.ensure_label(project_id, name))


def update_label(host: Host, label: Label, name: str, colour: str) -> OpResult[None]:
    return run(host, lambda s: s.projects.update_label(label, name, colour))
