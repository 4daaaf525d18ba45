"""A second instance on the same file: both work and see each other's changes; a lock is named."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.e2e.helpers import run_process
from tracker_gui.domain.models import NewIssue
from tracker_gui.services import Services, open_services
from tracker_gui.ui.store import Store


@pytest.fixture
def second(tmp_path: Path, gui_services: Services) -> Iterator[Store]:
    """A second window's store: its own connection to the same file."""
    services = open_services(gui_services.database.target, actor="alice")
    store = Store(services)
    yield store
    store.close()
    services.close()


def test_two_instances_see_each_others_writes(
    qtbot: QtBot, store: Store, second: Store, gui_services: Services, tmp_path: Path
) -> None:
    made = store.create_issue(NewIssue("TRK", "from the first window"))
    assert made is not None
    seen: list[int] = []
    second.issuesChanged.connect(lambda updates: seen.extend(u.issue_id for u in updates))
    qtbot.waitUntil(lambda: second.poll() > 0 or made.id in seen, timeout=5000)
    assert second.issue(made.id) is not None
    # A third, separate process (the command line) writes too; both windows pick it up.
    db = gui_services.database.target
    done = run_process("--db", db, "move", made.key, "Done", cwd=tmp_path)
    assert done.code == 0, done
    qtbot.waitUntil(lambda: (store.poll(), second.poll()) and _status(store, made.id) == "Done")
    assert _status(second, made.id) == "Done"


def _status(store: Store, issue_id: int) -> str:
    issue = store.issue(issue_id)
    assert issue is not None
    return store.status_name(issue.project_id, issue.status_id)


def test_a_write_while_another_program_holds_the_lock_is_named(
    qtbot: QtBot, store: Store, gui_services: Services
) -> None:
    errors: list[str] = []
    store.errorOccurred.connect(errors.append)
    holder = sqlite3.connect(gui_services.database.target, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        created = store.create_issue(NewIssue("TRK", "blocked"))  # waits the busy timeout
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert created is None
    assert errors == [
        f"{gui_services.database.target} is locked by another program "
        "(close it or try again in a moment)"
    ]
    assert store.create_issue(NewIssue("TRK", "after the lock")) is not None
