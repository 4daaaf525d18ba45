"""A project's workflow and labels as Project Settings edits them: statuses, transitions, labels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Label, Project, Status
from tracker_gui.ui.ops.core import Host, OpResult, read, run


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


def create_project(host: Host, key: str, name: str, workflow: str) -> OpResult[Project]:
    """A new project with one of the workflow presets (basic, review, triage)."""
    return run(host, lambda s: s.projects.create_project(key, name, workflow=workflow))


def rename_project(host: Host, key: str, name: str) -> OpResult[Project]:
    return run(host, lambda s: s.projects.rename_project(key, name))


def archive_project(host: Host, key: str, archived: bool = True) -> OpResult[Project]:
    """Archive (or, with archived=False, restore) a project."""
    return run(host, lambda s: s.projects.archive_project(key, archived=archived))


def archived_projects(host: Host) -> list[Project]:
    every = read(host, lambda s: s.projects.projects(include_archived=True)).value or []
    return [p for p in every if p.archived]
