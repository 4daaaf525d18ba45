"""Sprints for the demo: two-week sprints over the last months, planned from the issues' own flow.

Six closed sprints, the active one (begun last Monday) and the next one planned. Each sprint
is filled on its first morning with issues that get done during it and a few that will not,
takes in a couple of new issues on its way, loses one, and at its close carries what is
unfinished to the next sprint, as `sprint close --carry-to` does. Drawn from a generator of
its own (seeded from the demo's seed), so the issues stay exactly what the same seed gave.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from tracker_gui.domain.enums import IssueType, StatusCategory
from tracker_gui.services.demo_plan import DemoPlan

CLOSED = 6
FIRST_NUMBER = 14  # the demo team has been at it a while
GOALS = ("Ship the export wizard", "Faster board on big projects", "Offline sync beta",
         "Fix the top crash reports", "Notifications rework", "Search that finds things",
         "Release 2.0 hardening", "Onboarding polish")  # fmt: skip
LEAD = 0  # the demo's first user plans and runs the sprints
_LATER = dt.timedelta(seconds=1)
ONE_DAY = dt.timedelta(days=1)

# (issue number, when, from sprint index, to sprint index, closing: the sprint it closes)
Move = tuple[int, dt.datetime, int | None, int | None, int | None]
# (project, issue, actor, field, old, new, at, change set): a Change row for services.demo
Row = tuple[int, int | None, str, str, str | None, str | None, dt.datetime, str | None]


@dataclass
class PlannedSprint:
    name: str
    start: dt.date
    end: dt.date
    goal: str
    state: str = "planned"
    started_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    scope_start: int | None = None
    scope_close: int | None = None
    done_close: int | None = None


@dataclass
class SprintPlan:
    sprints: list[PlannedSprint] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    now_in: dict[int, int] = field(default_factory=dict)  # issue number -> sprint index

    def moved(
        self, number: int, at: dt.datetime, to: int | None, closing: int | None = None
    ) -> None:
        was = self.now_in.pop(number, None)
        if to is not None:
            self.now_in[number] = to
        self.moves.append((number, at, was, to, closing))


def _done_at(p: DemoPlan) -> dt.datetime | None:
    if p.path and p.path[-1][0].category == StatusCategory.DONE:
        return p.path[-1][1]
    return None


def plan_sprints(plans: Sequence[DemoPlan], seed: int, now: dt.datetime) -> SprintPlan:
    """The sprints and every move of an issue in or out of one, in time order."""
    rng = random.Random(seed * 104_729 + 7)
    out = SprintPlan()
    today = now.date()
    first = today - dt.timedelta(days=today.weekday() + 7 + 14 * CLOSED)  # a Monday
    for k in range(CLOSED + 2):
        start = first + dt.timedelta(days=14 * k)
        sprint = PlannedSprint(f"Sprint {FIRST_NUMBER + k}", start,
                               start + dt.timedelta(days=13), GOALS[k % len(GOALS)])  # fmt: skip
        out.sprints.append(sprint)
    # Work items only (no epics or sub-tasks), with when each was made and finished.
    items = [
        (p.number, p.created, _done_at(p))
        for p in plans
        if p.type not in (IssueType.EPIC, IssueType.SUBTASK)
    ]
    done_by = {n: done for n, _, done in items}
    for k, sprint in enumerate(out.sprints[:-1]):
        _run(rng, out, k, sprint, items, done_by, now)
    _plan_next(rng, out, len(out.sprints) - 1, items, now)
    out.moves.sort(key=lambda m: m[1])
    return out


def _run(
    rng: random.Random,
    out: SprintPlan,
    k: int,
    sprint: PlannedSprint,
    items: list[tuple[int, dt.datetime, dt.datetime | None]],
    done_by: dict[int, dt.datetime | None],
    now: dt.datetime,
) -> None:
    """Fill, start and (unless it is the active one) close sprint `k`."""
    begin = dt.datetime.combine(sprint.start, dt.time(10))
    close = dt.datetime.combine(sprint.end, dt.time(16)) if k < CLOSED else None
    until = close or now
    free = [i for i in items if i[0] not in out.now_in and i[1] < begin - dt.timedelta(hours=2)]
    finishing = [n for n, _, done in free if done is not None and begin < done <= until]
    # What will not be done in time: for a closed sprint, work finished early in the next
    # one (so carried issues get done rather than piling up sprint after sprint).
    soon = until + dt.timedelta(days=10)
    lasting = [n for n, _, done in free if (done is None and close is None)
               or (done is not None and until < done <= soon)]  # fmt: skip
    size = max(0, rng.randint(18, 26) - sum(1 for s in out.now_in.values() if s == k))
    if close is None:  # the active sprint is done only as far as its days have gone
        share = min(1.0, (now - begin) / (sprint.end - sprint.start + ONE_DAY)) * 0.8
        wanted, open_ones = round(size * share), size - round(size * share)
    else:
        wanted = size - size // 5
        open_ones = wanted // 5 + 1
    take = rng.sample(finishing, min(len(finishing), wanted))
    stay = rng.sample(lasting, min(len(lasting), open_ones))
    for number in sorted(take + stay):
        out.moved(number, begin - dt.timedelta(hours=2), k)
    sprint.state = "active"
    sprint.started_at = begin
    sprint.scope_start = sum(1 for s in out.now_in.values() if s == k)
    # New work arrives in the first week; one issue that will not get done is taken out.
    fresh = [
        (n, made, done)
        for n, made, done in items
        if n not in out.now_in
        and begin < made < begin + dt.timedelta(days=7)
        and made < until
        and ((done is None and close is None) or (done is not None and done < min(soon, now)))
    ]
    for number, made, _ in rng.sample(fresh, min(len(fresh), rng.randint(1, 3))):
        out.moved(number, min(made + dt.timedelta(hours=2), until), k)
    if stay:
        dropped = begin + dt.timedelta(days=rng.randint(3, 8), hours=rng.randint(0, 6))
        if dropped < until:
            out.moved(rng.choice(stay), dropped, None)
    if close is None:
        return
    members = [n for n, s in out.now_in.items() if s == k]
    unfinished = [n for n in members if (done_by[n] or close + _LATER) > close]
    sprint.state, sprint.closed_at = "closed", close
    sprint.scope_close, sprint.done_close = len(members), len(members) - len(unfinished)
    for number in sorted(unfinished):
        out.moved(number, close, k + 1, closing=k)


def _plan_next(
    rng: random.Random,
    out: SprintPlan,
    k: int,
    items: list[tuple[int, dt.datetime, dt.datetime | None]],
    now: dt.datetime,
) -> None:
    """The next sprint, planned yesterday with open issues from the backlog."""
    open_now = [n for n, made, done in items if done is None and n not in out.now_in and made < now]
    at = now - dt.timedelta(days=1)
    for number in sorted(rng.sample(open_now, min(len(open_now), rng.randint(10, 16)))):
        out.moved(number, at, k)


def history(
    plan: SprintPlan,
    sprint_ids: Sequence[int],
    issue_ids: dict[int, int],
    project_id: int,
    actor: str,
) -> list[Row]:
    """The Change rows the sprint service would have written: `sprint` moves (ids as text)
    and `sprint_state` rows; a close's carried moves share its change set."""

    def text(index: int | None) -> str | None:
        return None if index is None else str(sprint_ids[index])

    sets = {k: str(uuid.uuid4()) for k in range(CLOSED)}
    rows: list[Row] = [
        (project_id, issue_ids[n], actor, "sprint", text(was), text(to), at,
         None if closing is None else sets[closing])
        for n, at, was, to, closing in plan.moves
    ]  # fmt: skip
    for k, sprint in enumerate(plan.sprints):
        if sprint.started_at is not None:
            rows.append((project_id, None, actor, "sprint_state", "planned", "active",
                         sprint.started_at, None))  # fmt: skip
        if sprint.closed_at is not None:
            rows.append((project_id, None, actor, "sprint_state", "active", "closed",
                         sprint.closed_at, sets[k]))  # fmt: skip
    return rows
