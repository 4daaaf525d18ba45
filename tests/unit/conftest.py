"""Fixtures for the unit tests: a project with the default board on the current backend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tracker_gui.domain.models import Issue, NewIssue, Project, Status
from tracker_gui.services import Services

USERS = ("bob", "carol", "dave")


@dataclass
class Board:
    """Project TRK with To Do / In Progress / In Review / Done, plus users bob, carol, dave."""

    services: Services
    project: Project
    statuses: dict[str, Status]

    def status(self, name: str) -> Status:
        return self.statuses[name]

    def new(self, title: str, **fields: Any) -> Issue:
        return self.services.issues.create(NewIssue(self.project.key, title, **fields))

    def get(self, issue: Issue | int) -> Issue:
        return self.services.issues.get(issue if isinstance(issue, int) else issue.id)


@pytest.fixture
def board(services: Services) -> Board:
    project, created = services.projects.ensure_project("TRK", "Tracker")
    assert created
    for name in USERS:
        services.projects.ensure_user(name, name.title())
    statuses = {s.name: s for s in services.projects.statuses(project.id)}
    return Board(services, project, statuses)
