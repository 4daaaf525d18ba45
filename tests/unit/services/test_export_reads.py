"""ExportReads on a worker thread: its own connection, one snapshot, closed when done."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tracker_gui.domain.models import NewIssue
from tracker_gui.interchange import export_json
from tracker_gui.services import Services
from tracker_gui.services.export_reads import ExportReads


def test_an_export_on_a_worker_thread_reads_through_its_own_connection_and_closes_it(
    services: Services, tmp_path: Path
) -> None:
    """The window exports on a worker while its own thread keeps reading and writing."""
    services.projects.ensure_project("TRK", "Tracker")
    for n in range(5):
        services.issues.create(NewIssue("TRK", f"issue {n}"))
    handle = services.database.peewee
    mine = handle.connection()
    seen: dict[str, Any] = {}

    def work() -> None:
        try:
            seen["counts"] = export_json(services, tmp_path / "out.json")
            seen["connection"] = handle.connection()
        finally:
            ExportReads.of(services).close_thread_connection()
            seen["closed"] = handle.is_closed()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(60)
    assert seen["counts"]["issues"] == 5
    assert seen["connection"] is not mine and seen["closed"]
    assert handle.connection() is mine and not handle.is_closed()
    services.issues.create(NewIssue("TRK", "after the export"))
    assert services.issues.by_key("TRK-6").title == "after the export"


def test_closing_the_thread_connection_on_the_main_thread_does_nothing(services: Services) -> None:
    services.projects.ensure_project("TRK", "Tracker")
    ExportReads.of(services).close_thread_connection()
    assert not services.database.peewee.is_closed()
    assert services.projects.project("TRK").key == "TRK"
