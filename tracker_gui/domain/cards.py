"""A board card: the few fields a card shows, as a light tuple (a column holds thousands)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from tracker_gui.domain.enums import IssueType, Priority
from tracker_gui.domain.models import Issue
from tracker_gui.domain.validation import issue_key


class Card(NamedTuple):
    """What a board column reads of an issue; same attribute names as Issue, so code that
    shows a card takes either (a card changed live arrives as the full Issue)."""

    id: int
    project_id: int
    project_key: str
    number: int
    type: IssueType
    title: str
    status_id: int
    priority: Priority
    rank: str
    assignee: str | None
    due: dt.date | None
    version: int
    archived: bool
    labels: tuple[str, ...]

    @property
    def key(self) -> str:
        return issue_key(self.project_key, self.number)


# What a board column holds: cards it read, and issues that reached it as live changes.
Shown = Card | Issue
