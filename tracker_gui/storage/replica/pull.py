"""Bring a replica up to the server: a full copy the first time, then the rows the change log
names, re-read through the login's own connection, all from one snapshot of the server."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tracker_gui.storage import tables
from tracker_gui.storage.database import Database
from tracker_gui.storage.replica import copy, files, server
from tracker_gui.storage.replica.copy import marks
from tracker_gui.storage.tables import utcnow

Progress = Callable[[int, int], None]  # (tables done, tables in all)


@dataclass(frozen=True)
class Pulled:
    changes: int  # Change rows new to the replica
    removed_projects: tuple[str, ...]  # keys of projects the login can no longer read


def pull(
    server_db: Database,
    replica: Database,
    progress: Progress | None = None,
    touched: Sequence[str] = (),
) -> Pulled:
    """One pull; the replica's transaction commits only when everything was read.

    `touched`: uids of issues a push just sent changes for. They are re-read even where the
    server wrote nothing (a refusal, a conflict): the replica then shows the server's state.
    """
    try:
        with server_db.snapshot():
            cursor_text = files.meta(replica, "cursor")
            if cursor_text is None:
                return _first(server_db, replica, progress)
            return _since(server_db, replica, int(cursor_text), _seen(replica), list(touched))
    except _Queued:
        return Pulled(0, ())


class _Queued(Exception):
    """A change was queued since the push: pulling now would hide it; the next sync will."""


def _begin(replica: Database) -> None:
    """First thing in the replica's pull transaction (which holds the write lock from here)."""
    replica.peewee.execute_sql("PRAGMA defer_foreign_keys = ON")
    if replica.peewee.execute_sql("SELECT count(*) FROM replica_outbox").fetchone()[0]:
        raise _Queued


def _seen(replica: Database) -> set[int]:
    return set(json.loads(files.meta(replica, "seen") or "[]"))


def _finish(replica: Database, horizon: int, rows: list[server.ServerChange]) -> None:
    """The cursor moves to the horizon, never past it; rows at or above it are remembered
    (they are read again next time, and must not be counted twice)."""
    above = sorted(c.id for c in rows if c.txid is not None and c.txid >= horizon)
    files.set_meta(
        replica,
        {
            "cursor": str(horizon),
            "seen": json.dumps(above),
            "last_synced": utcnow().isoformat(sep=" "),
        },
    )


def _first(server_db: Database, replica: Database, progress: Progress | None) -> Pulled:
    horizon = server.horizon(server_db)
    recent = server.changes_from(server_db, horizon)
    total = len(copy.ORDER)
    with replica.transaction():
        _begin(replica)
        for model in reversed(copy.ORDER):
            copy.delete(replica, model, "1 = 1", ())
        count = 0
        for done, model in enumerate(copy.ORDER, start=1):
            rows = copy.read(server_db, model)
            copy.put(replica, model, rows)
            if model is tables.ChangeRow:
                count = len(rows)
            if progress is not None:
                progress(done, total)
        _finish(replica, horizon, recent)
    return Pulled(count, ())


def _since(
    server_db: Database, replica: Database, cursor: int, seen: set[int], touched: list[str]
) -> Pulled:
    horizon = server.horizon(server_db)
    rows = server.changes_from(server_db, cursor)
    new = [c for c in rows if c.id not in seen]
    visible = copy.ids(server_db, "SELECT id FROM project")
    with replica.transaction():
        _begin(replica)
        local = copy.ids(replica, "SELECT id FROM project")
        removed = _drop_projects(replica, sorted(local - visible))
        copy.put(replica, tables.UserRow, copy.read(server_db, tables.UserRow))
        for project_id in sorted(visible - local):
            _copy_project(server_db, replica, project_id)
        kept = visible & local
        # Statuses, transitions and labels are few: re-read them in every project that
        # changed (an issue's edit may have made a label), not only on workflow changes.
        # Every visible project's statuses, transitions and labels are re-read each time
        # (they are few): a refused edit or a refused new issue may have made a label here
        # that the server never got, and no change on the server names that project.
        parts = set(kept)
        for project_id in sorted(parts):
            _refresh_project(server_db, replica, project_id)
        # Project rows are few; a new issue moves its project's next number, and an issue
        # made offline moved the local one: every visible row, every time.
        copy.put(replica, tables.ProjectRow, copy.read(server_db, tables.ProjectRow))
        issues = {int(c.issue_id) for c in new if c.issue_id is not None}
        if touched:
            where = f"uid IN ({marks(touched, '?')})"
            issues |= copy.ids(replica, f"SELECT id FROM issue WHERE {where}", touched)
            issues |= copy.ids(server_db, f"SELECT id FROM issue WHERE {where.replace('?', '%s')}",
                               touched)  # fmt: skip
        _refresh_issues(server_db, replica, sorted(issues))
        for project_id in sorted(parts):
            _drop_unused_statuses(server_db, replica, project_id)
        copy.delete(replica, tables.SavedFilterRow, "1 = 1", ())
        copy.put(replica, tables.SavedFilterRow, copy.read(server_db, tables.SavedFilterRow))
        ids = [c.id for c in new if c.project_id in kept]
        if ids:
            where = f"id IN ({marks(ids, '%s')})"
            copy.put(replica, tables.ChangeRow, copy.read(server_db, tables.ChangeRow, where, ids))
        _finish(replica, horizon, rows)
    return Pulled(len(new), removed)


