"""Two databases used from two threads at once each see only their own rows.

The table classes used to be rebound for a block (`bind_ctx`) on the class itself: while a
worker thread read the server, the GUI thread's queries went there too. The team window has
exactly that: the offline copy on the GUI thread and the server in a sync worker."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker_gui.domain.models import NewIssue
from tracker_gui.services import open_services
from tracker_gui.storage.tables import IssueRow


@pytest.fixture
def busy_switching() -> Iterator[None]:
    """Threads switch every microsecond: a shared binding would show within a few reads."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_each_thread_reads_its_own_database(tmp_path: Path, busy_switching: None) -> None:
    first = open_services(str(tmp_path / "one.db"), create=True, actor="alice")
    second = open_services(str(tmp_path / "two.db"), create=True, actor="bob")
    first.projects.ensure_project("ONE", "One")
    second.projects.ensure_project("TWO", "Two")
    first.issues.create(NewIssue("ONE", "in one"))
    second.issues.create(NewIssue("TWO", "in two"))
    seen: dict[str, set[str]] = {"one": set(), "two": set()}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def read(name: str, services: object) -> None:
        try:
            start.wait()
            for _ in range(2000):
                with services.database.bound():  # type: ignore[attr-defined]
                    seen[name] |= {r.title for r in IssueRow.select(IssueRow.title)}
        except BaseException as exc:  # reported below, with the thread's name
            errors.append(exc)

    workers = [
        threading.Thread(target=read, args=("one", first)),
        threading.Thread(target=read, args=("two", second)),
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    first.close()
    second.close()
    assert errors == []
    assert seen == {"one": {"in one"}, "two": {"in two"}}
