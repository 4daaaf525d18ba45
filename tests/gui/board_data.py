"""Fixtures and data builders for the board and column model tests."""

from __future__ import annotations

import datetime as dt
import os
import random

from PySide6.QtCore import QMimeData
from pytestqt.qtbot import QtBot

import tracker_gui.ui.pyside_compat  # noqa: F401  (PySide6 6.12 on CPython 3.11: see the module)
from tests.gui.pane_helpers import shown
from tracker_gui.domain.enums import IssueType, Priority
from tracker_gui.domain.models import Issue, IssueFilter, NewIssue, Status
from tracker_gui.services import Services
from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.board.column_model import ColumnModel
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

# tests/conftest.py sets this too; repeated so this module also works on its own.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


TITLES = (
    "Crash when saving a board with an empty column",
    "Drag a card between columns keeps its labels",
    "Add keyboard shortcuts for moving cards",
    "Dark theme: label chips are hard to read",
    "Import Trello JSON with checklists",
    "Search is slow on 100k issues",
    "Show WIP limits in the column header",
    "Notifications for watched issues",
    "Undo a move across columns",
    "PostgreSQL: reconnect after the server restarts",
    "Export the board as CSV",
    "Swimlanes by assignee",
    "Due dates in the card footer",
    "Markdown preview in the description editor",
    "Attachment upload fails for files over 10 MB",
    "Saved filters appear in the sidebar",
    "Conflict dialog when two people edit a title",
    "Quick add: create an issue with Enter",
    "Archive finished issues older than 90 days",
    "Tooltip shows the full title",
)
LABELS = ("backend", "ui", "db", "perf", "docs", "security", "ux")
PEOPLE = (
    ("alice", "Alice Martin"),
    ("bob", "Bob Okafor"),
    ("carol", "Carol Nguyen"),
    ("dave", "Dave Schmidt"),
    ("erin", "Erin Walsh"),
)


def statuses(services: Services, key: str = "TRK") -> list[Status]:
    project = services.projects.project(key)
    return services.projects.workflow(project.id).statuses


def add_issues(
    services: Services, count: int, status: str | None = None, key: str = "TRK", **fields: object
) -> list[Issue]:
    """`count` plain issues appended to `status` (the first status when None)."""
    return [
        services.issues.create(
            NewIssue(project_key=key, title=f"Issue {n + 1}", status=status, **fields)  # type: ignore[arg-type]
        )
        for n in range(count)
    ]


def bulk_issues(services: Services, count: int, status_id: int) -> None:
    """Many issues fast: one insert each through the repo, inside one transaction, no events."""
    from tracker_gui.domain import rank
    from tracker_gui.storage.tables import utcnow

    repo = services.issues.repo
    project = services.projects.project("TRK")
    now = utcnow()
    with services.database.transaction():
        reporter = services.issues._actor_id()
        for key in rank.spread(count):
            number = repo.next_number(project.id)
            repo.insert(
                {
                    "uid": f"bulk-{number}",
                    "project": project.id,
                    "number": number,
                    "type": "task",
                    "title": f"Bulk issue {number}",
                    "description": "",
                    "status": status_id,
                    "priority": 3,
                    "assignee": None,
                    "reporter": reporter,
                    "parent": None,
                    "rank": key,
                    "due": None,
                    "estimate": None,
                    "created_at": now,
                    "updated_at": now,
                    "resolved_at": None,
                }
            )


def demo_board(services: Services, count: int = 60, seed: int = 7) -> None:
    """A realistic board: mixed types, priorities, people, labels and due dates."""
    rnd = random.Random(seed)
    project = services.projects.project("TRK")
    for username, name in PEOPLE:
        services.projects.ensure_user(username, name)
    colours = ("#2f6fde", "#8b5cf6", "#0e9f6e", "#e67e22", "#64748b", "#e5484d", "#d946ef")
    for label, colour in zip(LABELS, colours, strict=True):
        services.projects.ensure_label(project.id, label, colour)
    flow = statuses(services)
    weights = (0.35, 0.25, 0.15, 0.25)
    today = dt.date.today()
    for n in range(count):
        status = rnd.choices(flow, weights=weights)[0]
        due = None
        if rnd.random() < 0.45:
            due = today + dt.timedelta(days=rnd.randint(-6, 20))
        services.issues.create(
            NewIssue(
                project_key="TRK",
                title=TITLES[n % len(TITLES)] if n < len(TITLES) else rnd.choice(TITLES),
                type=rnd.choice(list(IssueType)[:4]),
                priority=rnd.choices(list(Priority), weights=(1, 2, 5, 3, 1))[0],
                status=status.name,
                assignee=rnd.choice([None, *(p[0] for p in PEOPLE)]),
                labels=tuple(rnd.sample(LABELS, rnd.choice((0, 1, 1, 2, 3)))),
                due=due,
            )
        )


def project_id(services: Services, key: str = "TRK") -> int:
    return services.projects.project(key).id


def ranked_ids(services: Services, status_id: int) -> list[int]:
    """The stored order of a column (rank, id), read straight from the services."""
    return [i.id for i in services.issues.column(status_id, IssueFilter(), 0, 10_000)]


def history_fields(services: Services, issue_id: int) -> list[tuple[str, str | None, str | None]]:
    return [(c.field, c.old, c.new) for c in services.feed.history(issue_id)]


def mime_for(model: ColumnModel, rows: list[int]) -> QMimeData:
    return model.mimeData([model.index(r, 0) for r in rows])


def shown_board(store: Store, services: Services, settings: Settings, qtbot: QtBot) -> BoardPane:
    """A board of project TRK, 1300x800 and on screen."""
    return shown(qtbot, BoardPane(store, project_id(services), settings), 1300, 800)


def header_counts(board: BoardPane, services: Services) -> list[str]:
    """The count each column header shows, in workflow order."""
    return [board.column_header(s.id).count.text() for s in statuses(services)]
