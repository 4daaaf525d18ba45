"""Fail the Nth statement of a service call, for every N: nothing stored, a clear StorageError.

Faults: `disk I/O error` and `database or disk is full` on SQLite; a psycopg
OperationalError and a really dropped connection (the server process terminated) on
PostgreSQL. The statement count includes BEGIN and COMMIT, so a failing commit is covered.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.faults import POSTGRES_FAULTS, SQLITE_FAULTS, FaultPlan, dump
from tracker_gui.domain.models import NewIssue
from tracker_gui.errors import StorageError
from tracker_gui.interchange import import_csv
from tracker_gui.services import Services

Operation = Callable[[Services], Any]


def _seed(services: Services) -> None:
    project, _ = services.projects.ensure_project("TRK", "Tracker")
    for name in ("bob", "carol"):
        services.projects.ensure_user(name, name.title())
    services.projects.ensure_label(project.id, "bug")
    for n in range(3):
        services.issues.create(NewIssue("TRK", f"seed {n}", labels=("bug",)))
    services.issues.comment(1, "first comment")


def _create(s: Services) -> Any:
    return s.issues.create(
        NewIssue(
            "TRK",
            "made under fire",
            description="text",
            labels=("bug", "brand-new label"),
            watchers=("bob", "carol"),
            assignee="bob",
        )
    )


def _move(s: Services) -> Any:
    issue = s.issues.get(3)
    statuses = s.projects.statuses(issue.project_id)
    return s.issues.move(3, issue.version, statuses[1].id)


def _reorder(s: Services) -> Any:
    issue = s.issues.get(3)
    return s.issues.move(3, issue.version, issue.status_id, before_id=1)


def _comment(s: Services) -> Any:
    return s.issues.comment(2, "a comment under fire")


def _csv_100(tmp: Path) -> Operation:
    path = tmp / "hundred.csv"
    lines = ["Summary,Status,Labels,Description"]
    lines += [f"imported {n},In Progress,imp{n % 3},body {n}" for n in range(100)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def run(s: Services) -> Any:
        report = import_csv(s, path, project="IMP")
        assert not report.errors, report.lines()
        return report

    return run


OPERATIONS = ["create", "move", "reorder", "comment", "import 100 rows"]


def _operation(name: str, tmp: Path) -> Operation:
    return {
        "create": _create,
        "move": _move,
        "reorder": _reorder,
        "comment": _comment,
    }.get(name) or _csv_100(tmp)


def _faults(backend: str) -> list[str]:
    return list(SQLITE_FAULTS if backend == "sqlite" else POSTGRES_FAULTS)


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("fault_index", [0, 1])
def test_a_fault_on_any_statement_leaves_the_database_unchanged(
    backend: str,
    db_target: str,
    make_services: Callable[..., Services],
    tmp_path: Path,
    operation: str,
    fault_index: int,
) -> None:
    fault_name = _faults(backend)[fault_index]
    fault = (SQLITE_FAULTS if backend == "sqlite" else POSTGRES_FAULTS)[fault_name]
    _seed(make_services("alice", create=True))
    op = _operation(operation, tmp_path)
    before = dump(db_target)
    messages: set[str] = set()
    n = 0
    while True:
        n += 1
        # A fresh connection each time: a dropped one is gone for good.
        services = make_services("alice")
        plan = FaultPlan(services.database, fault)
        plan.arm(n)
        try:
            op(services)
        except StorageError as exc:
            assert plan.fired_on is not None, f"{exc} without a fault"
            messages.add(str(exc))
            after = dump(db_target)
            assert after == before, f"statement {n} ({plan.fired_on!r}) left a trace"
            continue
        finally:
            plan.remove()
        # The call succeeded: its work is stored. Either no fault fired (every statement
        # ran), or the failing statement was a read after COMMIT (publishing the events),
        # which must not report a stored write as failed. Later statements are such reads too.
        assert dump(db_target) != before
        if plan.fired_on is not None:
            assert plan.committed_before_fault, f"statement {n} ({plan.fired_on!r}) was ignored"
        break
    statements = n - 1
    assert statements >= 3, "the call should need a BEGIN, a write and a COMMIT"
    for message in messages:
        assert "Traceback" not in message
        if fault_name == "disk full":
            assert "is full" in message and "free some space" in message
        elif fault_name == "disk I/O error":
            assert "could not be read or written" in message
        else:
            assert "connection" in message or "terminat" in message, message
    sample = sorted(messages)[0] if messages else ""
    print(f"{backend} {fault_name} {operation}: failed at each of statements 1..{statements}")
    print(f"  e.g. {sample}")
