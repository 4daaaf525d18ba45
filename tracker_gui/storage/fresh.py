"""The project a fresh database starts with: recognise it untouched, and remove it for a restore."""

from __future__ import annotations

from collections.abc import Sequence

from tracker_gui.domain.models import Project
from tracker_gui.storage import convert
from tracker_gui.storage.database import Database
from tracker_gui.storage.tables import (
    ChangeRow,
    IssueRow,
    LabelRow,
    ProjectRow,
    SprintRow,
    StatusRow,
    TransitionRow,
)

# The one Change row `ProjectService.ensure_project` writes when it makes a project.
CREATED_FIELD = "project"


def untouched_only_project(
    database: Database, workflow: Sequence[tuple[str, str]]
) -> Project | None:
    """The database's only project, when nobody has used it since it was made.

    Untouched: its statuses are `workflow` ((name, category) in order) with no WIP limit, no
    transitions, no labels, no sprints, no issues (archived or deleted: a deleted one leaves
    history), and no history but the row that made it. Anything else is someone's data: None.
    """
    with database.reading():
        rows = list(ProjectRow.select().limit(2))
        if len(rows) != 1:
            return None
        row = rows[0]
        statuses = [
            (s.name, s.category, s.wip_limit)
            for s in StatusRow.select()
            .where(StatusRow.project == row.id)
            .order_by(StatusRow.position, StatusRow.id)
        ]
        if statuses != [(name, category, None) for name, category in workflow]:
            return None
        for table in (IssueRow, LabelRow, TransitionRow, SprintRow):  # a sprint: planned work
            if table.select().where(table.project == row.id).exists():
                return None
        fields = [
            c.field for c in ChangeRow.select(ChangeRow.field).where(ChangeRow.project == row.id)
        ]
        if fields != [CREATED_FIELD]:
            return None
        return convert.project(row)


def remove_project(database: Database, project_id: int) -> None:
    """Delete a project and what it holds (statuses, its creation row) in the caller's transaction.

    Only for a project `untouched_only_project` found: the foreign keys cascade to the rest.
    """
    with database.reading():
        ProjectRow.delete().where(ProjectRow.id == project_id).execute()
