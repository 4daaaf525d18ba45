"""Realistic, deterministic demo issues, decided before services.demo writes them."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from tracker_gui.domain.enums import IssueType, LinkKind, Priority, StatusCategory
from tracker_gui.domain.models import Status

T = TypeVar("T")
MAX_ISSUES = 1_000_000
DEMO_NAME = "Demo project"
_SPAN_DAYS = 540


def _split(table: str, sep: str = "|") -> list[str]:
    """Word lists are written as one string each to keep this module short."""
    return table.split(sep)


class _Weighted(Generic[T]):
    """A weighted choice with the running totals worked out once (random.choices redoes them)."""

    def __init__(self, items: Sequence[T], weights: Sequence[int]) -> None:
        self.items = list(items)
        self.totals = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self.totals, rng.random() * self.totals[-1])]


# username:Display Name, with how much of the work each person carries (as in any real team).
USERS = tuple(
    (u.split(":")[0], u.split(":")[1])
    for u in _split(
        "alice:Alice Martin|bob:Bob Chen|carol:Carol Diaz|dave:Dave Okafor|erin:Erin Walsh|"
        "frank:Frank Müller|grace:Grace Kim|heidi:Heidi Larsen|ivan:Ivan Petrov|"
        "judy:Judy Nguyen|mallory:Mallory Stone|oscar:Oscar Rossi"
    )
)
_PERSON = _Weighted(range(len(USERS)), (9, 8, 7, 7, 6, 5, 5, 4, 3, 3, 2, 2))
LABELS = tuple(
    (pair.split(":")[0], pair.split(":")[1])
    for pair in _split(
        "backend:#1f77b4|frontend:#ff7f0e|ui:#2ca02c|performance:#d62728|security:#9467bd|"
        "docs:#8c564b|tech-debt:#e377c2|regression:#7f7f7f|customer:#bcbd22|mobile:#17becf|"
        "api:#393b79|database:#637939|accessibility:#8c6d31|i18n:#843c39|"
        "good-first-issue:#7b4173"
    )
)
_W: dict[str, list[str]] = {
    "action": _split(
        "exporting|importing|saving|opening|syncing|printing|uploading|deleting|renaming|"
        "sorting|filtering|sharing"
    ),
    "thing": _split(
        "CSV|a PDF report|the board|attachments|saved filters|avatars|the settings page|"
        "a large project|comments|the activity feed|labels|the issue list|due dates|subtasks"
    ),
    "condition": _split(
        "with empty rows|on Windows|with a non-ASCII file name|after sleep|"
        "over a slow connection|with 1,000+ issues|in dark mode|when offline|on a 4K monitor|"
        "right after login|with two windows open|on macOS"
    ),
    "feature": _split(
        "dark mode|keyboard shortcuts|bulk edit|CSV export|Jira import|email digests|"
        "two-factor login|custom fields|time tracking|recurring tasks|a burndown chart|"
        "issue templates|markdown preview"
    ),
    "component": _split(
        "settings|the board|the detail pane|the filter pane|notifications|the importer|search|"
        "the sync engine|the installer|the REST API|the login screen|the activity pane"
    ),
    "attr": _split("count|date|assignee|icon|colour|sort order|time zone"),
    "dependency": _split("Qt|OpenSSL|the PostgreSQL driver|the SQLite library|PyInstaller"),
    "platform": _split("Windows 11|macOS 14|Ubuntu 24.04|Fedora 40|a fresh install"),
    "role": _split("team lead|support engineer|new user|project admin|developer"),
}
_TITLES: dict[IssueType, list[str]] = {
    IssueType.BUG: _split(
        "Crash when {action} {thing} {condition}|{Thing} shows the wrong {attr} {condition}|"
        "Error 500 from {component} when {action} {thing}|Memory leak in {component} {condition}|"
        "{Component} freezes when {action} {thing}|Typo in {component} tooltip|"
        "{Component} is slow {condition}"
    ),
    IssueType.TASK: _split(
        "Update {dependency} in {component}|Refactor {component}|Write docs for {feature}|"
        "Add tests for {action} {thing}|Clean up logging in {component}|"
        "Measure {component} start-up time"
    ),
    IssueType.STORY: _split(
        "Add {feature} to {component}|Support {feature} {condition}|"
        "Allow {action} {thing} from {component}|Show {attr} in {component}"
    ),
    IssueType.EPIC: _split("{Feature} (epic)|Rework {component}|Make {component} faster"),
    IssueType.SUBTASK: _split(
        "Design review for {feature}|Implement {action} {thing}|Write tests for {component}|"
        "Update screenshots of {component}"
    ),
}
_DESCRIPTIONS: dict[IssueType, str] = {
    IssueType.BUG: (
        "## Steps to reproduce\n\n1. Open {component}\n2. Try {action} {thing} {condition}\n"
        "3. Wait a few seconds\n\n## Expected\n\nIt just works.\n\n## Actual\n\n"
        "The app stops responding. Seen on **{platform}**.\n"
    ),
    IssueType.STORY: (
        "As a {role}, I want {feature} in {component} so that I spend less time on routine work."
        "\n\n### Acceptance criteria\n\n- [ ] works {condition}\n- [ ] documented\n"
        "- [ ] covered by tests\n"
    ),
    IssueType.TASK: "Notes:\n\n- affects {component}\n- check {dependency} first\n",
    IssueType.EPIC: "Everything about **{feature}**. Child issues track the work.\n",
    IssueType.SUBTASK: "Part of the parent story; keep the change small.\n",
}
_COMMENTS = _split(
    "I can reproduce this on {platform}.|Fixed in the latest build, please verify.|"
    "Moving this to the next sprint.|**Update:** the root cause is in {component}.|"
    "+1, a customer reported the same thing.|Needs design input before we start.|"
    "PR is up for review.|Tested on {platform}: works for me.|"
    "Could we split this into smaller pieces?|Blocked until {dependency} is updated."
)
_TYPE = _Weighted(
    (IssueType.TASK, IssueType.BUG, IssueType.STORY, IssueType.EPIC, IssueType.SUBTASK),
    (35, 30, 20, 2, 13),
)
_PRIORITY = {
    kind: _Weighted(list(Priority), weights)
    for kind, weights in {
        IssueType.BUG: (3, 12, 40, 30, 15),
        IssueType.TASK: (8, 25, 47, 15, 5),
        IssueType.STORY: (5, 20, 50, 20, 5),
        IssueType.EPIC: (0, 10, 40, 40, 10),
        IssueType.SUBTASK: (8, 25, 50, 15, 2),
    }.items()
}
_LABEL_COUNT = _Weighted((0, 1, 2, 3), (30, 40, 22, 8))
_COMMENT_COUNT = _Weighted((1, 2, 3, 4), (50, 30, 15, 5))
_LINK_KIND = _Weighted((LinkKind.RELATES, LinkKind.BLOCKS, LinkKind.DUPLICATES), (50, 35, 15))


@dataclass(slots=True)
class DemoPlan:
    """One generated issue before it is stored; users and labels are indexes."""

    number: int
    type: IssueType
    title: str
    description: str
    priority: Priority
    reporter: int
    assignee: int | None
    created: dt.datetime
    parent: int | None = None
    path: list[tuple[Status, dt.datetime, int]] = field(default_factory=list)
    labels: tuple[int, ...] = ()
    due: dt.date | None = None
    estimate: float | None = None
    archived_at: dt.datetime | None = None
    comments: list[tuple[int, dt.datetime, str]] = field(default_factory=list)
    watchers: tuple[int, ...] = ()
    links: list[tuple[LinkKind, int]] = field(default_factory=list)


class _Words:
    """Fills templates from the word lists; one issue's texts share their words."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.chosen: dict[str, str] = {}

    def fresh(self) -> None:
        self.chosen = {}

    def fill(self, template: str) -> str:
        for name in _fields(template):
            if name not in self.chosen:
                word = self.rng.choice(_W[name])
                self.chosen[name] = word
                self.chosen[name.title()] = word[0].upper() + word[1:]
        return template.format(**self.chosen)


