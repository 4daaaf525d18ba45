"""The neutral shape a Trello, Jira or CSV import is turned into before anything is written."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tracker_gui.domain import validation
from tracker_gui.domain.enums import IssueType, LinkKind, Priority, StatusCategory
from tracker_gui.domain.models import Project, Status
from tracker_gui.domain.workflow import DEFAULT_WORKFLOW
from tracker_gui.errors import ValidationError
from tracker_gui.interchange.report import ImportReport

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


def clean_issue(report: ImportReport, issue: PlannedIssue) -> bool:
    """Apply the field rules every write obeys; each broken rule is an error naming the field."""
    ok = True

    def check(what: str, step: Callable[[], object]) -> None:
        nonlocal ok
        try:
            step()
        except ValidationError as exc:
            report.error(f"{issue.where}, {what}", str(exc))
            ok = False

    def title() -> None:
        issue.title = validation.title(issue.title)

    def description() -> None:
        issue.description = validation.description(issue.description)

    def people() -> None:
        for name in (issue.assignee, issue.reporter, *issue.watchers):
            if name is not None:
                validation.username(name)

    def labels() -> None:
        issue.labels = tuple(
            dict.fromkeys(
                validation.name("label", label, limit=validation.LABEL_MAX)
                for label in issue.labels
            )
        )

    def estimate() -> None:
        validation.estimate(issue.estimate)

    check("title", title)
    check("description", description)
    check("people", people)
    check("labels", labels)
    check("estimate", estimate)
    check("status", lambda: validation.name("status", issue.status))
    for n, comment in enumerate(issue.comments, 1):

        def body(comment: PlannedComment = comment) -> None:
            comment.body = validation.comment(comment.body)
            validation.username(comment.author)

        check(f"comment {n}", body)
    return ok


def parents_first(issues: list[PlannedIssue], report: ImportReport) -> list[PlannedIssue]:
    """The same issues, each parent moved before its children; a parent cycle is an error."""
    by_ref = {i.ref: i for i in issues}
    placed: set[str] = set()
    out: list[PlannedIssue] = []
    for issue in issues:
        chain: list[PlannedIssue] = []
        walk: PlannedIssue | None = issue
        while walk is not None and walk.ref not in placed:
            if walk in chain:
                report.error(f"{walk.where}, parent", f"{walk.ref} is its own ancestor")
                break
            chain.append(walk)
            walk = by_ref.get(walk.parent) if walk.parent else None
        for item in reversed(chain):
            if item.ref not in placed:
                placed.add(item.ref)
                out.append(item)
    return out


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
