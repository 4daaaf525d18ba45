"""Import a Trello board's JSON export: lists, cards, labels, members, checklists, comments."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from tracker_gui.domain import validation
from tracker_gui.domain.enums import IssueType, StatusCategory
from tracker_gui.interchange import apply
from tracker_gui.interchange.plan import PlannedComment, PlannedIssue, ProjectPlan, clean_issue
from tracker_gui.interchange.report import (
    BadFile,
    Cancelled,
    ImportReport,
    Progress,
    Ticker,
)
from tracker_gui.interchange.shape import get, obj, objects, texts
from tracker_gui.interchange.textio import read_json
from tracker_gui.interchange.values import TRELLO_COLOURS, guess_category, parse_datetime
from tracker_gui.services import Services, imports

Board = dict[str, Any]


def import_trello(
    services: Services,
    path: str | os.PathLike[str],
    *,
    project: str | None = None,
    dry_run: bool = False,
    create_statuses: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportReport:
    """Import one board into `project` (default: a new project named after the board)."""
    report = ImportReport("trello", str(path), dry_run=dry_run)
    try:
        board = obj(read_json(Path(path)), "the file")
        if "lists" not in board or "cards" not in board:
            raise BadFile("the file", "not a Trello board export (no 'lists' and 'cards')")
        plan = _plan(services, board, project, report, Path(path).name)
    except BadFile as exc:
        report.error(exc.where, exc.detail)
        return apply.refuse(report)
    ticker = Ticker(progress, cancelled)
    return apply.run(services, plan, report, ticker, create_statuses=create_statuses)


def key_for(name: str) -> str:
    """A project key from a board name: initials of its words, or its first letters."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", name)
    key = "".join(w[0] for w in words).upper()
    if len(key) < 2:
        key = "".join(words).upper()[:4]
    return key[:10] if validation.PROJECT_KEY_RE.match(key[:10]) else "TRELLO"


def _free_key(services: Services, name: str) -> str:
    base = key_for(name)
    for n in range(1, 100):
        key = base if n == 1 else f"{base[:8]}{n}"
        if not imports.project_exists(services, key):
            return key
    raise BadFile("name", f"no free project key like {base}: pass a project key")