@functools.cache
def _fields(template: str) -> tuple[str, ...]:
    """The word lists a template uses: `{Thing}` and `{thing}` both use "thing"."""
    found = (f for _, f, _, _ in string.Formatter().parse(template) if f)
    return tuple(dict.fromkeys(f.lower() for f in found))


def plan_issues(
    rng: random.Random, count: int, first: int, statuses: Sequence[Status], now: dt.datetime
) -> list[DemoPlan]:
    """Every issue, comment, link and move, decided before anything is written."""
    words = _Words(rng)
    todo = [s for s in statuses if s.category == StatusCategory.TODO] or [statuses[0]]
    doing = [s for s in statuses if s.category == StatusCategory.IN_PROGRESS]
    done = [s for s in statuses if s.category == StatusCategory.DONE]
    start = now - dt.timedelta(days=_SPAN_DAYS)
    offsets = sorted(rng.random() for _ in range(count))
    plans: list[DemoPlan] = []
    epics: list[int] = []
    parents: list[int] = []
    for i in range(count):
        number = first + i
        words.fresh()
        kind = _TYPE.pick(rng)
        if kind == IssueType.SUBTASK and not parents:
            kind = IssueType.TASK
        created = start + dt.timedelta(days=_SPAN_DAYS * offsets[i], seconds=rng.randrange(3600))
        p = DemoPlan(
            number=number,
            type=kind,
            title=words.fill(rng.choice(_TITLES[kind]))[:200],
            description=words.fill(_DESCRIPTIONS[kind]) if rng.random() < 0.5 else "",
            priority=_PRIORITY[kind].pick(rng),
            reporter=_PERSON.pick(rng),
            assignee=_PERSON.pick(rng) if rng.random() < 0.8 else None,
            created=created,
        )
        if kind == IssueType.SUBTASK:
            p.parent = rng.choice(parents[-40:])
        elif kind in (IssueType.STORY, IssueType.TASK) and epics and rng.random() < 0.3:
            p.parent = rng.choice(epics[-5:])
        if kind == IssueType.EPIC:
            epics.append(number)
        elif kind in (IssueType.STORY, IssueType.TASK) and p.parent is None:
            parents.append(number)
        _plan_flow(rng, p, todo, doing, done, now)
        _plan_extras(rng, words, p, now, first)
        plans.append(p)
    return plans


