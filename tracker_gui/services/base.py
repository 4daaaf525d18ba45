"""What every service shares: the database, the repositories, the bus and who is acting."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from tracker_gui.domain import validation
from tracker_gui.domain.models import Change, User
from tracker_gui.errors import NotFoundError
from tracker_gui.services.bus import EventBus
from tracker_gui.services.unit_of_work import Work, unit_of_work
from tracker_gui.storage.catalog_repo import CatalogRepo
from tracker_gui.storage.database import Database
from tracker_gui.storage.issues_repo import IssueRepo


class ServiceBase:
    def __init__(
        self,
        database: Database,
        catalog: CatalogRepo,
        issues: IssueRepo,
        bus: EventBus,
        actor: str,
    ) -> None:
        self.db = database
        self.catalog = catalog
        self.repo = issues
        self.bus = bus
        self.actor = actor
        self._held: list[Change] | None = None  # events of the action in progress

    def _user_id(self, username: str | None, *, create: bool = False) -> int | None:
        """A user's id (inside a transaction); `create` adds unknown local users."""
        if username is None:
            return None
        user = self.catalog.user(username)
        if user is None:
            if not create:
                raise NotFoundError(f"no user named {username!r}")
            user = self.catalog.insert_user(validation.username(username), username)
        return user.id

    def _actor_id(self) -> int:
        uid = self._user_id(self.actor, create=True)
        assert uid is not None
        return uid

    def _ensure_users(self, names: Sequence[str]) -> list[User]:
        out = []
        for name in names:
            user = self.catalog.user(name)
            out.append(user or self.catalog.insert_user(validation.username(name), name))
        return out

    def _work(self) -> contextlib.AbstractContextManager[Work]:
        """One write: its transaction, its Change records, its events after commit."""
        return unit_of_work(self.db, self.catalog, self.actor, self._publish)

    @contextlib.contextmanager
    def _action(self) -> Iterator[None]:
        """One user action made of several service calls: one transaction, one change set,
        and the events of every call published together once it has committed."""
        if self._held is not None:
            yield
            return
        self._held = []
        try:
            with self.db.transaction():
                yield
            events = self._held
        finally:
            self._held = None
        self.bus.publish(events)

    def _publish(self, events: Sequence[Change]) -> None:
        """After a call's commit, or (inside an action) when the action commits."""
        if self._held is not None:
            self._held.extend(events)
        else:
            self.bus.publish(events)