def _time(value: Any, where: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise BadFile(where, "expected a date like 2024-03-15T12:00:00.000Z")
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise BadFile(where, str(exc)) from None


def _date(value: Any, where: str) -> dt.date | None:
    when = _time(value, where)
    return when.date() if when else None


def _created(card_id: str, created: dt.datetime | None) -> dt.datetime | None:
    """When the card was made: its createCard action, else the time inside its id."""
    if created is None and re.fullmatch(r"[0-9a-f]{24}", card_id):
        stamp = dt.datetime.fromtimestamp(int(card_id[:8], 16), dt.UTC)
        return stamp.replace(tzinfo=None)
    return created


def _description(card: Board, where: str) -> str:
    """The card's text, plus its attachments as a list of links."""
    text: str = get(card, "desc", str, where, "")
    links = []
    for item_where, item in objects(card, "attachments", where):
        url = get(item, "url", str, item_where, "")
        if url:
            name = (get(item, "name", str, item_where, "") or url).replace("]", "\\]")
            links.append(f"- [{name}]({url})")
    if not links:
        return text
    head = text.rstrip() + "\n\n" if text.strip() else ""
    return head + "## Attachments\n\n" + "\n".join(links)


def _workflow(
    lists: list[tuple[str, Board]], used: set[str]
) -> tuple[dict[str, str], list[tuple[str, StatusCategory]]]:
    """List id -> unique status name, and the statuses in board order with categories.

    Archived lists become statuses only when cards still sit in them. The last open list
    is taken as done unless its name says otherwise.
    """
    ordered = sorted(lists, key=lambda item: _pos(*item))
    kept = [
        (w, lst)
        for w, lst in ordered
        if not get(lst, "closed", bool, w, False) or get(lst, "id", str, w) in used
    ]
    open_lists = [lst for w, lst in kept if not get(lst, "closed", bool, w, False)]
    names: dict[str, str] = {}
    flow: list[tuple[str, StatusCategory]] = []
    for n, (where, lst) in enumerate(kept):
        name = get(lst, "name", str, where).strip() or f"List {n + 1}"
        base, copy = name, 2
        while name.casefold() in {s.casefold() for s, _ in flow}:
            name, copy = f"{base} ({copy})", copy + 1
        names[get(lst, "id", str, where)] = name
        last = bool(open_lists) and lst is open_lists[-1]
        category = guess_category(name) or (StatusCategory.DONE if last else StatusCategory.TODO)
        flow.append((name, category))
    return names, flow


def _people(board: Board, plan: ProjectPlan) -> dict[str, str]:
    members = {}
    for where, member in objects(board, "members", ""):
        username = get(member, "username", str, where)
        plan.add_user(username, get(member, "fullName", str, where, ""))
        members[get(member, "id", str, where)] = username
    return members


def _labels(board: Board, plan: ProjectPlan) -> dict[str, str]:
    found = {}
    for where, label in objects(board, "labels", ""):
        colour = get(label, "color", str, where, "")
        name = get(label, "name", str, where, "").strip() or colour
        if name:
            found[get(label, "id", str, where)] = name
            plan.labels.setdefault(name, TRELLO_COLOURS.get(colour, ""))
    return found


class _Actions:
    """Comments (oldest first) and creators per card, from the board's action log."""

    def __init__(
        self, board: Board, members: dict[str, str], plan: ProjectPlan, report: ImportReport
    ) -> None:
        self.comments: dict[str, list[PlannedComment]] = {}
        self.created: dict[str, tuple[dt.datetime | None, str | None]] = {}
        for where, action in objects(board, "actions", ""):
            kind = get(action, "type", str, where, "")
            if kind not in ("commentCard", "createCard"):
                continue
            data = obj(action.get("data") or {}, f"{where}.data")
            card = get(obj(data.get("card") or {}, f"{where}.data.card"), "id", str, where, "")
            when = _time(action.get("date"), f"{where}.date")
            author = self._author(action, members, plan, where)
            if kind == "commentCard":
                text = get(data, "text", str, f"{where}.data")
                if author is None:
                    report.warn(where, f"the comment has no author: credited to {plan.fallback}")
                thread = self.comments.setdefault(card, [])
                thread.append(PlannedComment(author or plan.fallback, text, when))
            else:
                self.created[card] = (when, author)
        for thread in self.comments.values():
            thread.sort(key=lambda c: c.created_at or dt.datetime.min)

    @staticmethod
    def _author(
        action: Board, members: dict[str, str], plan: ProjectPlan, where: str
    ) -> str | None:
        creator = action.get("memberCreator")
        if isinstance(creator, dict) and isinstance(creator.get("username"), str):
            plan.add_user(creator["username"], get(creator, "fullName", str, where, ""))
            return str(creator["username"])
        return members.get(get(action, "idMemberCreator", str, where, ""))


def _card(
    where: str,
    card: Board,
    status: str,
    archived: bool,
    members: dict[str, str],
    labels: dict[str, str],
    actions: _Actions,
    report: ImportReport,
) -> PlannedIssue:
    member_ids = texts(card, "idMembers", where)
    people = [members[m] for m in member_ids if m in members]
    if len(people) < len(member_ids):
        report.warn(f"{where}.idMembers", "a member is not on the board's member list: skipped")
    created, reporter = actions.created.get(card["id"], (None, None))
    return PlannedIssue(
        ref=card["id"],
        where=where,
        title=get(card, "name", str, where),
        status=status,
        description=_description(card, where),
        assignee=people[0] if people else None,
        reporter=reporter,
        labels=tuple(labels[i] for i in texts(card, "idLabels", where) if i in labels),
        due=_date(card.get("due"), f"{where}.due"),
        created_at=_created(card["id"], created),
        updated_at=_time(card.get("dateLastActivity"), f"{where}.dateLastActivity"),
        archived=archived,
        source_key=get(card, "shortUrl", str, where, None),
        comments=actions.comments.get(card["id"], []),
        watchers=tuple(people[1:]),
    )


def _checklist_items(
    card: PlannedIssue,
    checklists: list[tuple[str, Board]],
    members: dict[str, str],
    statuses: tuple[str, str],
) -> list[PlannedIssue]:
    """Every check item as a subtask of its card; a ticked item is done."""
    initial, done = statuses
    out = []
    for list_where, checklist in sorted(checklists, key=lambda c: _pos(*c)):
        name = get(checklist, "name", str, list_where, "")
        for where, item in sorted(
            objects(checklist, "checkItems", list_where), key=lambda i: _pos(*i)
        ):
            complete = get(item, "state", str, where, "incomplete") == "complete"
            out.append(
                PlannedIssue(
                    ref=get(item, "id", str, where),
                    where=where,
                    title=get(item, "name", str, where),
                    status=done if complete else initial,
                    type=IssueType.SUBTASK,
                    description=f"Checklist: {name}" if name else "",
                    assignee=members.get(get(item, "idMember", str, where, "")),
                    reporter=card.reporter,
                    due=_date(item.get("due"), f"{where}.due"),
                    created_at=card.created_at,
                    updated_at=card.updated_at,
                    archived=card.archived,
                    parent=card.ref,
                )
            )
    return out


def _pos(where: str, item: Board) -> float:
    value: float = get(item, "pos", float, where, 0)
    return value


def _plan(
    services: Services, board: Board, key: str | None, report: ImportReport, file: str
) -> ProjectPlan:
    name = get(board, "name", str, "", "Trello board").strip() or "Trello board"
    key = validation.project_key(key) if key else _free_key(services, name)
    target = apply.lookup(services, key)
    lists = objects(board, "lists", "")
    cards = objects(board, "cards", "")
    used = {get(card, "idList", str, where) for where, card in cards}
    status_of, flow = _workflow(lists, used)
    closed = {get(lst, "id", str, w) for w, lst in lists if get(lst, "closed", bool, w, False)}
    plan = ProjectPlan(key, name[:200], f"trello board {name!r} from {file}", list)
    plan.fallback = services.actor
    if target.project is None:
        plan.workflow = flow
        initial = flow[0][0] if flow else target.initial_status
        done = next((n for n, c in flow if c == StatusCategory.DONE), initial)
    else:
        initial = target.initial_status
        found = (s.name for s in target.statuses if s.category == StatusCategory.DONE)
        done = next(found, initial)
    members = _people(board, plan)
    labels = _labels(board, plan)
    actions = _Actions(board, members, plan, report)
    checklists: dict[str, list[tuple[str, Board]]] = {}
    for where, checklist in objects(board, "checklists", ""):
        checklists.setdefault(get(checklist, "idCard", str, where), []).append((where, checklist))
    column = {list_id: n for n, list_id in enumerate(status_of)}
    for where, card in cards:
        get(card, "id", str, where)
        if get(card, "idList", str, where) not in status_of:
            raise BadFile(f"{where}.idList", f"no list with id {card['idList']!r} on the board")
    cards.sort(key=lambda c: (column[c[1]["idList"]], _pos(*c)))
    issues, subtasks = [], []
    for where, card in cards:
        archived = get(card, "closed", bool, where, False) or card["idList"] in closed
        status = status_of[card["idList"]]
        issue = _card(where, card, status, archived, members, labels, actions, report)
        issues.append(issue)
        items = checklists.get(card["id"], [])
        subtasks += _checklist_items(issue, items, members, (initial, done))
    everything = issues + subtasks
    for issue in everything:
        clean_issue(report, issue)
        plan.count_issue(issue)
    plan.issues = lambda: everything
    return plan
