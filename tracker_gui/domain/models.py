"""Frozen dataclasses that services return and every layer above reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tracker_gui.domain import people
from tracker_gui.domain.enums import IssueType, LinkKind, Priority, Role, StatusCategory
from tracker_gui.domain.validation import issue_key


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str
    email: str = ""

    @property
    def initials(self) -> str:
        """From the login, not the display name anyone may set (see domain.people)."""
        return people.initials(self.username)


@dataclass(frozen=True, slots=True)
class Project:
    id: int
    key: str
    name: str
    description: str = ""
    archived: bool = False
    next_number: int = 1


@dataclass(frozen=True, slots=True)
class Status:
    id: int
    project_id: int
    name: str
    category: StatusCategory
    position: int
    wip_limit: int | None = None
    colour: str = ""


@dataclass(frozen=True, slots=True)
class Transition:
    project_id: int
    from_status_id: int
    to_status_id: int


@dataclass(frozen=True, slots=True)
class Label:
    id: int
    project_id: int
    name: str
    colour: str = ""


@dataclass(frozen=True, slots=True)
class Issue:
    """One issue as lists and the board show it (no comments or history)."""

    id: int
    uid: str
    project_id: int
    project_key: str
    number: int
    type: IssueType
    title: str
    status_id: int
    priority: Priority
    rank: str
    reporter: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    description: str = ""
    assignee: str | None = None
    parent_id: int | None = None
    due: dt.date | None = None
    estimate: float | None = None
    resolved_at: dt.datetime | None = None
    archived: bool = False
    labels: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return issue_key(self.project_key, self.number)


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    issue_id: int
    author: str
    body: str
    created_at: dt.datetime
    edited_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A link seen from one issue: `outward` is True when this issue is the source."""

    id: int
    kind: LinkKind
    source_id: int
    target_id: int
    other_key: str
    other_title: str
    outward: bool

    @property
    def phrase(self) -> str:
        words = {
            LinkKind.BLOCKS: ("blocks", "is blocked by"),
            LinkKind.RELATES: ("relates to", "relates to"),
            LinkKind.DUPLICATES: ("duplicates", "is duplicated by"),
        }.get(self.kind, (self.kind.label, self.kind.label))  # one not written by the app
        return words[0] if self.outward else words[1]


@dataclass(frozen=True, slots=True)
class Attachment:
    id: int
    issue_id: int
    name: str
    size: int
    sha256: str
    created_at: dt.datetime
    uploader: str


@dataclass(frozen=True, slots=True)
class SavedFilter:
    id: int
    name: str
    query: str
    owner: str


@dataclass(frozen=True, slots=True)
class Change:
    """One row of the append-only Change log: one field of one issue changed."""

    id: int
    project_id: int
    issue_id: int | None
    actor: str
    at: dt.datetime
    field: str
    old: str | None
    new: str | None
    # One user action (a multi-card drop, a bulk edit, an import): what was done together
    # is told together. None on rows older than schema version 6 and on generated history.
    change_set: str | None = None


@dataclass(frozen=True, slots=True)
class MoveTo:
    """One issue of a bulk move: where it goes, from the version the user started from.

    Between `after_id` and `before_id` (neither: the end of a new column, or where it is),
    or at `exact_rank` (undo puts a card back). `edits` (a swimlane's assignee or priority)
    are applied first.
    """

    issue_id: int
    version: int
    status_id: int
    after_id: int | None = None
    before_id: int | None = None
    exact_rank: str | None = None
    edits: tuple[tuple[str, Any], ...] = ()


# What the feed and the store pass around: a Change read back after commit.
ChangeEvent = Change


@dataclass(frozen=True, slots=True)
class IssueDetail:
    """Everything the detail pane and `show` display about one issue."""

    issue: Issue
    comments: tuple[Comment, ...] = ()
    links: tuple[Link, ...] = ()
    watchers: tuple[str, ...] = ()
    children: tuple[Issue, ...] = ()
    parent_key: str | None = None
    attachments: tuple[Attachment, ...] = ()
    history: tuple[Change, ...] = ()


@dataclass(frozen=True, slots=True)
class IssueFilter:
    """What the filter pane and `list` narrow issues by; every part is pushed down to SQL."""

    project_ids: tuple[int, ...] = ()
    status_ids: tuple[int, ...] = ()
    status_names: tuple[str, ...] = ()
    categories: tuple[StatusCategory, ...] = ()
    assignees: tuple[str, ...] = ()
    unassigned: bool = False
    reporters: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    types: tuple[IssueType, ...] = ()
    priorities: tuple[Priority, ...] = ()
    watched_by: str | None = None
    text: str = ""
    due_before: dt.date | None = None
    overdue_on: dt.date | None = None
    include_archived: bool = False
    issue_ids: tuple[int, ...] = field(default_factory=tuple)
    # Query-language text (tracker_gui.domain.query), ANDed with the fields above.
    query: str = ""

    def is_empty(self) -> bool:
        return self == IssueFilter(project_ids=self.project_ids)


@dataclass(frozen=True, slots=True)
class NewIssue:
    """The fields a person gives when reporting an issue."""

    project_key: str
    title: str
    type: IssueType = IssueType.TASK
    priority: Priority = Priority.MEDIUM
    status: str | None = None
    assignee: str | None = None
    description: str = ""
    labels: tuple[str, ...] = ()
    parent_key: str | None = None
    due: dt.date | None = None
    estimate: float | None = None
    watchers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Member:
    """One login's role in one project of a shared database (viewer / member / admin)."""

    project_id: int
    username: str
    role: Role
    display_name: str = ""


# One run of text in a search hit: (text, True) where the search words matched.
Segment = tuple[str, bool]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One row of the quick switcher: an issue found by key or by words, with marked text.

    Title and snippet come as segments, so the UI never parses markup out of user text.
    """

    issue_id: int
    key: str
    status: str
    category: StatusCategory
    title: tuple[Segment, ...]
    snippet: tuple[Segment, ...] = ()
    by_key: bool = False

    @property
    def plain_title(self) -> str:
        return "".join(text for text, _ in self.title)
