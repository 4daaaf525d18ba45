"""What an import creates, in a neutral shape: planned by interchange, written by services."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from tracker_gui.domain.enums import IssueType, LinkKind, Priority, StatusCategory
from tracker_gui.domain.models import Project, Status
from tracker_gui.domain.workflow import DEFAULT_WORKFLOW


class Ticker(Protocol):
    """Progress of a long write, called per issue; it raises to cancel (rolling back)."""

    def __call__(self, done: int, total: int, *, force: bool = False) -> None: ...


USES_SHOWN = 3  # where a missing status is used: the first few places


@dataclass(slots=True)
class PlannedUser:
    username: str
    display_name: str = ""
    email: str = ""


@dataclass(slots=True)
class PlannedComment:
    author: str
    body: str
    created_at: dt.datetime | None = None


@dataclass(slots=True)
class PlannedIssue:
    """One issue to create; `ref` names it inside the file, `where` in messages."""

    ref: str
    where: str
    title: str
    status: str
    type: IssueType = IssueType.TASK
    priority: Priority = Priority.MEDIUM
    description: str = ""
    assignee: str | None = None
    reporter: str | None = None
    labels: tuple[str, ...] = ()
    due: dt.date | None = None
    estimate: float | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    archived: bool = False
    number: int | None = None  # keep this number (a Jira key whose project key is free)
    parent: str | None = None  # the ref of an issue planned earlier
    source_key: str | None = None  # the key it had where it came from
    comments: list[PlannedComment] = field(default_factory=list)
    watchers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PlannedLink:
    kind: LinkKind
    source: str  # refs of planned issues
    target: str


@dataclass
class ProjectPlan:
    """Everything one import creates in one project, issues in the order they are written.

    `issues` is a factory so a big CSV file is read again rather than held in memory; every
    parent comes before its children, and within a status the order is the board order.
    """

    key: str
    name: str
    note: str
    issues: Callable[[], Iterable[PlannedIssue]]
    issue_count: int = 0
    workflow: list[tuple[str, StatusCategory]] = field(default_factory=list)
    users: dict[str, PlannedUser] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # name -> colour
    links: list[PlannedLink] = field(default_factory=list)
    keep_numbers: bool = False
    fallback: str = ""  # who is credited when the file names nobody (the importing user)
    default_status: str = ""  # for rows that name no status
    status_uses: dict[str, list[str]] = field(default_factory=dict)  # name -> where used
    per_status: Counter[str] = field(default_factory=Counter)  # casefolded name -> issues
    referenced: set[str] = field(default_factory=set)  # refs that are some issue's parent
    counts: Counter[str] = field(default_factory=Counter)  # what the file holds

    def add_user(self, username: str | None, display_name: str = "", email: str = "") -> None:
        if username and username not in self.users:
            self.users[username] = PlannedUser(username, display_name or username, email)

    def count_issue(self, issue: PlannedIssue) -> None:
        """Record what an issue brings (statuses, labels, people) for the checks and report."""
        self.issue_count += 1
        uses = self.status_uses.setdefault(issue.status, [])
        if len(uses) < USES_SHOWN:
            uses.append(issue.where)
        self.per_status[issue.status.casefold()] += 1
        self.counts["subtasks" if issue.type == IssueType.SUBTASK else "issues"] += 1
        self.counts["comments"] += len(issue.comments)
        self.counts["watchers"] += len(issue.watchers)
        if issue.parent:
            self.referenced.add(issue.parent)
        for name in (issue.assignee, issue.reporter, *issue.watchers):
            self.add_user(name)
        for comment in issue.comments:
            self.add_user(comment.author)
        for label in issue.labels:
            self.labels.setdefault(label, "")


@dataclass
class Target:
    """The project an import writes into, as it is now."""

    key: str
    project: Project | None
    statuses: list[Status] = field(default_factory=list)
    to_create: list[tuple[str, StatusCategory]] = field(default_factory=list)

    @property
    def initial_status(self) -> str:
        return self.statuses[0].name if self.statuses else DEFAULT_WORKFLOW[0][0]
