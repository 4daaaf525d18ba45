"""Sprints over a team member's offline copy: read there, written only on the server.

The outbox holds issue field edits; a sprint's start or close is counted by the server, and
an issue's sprint is not one of the queued fields (yet). So these writes are made on the
server when it answers (then the copy is brought up to date), and refused offline with the
same plain words as the other writes the outbox cannot hold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from tracker_gui.domain.models import Issue, NewIssue
from tracker_gui.domain.sprints import Closed, Sprint
from tracker_gui.errors import UserError
from tracker_gui.services.sprints import SprintService

if TYPE_CHECKING:
    from tracker_gui.services import Services
    from tracker_gui.services.issues import IssueService

NEEDS_SERVER = "{what} needs the server: connect and try again"


class OfflineSprintService(SprintService):
    online: Callable[[], Services] | None = None  # the server as this login (Offline raised)
    settle: Callable[[], object] | None = None  # a sync after such a write

    def _on_server(self, what: str, act: Callable[[Services], Any]) -> Any:
        if self.online is None:
            raise UserError(NEEDS_SERVER.format(what=what))
        try:
            server = self.online()
        except Exception as exc:  # unreachable (Offline) or refused: the same plain words
            raise UserError(NEEDS_SERVER.format(what=what)) from exc
        try:
            result = act(server)
        finally:
            server.close()
        if self.settle is not None:
            self.settle()
        return result

    def add(
        self, project_key: str, name: str, start: object, end: object, goal: str = ""
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
        # The server's ids are the copy's (the replica keeps them); an issue made offline
        # and not pushed yet has none there: the server then says it does not know it.
        def act(srv: Services) -> list[Issue]:
            return srv.sprints.set_sprint(issue_ids, name)

        done: list[Issue] = self._on_server("planning issues in a sprint", act)
        return [self.repo.get(i.id) or i for i in done]

    def create_in(self, issues: IssueService, new: NewIssue, name: str) -> Issue:
        if not name.strip():
            return issues.create(new)

        def act(srv: Services) -> Issue:
            return srv.sprints.create_in(srv.issues, new, name)

        made: Issue = self._on_server("adding an issue to a sprint", act)
        return self.repo.get(made.id) or made


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
