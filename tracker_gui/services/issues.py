"""Issue writes that change the issue itself: report, edit, move, reorder, archive, delete."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from tracker_gui.domain import history, rank, validation
from tracker_gui.domain.enums import IssueType, Priority, Role, StatusCategory
from tracker_gui.domain.models import (
    Issue,
    MoveTo,
    NewIssue,
)
from tracker_gui.errors import (
    ConflictError,
    NotFoundError,
    TransitionError,
    UserError,
    ValidationError,
)
from tracker_gui.services import bulk_moves
from tracker_gui.services.issue_reads import IssueReads
from tracker_gui.services.issue_talk import IssueTalk
from tracker_gui.services.unit_of_work import ChangeRecord
from tracker_gui.storage.tables import utcnow

T = TypeVar("T")
EDITABLE = (
    "title",
    "description",
    "type",
    "priority",
    "assignee",
    "due",
    "estimate",
    "parent",
    "labels",
)

__all__ = ["EDITABLE", "IssueReads", "IssueService"]


class IssueService(IssueTalk):
    """Every write: validate, one transaction, one Change row per changed field, publish after."""

    # -- create --------------------------------------------------------------------------
    def create(self, new: NewIssue) -> Issue:
        title = validation.title(new.title)
        description = validation.description(new.description)
        validation.estimate(new.estimate)
        key = new.project_key.strip().upper()
        project_id = self.catalog.project_id(key)
        if project_id is None:
            raise NotFoundError(f"no project with key {new.project_key!r}")
        flow = self._workflow(project_id)
        if not flow.statuses:
            raise UserError(f"project {key} has no statuses")
        status = flow.find(new.status) if new.status else flow.initial
        if status is None:
            names = ", ".join(s.name for s in flow.statuses)
            raise ValidationError("status", f"no status {new.status!r} in {key} (use: {names})")
        with self._work() as work:
            reporter = self._actor_id()
            assignee = self._assignee(new.assignee)
            parent_id = self._resolve_parent(project_id, new.parent_key)
            label_ids, shown = self._label_ids(project_id, new.labels)
            watcher_ids = [u.id for u in self._ensure_users(new.watchers)] if new.watchers else []
            number = self.repo.next_number(project_id)
            last = self.repo.last_rank(status.id)
            now = utcnow()
            uid, new_rank = str(uuid.uuid4()), rank.between(last, None)
            values: dict[str, Any] = {
                "uid": uid,
                "project": project_id,
                "number": number,
                "type": new.type.value,
                "title": title,
                "description": description,
                "status": status.id,
                "priority": int(new.priority),
                "assignee": assignee,
                "reporter": reporter,
                "parent": parent_id,
                "rank": new_rank,
                "due": new.due,
                "estimate": new.estimate,
                "created_at": now,
                "updated_at": now,
                "resolved_at": now if status.category == StatusCategory.DONE else None,
            }
            written = self.repo.insert_returning(values)
            if label_ids:
                self.repo.add_labels(written.id, label_ids)
            for watcher in watcher_ids:
                self.repo.add_watcher(written.id, watcher)
            if self.db.server_managed:
                # Its triggers decide the reporter (the login) among others: read it back.
                issue = self.get(written.id)
            else:
                issue = Issue(
                    id=written.id,
                    uid=uid,
                    project_id=project_id,
                    project_key=key,
                    number=written.number,
                    type=new.type,
                    title=title,
                    status_id=status.id,
                    priority=Priority(int(new.priority)),
                    rank=new_rank,
                    reporter=self.actor,
                    created_at=written.created_at,
                    updated_at=written.updated_at,
                    version=written.version,
                    description=description,
                    assignee=self._assignee_name(new.assignee),
                    parent_id=parent_id,
                    due=new.due,
                    estimate=new.estimate,
                    resolved_at=written.resolved_at,
                    archived=written.archived,
                    labels=shown,
                )
            snapshot = history.snapshot(issue)
            work.log(project_id, written.id, history.CREATED, None, snapshot)
        return issue

    # -- edit ----------------------------------------------------------------------------
    def edit(self, issue_id: int, expected_version: int, changes: Mapping[str, Any]) -> Issue:
        """Change any of EDITABLE; unknown or unchanged fields are rejected or skipped."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValidationError(sorted(unknown)[0], f"cannot edit {', '.join(sorted(unknown))}")
        issue = self._current(issue_id, "edit")
        values: dict[str, Any] = {}
        logged: list[tuple[str, Any, Any]] = []

        shown: dict[str, Any] = {}  # Issue attribute -> its new value

        def note(field: str, column: str, stored: Any, old: Any, new: Any) -> None:
            if history.encode(field, old) != history.encode(field, new):
                values[column] = stored
                logged.append((field, old, new))
                shown[_ATTRIBUTE.get(field, field)] = new

        if "title" in changes:
            t = validation.title(changes["title"])
            note("title", "title", t, issue.title, t)
        if "description" in changes:
            d = validation.description(changes["description"] or "")
            note("description", "description", d, issue.description, d)
        if "type" in changes:
            kind = _coerce("type", IssueType, changes["type"])
            note("type", "type", kind.value, issue.type, kind)
        if "priority" in changes:
            p = changes["priority"]
            pr = _coerce("priority", Priority.parse if isinstance(p, str) else Priority, p)
            note("priority", "priority", int(pr), issue.priority, pr)
        if "due" in changes:
            due = changes["due"]
            if due is not None and not isinstance(due, dt.date):
                raise ValidationError("due", "due must be a date")
            note("due", "due", due, issue.due, due)
        if "estimate" in changes:
            raw = changes["estimate"]
            est = validation.estimate(None if raw is None else _coerce("estimate", float, raw))
            note("estimate", "estimate", est, issue.estimate, est)
        with self._work() as work:
            if "assignee" in changes:
                who = self._assignee_name(changes["assignee"] or None)
                uid = self._assignee(who)
                note("assignee", "assignee", uid, issue.assignee, who)
            if "parent" in changes:
                pid = self._resolve_parent(issue.project_id, changes["parent"], issue_id)
                note("parent", "parent", pid, issue.parent_id, pid)
            label_ids: list[int] | None = None
            if "labels" in changes:
                label_ids, names = self._label_ids(issue.project_id, changes["labels"])
                if history.encode("labels", names) != history.encode("labels", issue.labels):
                    logged.append(("labels", issue.labels, names))
                    shown["labels"] = names
                else:
                    label_ids = None
            if not logged:
                # Nothing to write, but a stale version still means someone saved first.
                return self._unchanged(issue, expected_version, "edit")
            written = self.repo.update_returning(issue_id, expected_version, values)
            if written is None:
                raise self._conflict(issue_id, "edit")
            if label_ids is not None:
                self.repo.set_labels(issue_id, label_ids)
            work.add(
                [
                    ChangeRecord(
                        issue.project_id,
                        issue_id,
                        self.actor,
                        field,
                        history.encode(field, old),
                        history.encode(field, new),
                    )
                    for field, old, new in logged
                ]
            )
            # Inside the transaction: a failed read after COMMIT would report an error for
            # a write that happened.
            edited = self._after(issue, expected_version, written, **shown)
        return edited

    # -- move / reorder ------------------------------------------------------------------
    def move(
        self,
        issue_id: int,
        expected_version: int,
        status_id: int | None = None,
        *,
        after_id: int | None = None,
        before_id: int | None = None,
        exact_rank: str | None = None,
    ) -> Issue:
        """Put the issue in `status_id` (default: its own) below `after_id` / above `before_id`.

        With neither neighbour, a status change appends it at the end of the new column.
        `exact_rank` (used by undo) restores a previous rank, or lands just below the card
        that holds it now.
        """
        last: str | None = None
        token: int | None = None  # the workflow's change-log token, read with the issue
        appending = status_id is not None and after_id is None and before_id is None
        if appending and exact_rank is None:
            assert status_id is not None
            # The common drop on a column: the issue and that column's last rank together.
            found, last, token = self.repo.get_moving(issue_id, status_id)
            if found is None:
                raise ConflictError("move: the issue was deleted by someone else", None)
            issue = found
        else:
            issue = self._current(issue_id, "move")
        target = issue.status_id if status_id is None else status_id
        flow = self._workflow(issue.project_id, token)
        if target not in {s.id for s in flow.statuses}:
            raise ValidationError("status", "that status does not belong to the issue's project")
        if not flow.allows(issue.status_id, target):
            raise TransitionError(
                f"{issue.key}: moving from {flow.status(issue.status_id).name!r} to "
                f"{flow.status(target).name!r} is not allowed by the workflow"
            )
        if exact_rank is not None and rank.is_valid(exact_rank):
            new_rank = exact_rank
            if self.repo.rank_taken(target, exact_rank, issue.id):
                below = self.repo.rank_neighbour(target, exact_rank, below=True, exclude=issue.id)
                new_rank = rank.between(exact_rank, below)
        elif appending and exact_rank is None and target != issue.status_id:
            new_rank = rank.between(last, None) if last else rank.between(None, None)
        else:
            new_rank = self._rank_for(issue, target, after_id, before_id)
        values: dict[str, Any] = {}
        rows: list[ChangeRecord] = []
        if target != issue.status_id:
            values["status"] = target
            was_done = flow.status(issue.status_id).category == StatusCategory.DONE
            now_done = flow.status(target).category == StatusCategory.DONE
            if now_done != was_done:
                values["resolved_at"] = utcnow() if now_done else None
            rows.append(
                ChangeRecord(
                    issue.project_id,
                    issue_id,
                    self.actor,
                    "status",
                    str(issue.status_id),
                    str(target),
                )
            )
        if new_rank != issue.rank:
            values["rank"] = new_rank
            rows.append(
                ChangeRecord(issue.project_id, issue_id, self.actor, "rank", issue.rank, new_rank)
            )
        if not rows:
            return self._unchanged(issue, expected_version, "move")
        with self._work() as work:
            written = self.repo.update_returning(issue_id, expected_version, values)
            if written is None:
                raise self._conflict(issue_id, "move")
            work.add(rows)
            moved = self._after(issue, expected_version, written, status_id=target, rank=new_rank)
        return moved

    def transition(self, issue_id: int, expected_version: int, status_name: str) -> Issue:
        issue = self.get(issue_id)
        status = self._workflow(issue.project_id).find(status_name)
        if status is None:
            raise ValidationError("status", f"{issue.project_key} has no status {status_name!r}")
        return self.move(issue_id, expected_version, status.id)

    def _rank_for(
        self, issue: Issue, status_id: int, after_id: int | None, before_id: int | None
    ) -> str:
        if after_id is None and before_id is None:
            if status_id == issue.status_id:
                return issue.rank
            last = self.repo.last_rank(status_id)
            return rank.between(last, None) if last else rank.between(None, None)
        above = self.get(after_id).rank if after_id is not None else None
        below = self.get(before_id).rank if before_id is not None else None
        if above is not None and below is None:
            below = self.repo.rank_neighbour(status_id, above, below=True, exclude=issue.id)
        elif below is not None and above is None:
            above = self.repo.rank_neighbour(status_id, below, below=False, exclude=issue.id)
        if above is not None and below is not None and not above < below:
            raise ConflictError("the column changed while you were moving; try again", None)
        return rank.between(above, below)

    def bulk_move(self, moves: Sequence[tuple[int, int, int]] | Sequence[MoveTo]) -> list[Issue]:
        """Many issues in one transaction and one change set (one user action): all or none.

        (issue id, version, status id) tuples append each issue to its new column in the
        order given, with a rank of its own, logged like a single move (status, rank,
        resolved time). MoveTo items (a multi-card drop, its undo) are placed in order, each
        between its neighbours, after its lane edits, exactly as move() and edit() would.
        """
        if any(isinstance(m, MoveTo) for m in moves):
            return bulk_moves.place_all(self, [m for m in moves if isinstance(m, MoveTo)])
        planned = []
        for issue_id, version, status_id in moves:  # type: ignore[misc]
            issue = self._current(issue_id, "move")
            flow = self._workflow(issue.project_id)
            if status_id not in {s.id for s in flow.statuses}:
                raise ValidationError("status", f"{issue.key}: that status is not in its project")
            if not flow.allows(issue.status_id, status_id):
                raise TransitionError(f"{issue.key}: that move is not allowed by the workflow")
            planned.append((issue, version, status_id, flow))
        rows: list[ChangeRecord] = []
        last_rank: dict[int, str | None] = {}
        after: dict[int, Issue] = {}
        with self._work() as work:
            for issue, version, status_id, flow in planned:
                if status_id == issue.status_id:
                    continue
                if status_id not in last_rank:
                    last_rank[status_id] = self.repo.last_rank(status_id)
                new_rank = rank.between(last_rank[status_id], None)
                last_rank[status_id] = new_rank
                values: dict[str, Any] = {"status": status_id, "rank": new_rank}
                was_done = flow.status(issue.status_id).category == StatusCategory.DONE
                now_done = flow.status(status_id).category == StatusCategory.DONE
                if now_done != was_done:
                    values["resolved_at"] = utcnow() if now_done else None
                written = self.repo.update_returning(issue.id, version, values)
                if written is None:
                    raise self._conflict(issue.id, "move")
                after[issue.id] = self._after(
                    issue, version, written, status_id=status_id, rank=new_rank
                )
                who, pid = self.actor, issue.project_id
                rows.append(
                    ChangeRecord(pid, issue.id, who, "status", str(issue.status_id), str(status_id))
                )
                if new_rank != issue.rank:  # as move() does: an unchanged rank is no change
                    rows.append(ChangeRecord(pid, issue.id, who, "rank", issue.rank, new_rank))
            work.add(rows)
            result = [after.get(i.id) or self.get(i.id) for i, *_ in planned]
        return result

    # -- archive / delete ----------------------------------------------------------------
    def archive(self, issue_id: int, expected_version: int, archived: bool = True) -> Issue:
        issue = self._current(issue_id, "archive")
        if issue.archived == archived:
            return self._unchanged(issue, expected_version, "archive")
        with self._work() as work:
            written = self.repo.update_returning(issue_id, expected_version, {"archived": archived})
            if written is None:
                raise self._conflict(issue_id, "archive")
            work.log(
                issue.project_id,
                issue_id,
                "archived",
                history.encode("archived", issue.archived),
                history.encode("archived", archived),
            )
            changed = self._after(issue, expected_version, written)
        return changed

    def delete(self, issue_id: int, expected_version: int) -> None:
        issue = self._current(issue_id, "delete")
        with self._work() as work:
            children = self.repo.children(issue_id)
            if not self.repo.delete(issue_id, expected_version):
                raise self._conflict(issue_id, "delete", Role.ADMIN)
            # Each child loses its parent: that is a change of the child, logged as one.
            rows: list[ChangeRecord] = [
                ChangeRecord(issue.project_id, c.id, self.actor, "parent", str(issue_id), None)
                for c in children
            ]
            rows.append(
                ChangeRecord(
                    issue.project_id, issue_id, self.actor, history.DELETED, issue.key, None
                )
            )
            work.add(rows)


# Change-log field -> Issue attribute, where they differ.
_ATTRIBUTE = {"parent": "parent_id"}


def _coerce(field: str, convert: Callable[[Any], T], value: Any) -> T:
    """Convert an edited value, turning a wrong kind of value into a ValidationError."""
    try:
        return convert(value)
    except (ValueError, TypeError) as exc:
        raise ValidationError(field, f"{field}: {value!r} is not valid ({exc})") from None
