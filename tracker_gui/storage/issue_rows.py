"""Issue rows straight from the driver: the hot single-issue SQL, write results, board cards."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from tracker_gui.domain.cards import Card
from tracker_gui.domain.enums import IssueType, Priority, stored
from tracker_gui.domain.models import Issue
from tracker_gui.storage import convert

# What an INSERT or UPDATE of an issue hands back: the columns the database may decide.
WRITTEN = '"id", "number", "version", "created_at", "updated_at", "resolved_at", "archived"'
# One issue by id, in filtering.ISSUE_COLUMNS order, then its description and its labels
# (a JSON array: any character may be in a name), in one statement.
_ONE_ISSUE = (
    'SELECT i."id", i."uid", i."project_id", i."number", i."type", i."title", i."status_id", '
    'i."priority", i."rank", i."parent_id", i."due", i."estimate", i."created_at", '
    'i."updated_at", i."resolved_at", i."version", i."archived", p."key", a."username", '
    'r."username", i."description", '
    '(SELECT {agg} FROM "issue_label" AS il JOIN "label" AS l ON l."id" = il."label_id" '
    'WHERE il."issue_id" = i."id") '
    'FROM "issue" AS i JOIN "project" AS p ON p."id" = i."project_id" '
    'LEFT JOIN "app_user" AS a ON a."id" = i."assignee_id" '
    'JOIN "app_user" AS r ON r."id" = i."reporter_id" '
    'WHERE i."id" = {mark}'
)
ONE_ISSUE_SQLITE = _ONE_ISSUE.format(agg='json_group_array(l."name")', mark="?")
ONE_ISSUE_POSTGRES = _ONE_ISSUE.format(agg='json_agg(l."name")', mark="%s")
# The same, then the last rank of another status (where a move appends the issue).
_LAST_RANK = ', (SELECT MAX(o."rank") FROM "issue" AS o WHERE o."status_id" = ?) FROM "issue" AS i '
MOVING_SQLITE = ONE_ISSUE_SQLITE.replace(' FROM "issue" AS i ', _LAST_RANK, 1)
# PostgreSQL: also the workflow's change-log token (storage.catalog_cache), so a status change
# over the network reads issue, rank and token in one round trip.
_TOKEN = ', (SELECT MAX(c."id") FROM "change" AS c WHERE c."issue_id" IS NULL)'
MOVING_POSTGRES = ONE_ISSUE_POSTGRES.replace(
    ' FROM "issue" AS i ', _LAST_RANK.replace("?", "%s")[: -len(' FROM "issue" AS i ')] + _TOKEN
    + ' FROM "issue" AS i ', 1
)  # fmt: skip


def moving(
    found: Sequence[Any] | None, *, with_token: bool
) -> tuple[Issue | None, str | None, int | None]:
    """get_moving's answer from its row: the issue, the column's last rank, the token."""
    if found is None:
        return None, None, None
    token = int(found[-1] or 0) if with_token else None
    row = found[:-1] if with_token else found
    return convert.issue(row[:-2], label_names(row[-2])), row[-1], token


class Written(NamedTuple):
    """What the database decided when it wrote an issue row (RETURNING)."""

    id: int
    number: int
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    resolved_at: dt.datetime | None
    archived: bool


def written(row: Sequence[Any]) -> Written:
    return Written(
        int(row[0]),
        int(row[1]),
        int(row[2]),
        convert._time(row[3]),
        convert._time(row[4]),
        convert._opt_time(row[5]),
        bool(row[6]),
    )


_TYPES = {t.value: t for t in IssueType}
_PRIORITIES = {int(p): p for p in Priority}


def card(row: Sequence[Any]) -> Card:
    """A row of IssueRepo.cards (filtering.CARD_COLUMNS, then the labels' JSON array)."""
    issue_id, project_id, key, number, kind, title, status, prio, rank, who, due, version = row[:12]
    labels = row[13]
    return Card(
        issue_id,
        project_id,
        key,
        number,
        _TYPES.get(kind) or stored(IssueType, kind),
        title,
        status,
        _PRIORITIES.get(prio) or stored(Priority, prio),
        rank,
        who,
        None if due is None else convert._date(due),
        version,
        bool(row[12]),
        _card_labels(labels) if labels else (),
    )


def _card_labels(value: Any) -> tuple[str, ...]:
    """Sorted label names: NUL-joined text (SQLite) or a list (psycopg's JSON)."""
    names = value.split("\x00") if isinstance(value, str) else value
    return tuple(sorted(names)) if len(names) > 1 else tuple(names)


def label_names(value: Any) -> tuple[str, ...]:
    """Sorted label names from a JSON array (SQLite: its text; psycopg: already a list)."""
    if value is None:
        return ()
    names = json.loads(value) if isinstance(value, str) else value
    return tuple(sorted(names))