def _plan_flow(
    rng: random.Random,
    p: DemoPlan,
    todo: list[Status],
    doing: list[Status],
    done: list[Status],
    now: dt.datetime,
) -> None:
    """Where the issue ended up and the moves that took it there: old issues are mostly done."""
    age = (now - p.created) / dt.timedelta(days=_SPAN_DAYS)
    roll = rng.random()
    if done and roll < 0.1 + 0.75 * age:
        stops = [s for s in doing if rng.random() < 0.7] + [rng.choice(done)]
    elif doing and roll < 0.1 + 0.75 * age + 0.3:
        stops = doing[: rng.randrange(1, len(doing) + 1)]
    else:
        stops = [] if len(todo) == 1 or rng.random() < 0.8 else [rng.choice(todo[1:])]
    when = p.created
    for status in stops:
        when += dt.timedelta(hours=rng.uniform(1, 24 * 20))
        # A move still to come is not made (rather than made "now": a pile of issues all
        # done at the same instant stood out on the cycle-time and burndown charts).
        if when >= now:
            break
        who = p.assignee if p.assignee is not None else p.reporter
        p.path.append((status, when, who))
    when = p.path[-1][1] if p.path else p.created
    done_long_ago = p.path and p.path[-1][0].category == StatusCategory.DONE
    if done_long_ago and rng.random() < 0.25 and (now - when).days > 120:
        p.archived_at = when + dt.timedelta(days=rng.randrange(30, 90))


def _plan_extras(
    rng: random.Random, words: _Words, p: DemoPlan, now: dt.datetime, first: int
) -> None:
    """Labels, due date, estimate, comments, watchers and links."""
    n = _LABEL_COUNT.pick(rng)
    p.labels = tuple(sorted(rng.sample(range(len(LABELS)), n)))
    if rng.random() < 0.35:
        p.due = (p.created + dt.timedelta(days=rng.randrange(3, 60))).date()
    if rng.random() < 0.5:
        p.estimate = rng.choice((0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0))
    if rng.random() < 0.3:
        when = p.created
        for _ in range(_COMMENT_COUNT.pick(rng)):
            when = min(now, when + dt.timedelta(hours=rng.uniform(0.5, 24 * 7)))
            author = _PERSON.pick(rng)
            p.comments.append((author, when, words.fill(rng.choice(_COMMENTS))))
    if rng.random() < 0.25:
        p.watchers = tuple(sorted(rng.sample(range(len(USERS)), rng.randrange(1, 4))))
    if p.number > first and rng.random() < 0.04:
        other = rng.randrange(max(first, p.number - 500), p.number)
        p.links.append((_LINK_KIND.pick(rng), other))


def final_status(p: DemoPlan, initial: Status) -> Status:
    return p.path[-1][0] if p.path else initial


def final_at(p: DemoPlan) -> dt.datetime:
    return p.path[-1][1] if p.path else p.created
