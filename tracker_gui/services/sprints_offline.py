"""Sprints over a team member's offline copy: read there; issues planned there and queued.

An issue's sprint is a field like the others: set in the copy at once and queued (by name,
with the name it had: the push applies it three-way like any field). Adding, starting and
closing a sprint are made on the server when it answers (it counts the figures; then the copy
is brought up to date), and refused offline with the same plain words as the other writes the
outbox cannot hold.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from tracker_gui.domain.models import Issue
from tracker_gui.domain.sprints import Closed, Sprint
from tracker_gui.services import server_calls
from tracker_gui.services.sprints import SprintService
from tracker_gui.storage.replica import outbox

if TYPE_CHECKING:
    from tracker_gui.services import Services

NEEDS_SERVER = "{what} needs the server: connect and try again"


class OfflineSprintService(SprintService):
    online: Callable[[], Services] | None = None  # the server as this login (Offline raised)
    settle: Callable[[], object] | None = None  # a sync after such a write

    def _on_server(self, what: str, act: Callable[[Services], Any]) -> Any:
        return server_calls.on_server(self.online, self.settle, NEEDS_SERVER.format(what=what), act)

    def add(
        self, project_key: str, name: str, start: str | dt.date, end: str | dt.date, goal: str = ""
    ) -> Sprint:
        made: Sprint = self._on_server(
            "adding a sprint", lambda srv: srv.sprints.add(project_key, name, start, end, goal)
        )
        return made

    def start(self, project_key: str, name: str) -> Sprint:
        started: Sprint = self._on_server(
            "starting a sprint", lambda srv: srv.sprints.start(project_key, name)
        )
        return started

    def close(self, project_key: str, name: str, carry_to: str | None = None) -> Closed:
        closed: Closed = self._on_server(
            "closing a sprint", lambda srv: srv.sprints.close(project_key, name, carry_to)
        )
        return closed

    def set_sprint(self, issue_ids: Sequence[int], name: str | None) -> list[Issue]:
        """In the copy, and one queued edit per issue moved, all in the action's change set."""
        with self.db.transaction():
            before = self.names_of(issue_ids)
            done = SprintService.set_sprint(self, issue_ids, name)
            after = self.names_of(issue_ids)
            for issue in done:
                pair = [before.get(issue.id), after.get(issue.id)]
                if pair[0] != pair[1]:
                    body = {"key": issue.key, "fields": {"sprint": pair}}
                    outbox.add(self.db, str(uuid.uuid4()), "edit", issue.uid, body)
        return done


def offline(
    local: Services,
    online: Callable[[], Services] | None = None,
    settle: Callable[[], object] | None = None,
) -> OfflineSprintService:
    """The sprint service of `local` (services over a replica), its writes sent as above."""
    service = OfflineSprintService(
        local.database, local.sprints.catalog, local.sprints.repo, local.bus, local.actor
    )
    service.online, service.settle = online, settle
    return service
