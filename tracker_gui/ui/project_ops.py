"""Project writes the window makes (create, rename, archive): one call each, errors as messages."""

from __future__ import annotations

from dataclasses import dataclass

from tracker_gui.domain.models import Project
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets import style


@dataclass(frozen=True)
class Outcome:
    """The project after the write, or the message saying why there is none."""

    project: Project | None
    message: str = ""


def _run(store: Store, write: object) -> Outcome:
    with style.errors_from(store) as errors:
        project = store.call(write)  # type: ignore[arg-type]
    if isinstance(project, Project):
        return Outcome(project)
    return Outcome(None, errors[-1] if errors else "the change could not be saved")


def create_project(store: Store, key: str, name: str, workflow: str) -> Outcome:
    projects = store.services.projects
    return _run(store, lambda: projects.create_project(key, name, workflow=workflow))


def rename_project(store: Store, key: str, name: str) -> Outcome:
    projects = store.services.projects
    return _run(store, lambda: projects.rename_project(key, name))


def archive_project(store: Store, key: str, archived: bool = True) -> Outcome:
    projects = store.services.projects
    return _run(store, lambda: projects.archive_project(key, archived=archived))


def archived_projects(store: Store) -> list[Project]:
    every = store.call(lambda: store.services.projects.projects(include_archived=True)) or []
    return [p for p in every if p.archived]
