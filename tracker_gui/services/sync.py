"""The sync engine behind one replica: push the outbox, pull the server, report (SyncEngine)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from tracker_gui import paths
from tracker_gui.errors import ConnectionFailedError, NotFoundError
from tracker_gui.services import Services, connect, sync_push, sync_resolve
from tracker_gui.services.sync_types import (
    ConflictEntry,
    Keep,
    SyncEngine,
    SyncReport,
    SyncState,
    SyncStatus,
)
from tracker_gui.storage.database import Database, open_database
from tracker_gui.storage.listen import Listener
from tracker_gui.storage.replica import entries, files, lock, outbox, pull, salvage
from tracker_gui.storage.replica import server as server_side
from tracker_gui.storage.tables import utcnow

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


class Offline(Exception):
    """The server could not be reached; the replica (if any) is all there is."""


class SyncService:
    """One shared database and login: its replica file, its outbox, its sync."""

    def __init__(
        self,
        url: str,
        *,
        password: str | None = None,
        folder: Path | None = None,
        keep: bool = False,
    ) -> None:
        """`keep`: a long-lived engine (the window's) keeps its server connection between
        syncs; a one-shot one (a command) opens and closes one per sync."""
        self.url = url
        self._keep = keep
        self.password = password
        self.login = files.login_of(url)
        self.ident = files.identity(url, self.login)
        self.path = files.replica_path(folder or paths.data_dir(), self.ident)
        # The server connection a sync keeps for the next one: a window syncs after every
        # teammate's commit, and a new connection each time (a password exchange on both
        # sides) cost more than the sync itself with many clients on one server.
        self._kept: Database | None = None
        self._thread: int | None = None  # the thread whose syncs keep it

    def close(self) -> None:
        """Close the server connection kept between syncs (the next sync opens another)."""
        kept, self._kept = self._kept, None
        if kept is not None:
            kept.close()

    # -- opening -------------------------------------------------------------------------
    def has_replica(self) -> bool:
        return files.exists(self.path)

    def open_replica(self) -> Database:
        return files.open_replica(self.path, create=False)

    def local_services(self, online: bool = False) -> Services:
        """The services over the replica, acting as the login; issue writes are queued.
        `online` (the window): the writes the outbox cannot hold yet (delete, unlink, a
        comment's edit or removal, an attachment) are made on the server when it answers,
        and a sync brings them into the copy; offline they are refused with a plain message."""
        from tracker_gui.services.outbox import queued

        local = connect(self.open_replica(), actor=self.login)
        if not online:
            return queued(local)
        return queued(local, lambda: connect(self.open_server()), self.sync)

    def open_server(self) -> Database:
        """The server as this login; Offline when unreachable (a wrong password or a
        database that is not Tracker's raises its own error)."""
        try:
            return open_database(self.url, password=self.password)
        except ConnectionFailedError as exc:
            if exc.unreachable:
                raise Offline(str(exc)) from exc
            raise

    def listen(self) -> Listener:
        """A LISTEN connection to the server's change channel (a commit wakes a sync);
        Offline when the server is out of reach."""
        server = self.open_server()
        try:
            return Listener.open(server)
        finally:
            server.close()

    # -- SyncEngine ----------------------------------------------------------------------
    def sync(self, progress: Progress | None = None) -> SyncReport:
        """Push what is queued, then pull; offline, a report saying so (nothing raised)."""
        with lock.held(self.path):
            # A connection belongs to the thread that opened it: the thread of the first sync
            # keeps its server connection; another thread's sync (a write the window made on
            # the server, then synced) opens one of its own and closes it.
            mine = self._keep and self._thread in (None, threading.get_ident())
            self._thread = threading.get_ident() if mine else self._thread
            try:
                server = (self._kept if mine else None) or self.open_server()
            except Offline as exc:
                log.info("sync of %s: offline (%s)", self.ident, exc)
                return self._offline_report()
            if mine:
                self._kept = None
            try:
                report = self._sync_with(server, progress)
            except BaseException:
                server.close()  # whatever broke, the next sync starts on a fresh connection
                raise
            if report.offline or not mine:
                server.close()  # lost during the sync, or not this thread's to keep
            else:
                self._kept = server
            return report

    def _sync_with(self, server: Database, progress: Progress | None) -> SyncReport:
        problems = salvage.damaged(self.path)
        kept = salvage.set_aside(self.path, problems) if problems else None
        replica = files.open_replica(self.path, create=True)
        try:
            if kept is not None:  # a fresh copy; what only the damaged one held comes back
                with replica.transaction():
                    salvage.put_back(replica, kept)
            with server.reading():
                here = server_side.fingerprint(server)
            with replica.transaction():
                if files.meta(replica, "server") not in (None, here):
                    log.warning("%s is another database than the copy was made from; copying"
                                " it afresh", self.ident)  # fmt: skip
                    files.forget_cursor(replica)
                files.set_meta(replica, {"server": here})
                origin = files.meta(replica, "origin") or str(uuid.uuid4())
                files.set_meta(replica, {"identity": self.ident, "login": self.login,
                                         "origin": origin})  # fmt: skip
            srv = connect(server)
            try:
                pushed = sync_push.push_all(srv, replica, origin)
            except sync_push.Unreachable as exc:
                log.info("sync of %s: lost the server while pushing (%s)", self.ident, exc)
                return self._offline_report()
            with replica.reading():
                waiting = entries.counts(replica).waiting
            if waiting:
                # Queued while we pushed (the window writes while the CLI syncs): a pull now
                # would show the server's values over them; the next sync pushes them first.
                with replica.reading():
                    counts = entries.counts(replica)
                return SyncReport(pushed.pushed, 0, counts.conflicts, counts.refused,
                                  counts.waiting, False)  # fmt: skip
            with replica.transaction():
                # Every queued action has reached the server (applied, conflict or refused):
                # issues made offline give way to the server's, under their real numbers.
                outbox.drop_numbered(replica)
            pulled = pull.pull(server, replica, progress, sorted(pushed.touched))
            with replica.transaction():
                files.set_meta(replica, {"offline": "0"})
                for key in pulled.removed_projects:
                    log.info("%s: no longer readable, removed from the offline copy", key)
                    entries.refuse_project(replica, key)
                counts = entries.counts(replica)
            return SyncReport(pushed.pushed, pulled.changes, counts.conflicts, counts.refused,
                              counts.waiting, False)  # fmt: skip
        finally:
            replica.close()

    def _offline_report(self) -> SyncReport:
        if not self.has_replica():
            return SyncReport(0, 0, 0, 0, 0, True)
        replica = self.open_replica()
        try:
            with replica.transaction():
                files.set_meta(replica, {"offline": "1"})
                counts = entries.counts(replica)
        finally:
            replica.close()
        return SyncReport(0, 0, counts.conflicts, counts.refused, counts.waiting, True)

    def status(self) -> SyncStatus:
        if not self.has_replica():
            return SyncStatus("never", None, 0, 0, 0)
        replica = self.open_replica()
        try:
            with replica.reading():
                counts = entries.counts(replica)
                last = files.meta(replica, "last_synced")
                offline = files.meta(replica, "offline") == "1"
        finally:
            replica.close()
        when = _aware(last)
        state: SyncState = "never" if when is None else ("offline" if offline else "synced")
        if lock.busy(self.path):
            state = "syncing"
        return SyncStatus(state, when, counts.waiting, counts.conflicts, counts.refused)

    def real_keys(self) -> dict[str, str]:
        """Provisional key -> real key, for issues made offline that the server numbered."""
        if not self.has_replica():
            return {}
        replica = self.open_replica()
        try:
            with replica.reading():
                return outbox.real_keys(replica)
        finally:
            replica.close()

    def last_synced(self) -> dt.datetime | None:
        return self.status().last_synced

    def conflicts(self) -> list[ConflictEntry]:
        if not self.has_replica():
            raise NotFoundError(f"no offline copy of {self.ident} yet (run `tracker-gui sync`)")
        replica = self.open_replica()
        try:
            with replica.reading():
                return [_entry(r) for r in entries.listed(replica)]
        finally:
            replica.close()

    def resolve(
        self,
        entry_id: int,
        *,
        keep: Keep | None = None,
        value: str | None = None,
        dismiss: bool = False,
    ) -> None:
        """Settle an entry on the replica; keeping mine (or a value) queues a new change
        based on the server's value. The caller syncs when online."""
        local = self.local_services()
        try:
            sync_resolve.resolve(local, entry_id, keep=keep, value=value, dismiss=dismiss)
        finally:
            local.close()


def _is_engine(service: SyncService) -> SyncEngine:
    return service  # mypy checks here that SyncService is what the window expects


def _entry(row: entries.EntryRow) -> ConflictEntry:
    kind: Literal["conflict", "refused"] = "conflict" if row.kind == "conflict" else "refused"
    return ConflictEntry(
        id=row.id, key=row.issue_key, field=row.field, base=row.base, mine=row.mine,
        theirs=row.theirs, theirs_by=row.theirs_by, theirs_at=_aware(row.theirs_at),
        kind=kind, message=row.message,
    )  # fmt: skip


def _aware(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


__all__ = ["Offline", "SyncService", "utcnow"]
