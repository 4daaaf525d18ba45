"""Planning issues into a sprint as an undoable step: undo puts each back where it was."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtGui import QUndoCommand

from tracker_gui.domain.models import Issue
from tracker_gui.ui.ops import sprints as ops
from tracker_gui.ui.ops.core import OpResult


@dataclass
class PlanOutcome:
    """What the first redo() produced; kept outside the command, which Qt may delete."""

    result: OpResult[list[Issue]] = field(default_factory=OpResult)


def _text(issues: list[Issue], name: str | None) -> str:
    what = issues[0].key if len(issues) == 1 else f"{len(issues)} issues"
    return f"Move {what} to the backlog" if name is None else f"Plan {what} into {name}"


class PlanCommand(QUndoCommand):
    """Set the sprint of issues; undo sets each one's old sprint back (grouped by sprint).

    An issue whose sprint someone else changed since is left alone either way, so an undo
    never overwrites their planning.
    """

    def __init__(
        self, host: ops.PlanHost, issues: list[Issue], name: str | None, outcome: PlanOutcome
    ) -> None:
        super().__init__()
        self._host = host
        self._ids = [i.id for i in issues]
        self._name = name
        self._outcome = outcome
        self._first = True
        self._before: dict[int, str | None] = {}
        self.setText(_text(issues, name))

    def redo(self) -> None:
        if self._first:
            self._first = False
            before = ops.names_of(self._host, self._ids)
            if before is None:
                self._outcome.result = OpResult(message="the issues could not be read")
                self.setObsolete(True)
                return
            self._before = before
            self._outcome.result = ops.plan_now(self._host, self._ids, self._name)
            moved = [i for i in self._ids if not _same(before.get(i), self._name)]
            if self._outcome.result.value is None or not moved:
                self.setObsolete(True)  # refused, or all were there already
            return
        self._put({i: self._name for i in self._ids}, expect=self._before)

    def undo(self) -> None:
        self._put(self._before, expect={i: self._name for i in self._ids})

    def _put(self, target: dict[int, str | None], expect: dict[int, str | None]) -> None:
        now = ops.names_of(self._host, list(target)) or {}
        groups: dict[str | None, list[int]] = defaultdict(list)
        for issue_id, name in target.items():
            if issue_id in now and _same(now[issue_id], expect.get(issue_id)):
                groups[name].append(issue_id)
        for name, ids in groups.items():
            if ops.plan_now(self._host, ids, name).value is None:
                self.setObsolete(True)  # refused (a closed sprint, say): the error was shown
                return


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold() == (b or "").casefold()


def plan(host: ops.PlanHost, issues: Sequence[Issue], name: str | None) -> OpResult[list[Issue]]:
    """Plan issues into a sprint (None: the backlog) as one undoable step."""
    outcome = PlanOutcome()
    host.undo_stack.push(PlanCommand(host, list(issues), name, outcome))
    return outcome.result


def plan_one(host: ops.PlanHost, issue: Issue, name: str | None) -> OpResult[Issue]:
    """The detail pane's Sprint field: one issue, undoable, the issue as saved."""
    done = plan(host, [issue], name)
    if done.value is None:
        return OpResult(message=done.message, conflict=done.conflict)
    found = next((i for i in done.value if i.id == issue.id), None)
    return OpResult(found, changes=done.changes)
