"""Import and export for the window: files in through tracker_gui.interchange, out on a worker.

An import runs on the window's thread (its progress pumps events) with the store's change
application held, so the thousands of rows it logs are applied once, thinned; an export runs
on a worker thread with its own connection (ui/export_job.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from PySide6.QtCore import QObject, SignalInstance

from tracker_gui.domain.models import IssueFilter
from tracker_gui.errors import TrackerError
from tracker_gui.interchange import DEFAULT_COLUMNS as DEFAULT_EXPORT_COLUMNS
from tracker_gui.interchange import (
    ImportCancelled,
    ImportRejected,
    ImportReport,
    export_csv,
    export_json,
    import_csv,
    import_jira,
    import_json,
    import_trello,
)
from tracker_gui.services import Services
from tracker_gui.services.export_reads import ExportReads
from tracker_gui.ui.export_job import ExportJob, Tick
from tracker_gui.ui.ops.core import OpResult, file_message, message_for, unreachable

IMPORTERS: dict[str, Callable[..., ImportReport]] = {
    "trello": import_trello,
    "jira": import_jira,
    "csv": import_csv,
    "json": import_json,
}


class TransferHost(Protocol):
    """What transfers need of the store (ui.store.Store is one)."""

    services: Services

    @property
    def filter(self) -> IssueFilter: ...

    @property
    def busyChanged(self) -> SignalInstance: ...

    @property
    def errorOccurred(self) -> SignalInstance: ...

    @property
    def connectionLost(self) -> SignalInstance: ...

    def held_changes(self) -> AbstractContextManager[None]: ...


class Transfers(QObject):
    """The store's imports and exports; `close()` cancels running exports (no file is left)."""

    def __init__(self, host: TransferHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self._exports: set[ExportJob] = set()  # running on worker threads

    def close(self) -> None:
        for job in list(self._exports):  # before the database closes under it: no file left
            job.cancel()
            job.wait()

    def import_file(
        self,
        kind: str,
        path: str | os.PathLike[str],
        *,
        dry_run: bool = False,
        progress: Tick | None = None,
        cancelled: Callable[[], bool] | None = None,
        **options: Any,
    ) -> OpResult[ImportReport]:
        """Check (`dry_run`) or import a file of `kind` ("trello", "jira", "csv", "json").

        The value is the report: with errors when the file was refused (nothing written),
        committed after an import. No value and no message when cancelled (rolled back); a
        message when it failed (also sent as errorOccurred). `options` go to the importer:
        project, mapping, encoding, create_statuses.
        """
        host = self._host
        importer = IMPORTERS.get(kind)
        if importer is None:
            message = f"unknown import kind {kind!r}"
            host.errorOccurred.emit(message)
            return OpResult(message=message)
        services = host.services
        with host.held_changes():
            host.busyChanged.emit(True)
            try:
                with services.database.long_running():
                    return OpResult(
                        importer(
                            services,
                            path,
                            dry_run=dry_run,
                            progress=progress,
                            cancelled=cancelled,
                            **options,
                        )
                    )
            except ImportRejected as exc:
                return OpResult(exc.report)
            except ImportCancelled:
                return OpResult()
            except TrackerError as exc:
                unreachable(host, exc)  # a server lost mid-import: the window goes offline
                message = message_for(exc)
            except OSError as exc:
                message = file_message(path, exc)
            finally:
                host.busyChanged.emit(False)
        host.errorOccurred.emit(message)
        return OpResult(message=message)

    def start_export(
        self,
        kind: str,
        path: str | os.PathLike[str],
        *,
        flt: IssueFilter | None = None,
        columns: Sequence[str] | None = None,
        listen: Callable[[ExportJob], None] | None = None,
    ) -> ExportJob:
        """Start writing the issues `flt` finds (default: the current filter) as CSV with
        `columns`, or ("json") the whole database, on a worker thread; the job reports.

        `listen(job)` runs before the worker starts: connect the job's signals there. A signal
        reaches only the slots connected when it is emitted, so a worker that fails at once (a
        folder gone) would otherwise tell no one. The file appears only once complete: a cancel
        or a failure leaves none behind.
        """
        if kind not in ("csv", "json"):
            raise ValueError(f"unknown export kind {kind!r}")
        services = self._host.services
        scope = self._host.filter if flt is None else flt
        chosen = tuple(columns) if columns is not None else DEFAULT_EXPORT_COLUMNS

        def work(progress: Tick, cancelled: Callable[[], bool]) -> dict[str, int]:
            # On the worker's own connection: minutes, not the interactive seconds.
            with services.database.long_running():
                if kind == "csv":
                    rows = export_csv(
                        services, path, scope, chosen, progress=progress, cancelled=cancelled
                    )
                    return {"issues": rows}
                return export_json(services, path, progress=progress, cancelled=cancelled)

        job = ExportJob(work, ExportReads.of(services).close_thread_connection, os.fspath(path))
        if listen is not None:
            listen(job)
        job.ended.connect(self._on_export_job_ended)  # a method: delivered on this thread
        self._exports.add(job)
        self._host.busyChanged.emit(True)
        job.start()
        return job

    def _on_export_job_ended(self) -> None:
        job = self.sender()
        if isinstance(job, ExportJob):
            self._exports.discard(job)
        self._host.busyChanged.emit(False)