def _drop_projects(replica: Database, project_ids: list[int]) -> tuple[str, ...]:
    """Remove what the login may no longer read (children first: statuses are RESTRICT)."""
    keys = []
    for project_id in project_ids:
        row = replica.peewee.execute_sql(
            "SELECT key FROM project WHERE id = ?", (project_id,)
        ).fetchone()
        keys.append(str(row[0]) if row else str(project_id))
        p = (project_id,)
        copy.delete(replica, tables.ChangeRow, "project_id = ?", p)
        copy.delete(replica, tables.IssueRow, "project_id = ?", p)
        for model in (tables.TransitionRow, tables.LabelRow, tables.SprintRow, tables.StatusRow):
            copy.delete(replica, model, "project_id = ?", p)
        copy.delete(replica, tables.ProjectRow, "id = ?", p)
    return tuple(keys)


def _copy_project(server_db: Database, replica: Database, project_id: int) -> None:
    p = (project_id,)
    copy.put(replica, tables.ProjectRow, copy.read(server_db, tables.ProjectRow, "id = %s", p))
    for model in copy.PROJECT_PARTS:
        copy.put(replica, model, copy.read(server_db, model, "project_id = %s", p))
    issues = copy.ids(server_db, "SELECT id FROM issue WHERE project_id = %s", p)
    _refresh_issues(server_db, replica, sorted(issues))
    copy.put(
        replica, tables.ChangeRow, copy.read(server_db, tables.ChangeRow, "project_id = %s", p)
    )


def _refresh_project(server_db: Database, replica: Database, project_id: int) -> None:
    p = (project_id,)
    copy.put(replica, tables.ProjectRow, copy.read(server_db, tables.ProjectRow, "id = %s", p))
    copy.delete(replica, tables.TransitionRow, "project_id = ?", p)
    for model in copy.PROJECT_PARTS:
        rows = copy.read(server_db, model, "project_id = %s", p)
        if model in copy.REMOVABLE_PARTS:
            keep = [r[0] for r in rows]
            if keep:
                copy.delete(
                    replica, model, f"project_id = ? AND id NOT IN ({marks(keep, '?')})",
                    [*p, *keep],
                )  # fmt: skip
            else:  # `id NOT IN (NULL)` is never true: none on the server means none here
                copy.delete(replica, model, "project_id = ?", p)
        copy.put(replica, model, rows)


def _drop_unused_statuses(server_db: Database, replica: Database, project_id: int) -> None:
    keep = sorted(copy.ids(server_db, "SELECT id FROM status WHERE project_id = %s", (project_id,)))
    copy.delete(
        replica,
        tables.StatusRow,
        f"project_id = ? AND id NOT IN ({marks(keep, '?')})",
        [project_id, *keep],
    )


def _refresh_issues(server_db: Database, replica: Database, issue_ids: list[int]) -> None:
    """Re-read these issues and their rows; an issue the server no longer shows goes.

    Every local row of these issues goes first, then the server's come: a row made offline
    (pushed since) may hold an id the server gave another row, which arrives in any chunk.
    """
    chunks = [issue_ids[start : start + 500] for start in range(0, len(issue_ids), 500)]
    links = "source_id IN {w} OR target_id IN {w}"
    for chunk in chunks:
        where = f"({marks(chunk, '?')})"
        for model, column in copy.ISSUE_CHILDREN:
            copy.delete(replica, model, f"{column} IN {where}", chunk)
        copy.delete(replica, tables.LinkRow, links.format(w=where), chunk * 2)
    for chunk in chunks:
        srv: list[Any] = list(chunk)
        where_s = f"({marks(chunk, '%s')})"
        found = copy.read(server_db, tables.IssueRow, f"id IN {where_s}", srv)
        gone = sorted(set(chunk) - {int(r[0]) for r in found})
        if gone:
            copy.delete(replica, tables.IssueRow, f"id IN ({marks(gone, '?')})", gone)
        copy.put(replica, tables.IssueRow, found)
    for chunk in chunks:
        srv = list(chunk)
        where_s = f"({marks(chunk, '%s')})"
        for model, column in copy.ISSUE_CHILDREN:
            copy.put(replica, model, copy.read(server_db, model, f"{column} IN {where_s}", srv))
        rows = copy.read(server_db, tables.LinkRow, links.format(w=where_s), srv * 2)
        copy.put(replica, tables.LinkRow, rows)
