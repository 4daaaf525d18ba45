"""Write a checked backup document (the app's own JSON) into the database in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from tracker_gui.domain.durations import DAY_MINUTES, WEEK_DAYS, WorkCalendar
from tracker_gui.domain.enums import IssueType, Priority
from tracker_gui.domain.models import Issue, Project
from tracker_gui.domain.workflow import DEFAULT_WORKFLOW
from tracker_gui.errors import UserError
from tracker_gui.services import Services
from tracker_gui.services.bulk_writer import CHUNK, BulkWriter, issue_row
from tracker_gui.services.import_plan import Ticker
from tracker_gui.storage import fresh
from tracker_gui.storage.worklog_repo import WorklogRepo

Doc = dict[str, Any]
_FLUSH = 2000


class Refs(Protocol):
    """The document's references (issue uids, status names) as the ids given here."""

    def issue(self, ref: Any) -> int | None: ...

    def value(self, project: str, value: Any) -> str | None: ...


# (project key, status name) -> id and uid -> id, to the Refs that history is read through.
# The third map: (project key, sprint name) -> id (history rows name sprints since version 3).
RefsFor = Callable[[dict[tuple[str, str], int], dict[str, int], dict[tuple[str, str], int]], Refs]


@dataclass
class RestorePlan:
    """A document that passed every check: what `write` may trust."""

    users: list[Doc]
    projects: list[Doc]
    saved_filters: list[Doc]
    history: list[Doc]
    replaces: int | None = None  # an untouched default project the backup's projects replace
    worklogs: list[Doc] = field(default_factory=list)  # version 3
    sprints: list[Doc] = field(default_factory=list)  # version 3: each names its project


def time(text: str | None) -> dt.datetime | None:
    """A stored time (naive UTC) from the document's ISO text."""
    if text is None:
        return None
    value = dt.datetime.fromisoformat(text)
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def _levels(projects: list[Doc]) -> list[dict[str, list[Doc]]]:
    """Issues by depth (roots first) and project: a level's parents all have ids already."""
    by_uid = {i["uid"]: i for p in projects for i in p["issues"]}
    depth: dict[str, int] = {}

    def level(uid: str) -> int:
        chain = []
        while uid not in depth:
            chain.append(uid)
            parent = by_uid[uid].get("parent")
            if parent is None:
                depth[uid] = 0
                chain.pop()
                break
            uid = parent
        for child in reversed(chain):  # the checker has ruled out cycles
            depth[child] = depth[uid] + 1
            uid = child
        return depth[uid]

    out: list[dict[str, list[Doc]]] = []
    for project in projects:
        for issue in project["issues"]:
            n = level(issue["uid"])
            while len(out) <= n:
                out.append({})
            out[n].setdefault(project["key"], []).append(issue)
    return out


def _issue(item: Doc, project: Project, status_id: int, parent_id: int | None) -> Issue:
    created, updated = time(item["created_at"]), time(item["updated_at"])
    assert created is not None and updated is not None
    return Issue(
        id=0,
        uid=item["uid"],
        project_id=project.id,
        project_key=project.key,
        number=item["number"],
        type=IssueType(item["type"]),
        title=item["title"],
        status_id=status_id,
        priority=Priority.parse(item["priority"]),
        rank=item["rank"],
        reporter=item["reporter"],
        created_at=created,
        updated_at=updated,
        version=item.get("version", 1),
        description=item.get("description", ""),
        assignee=item.get("assignee") or None,
        parent_id=parent_id,
        due=dt.date.fromisoformat(item["due"]) if item.get("due") else None,
        estimate=item.get("estimate"),
        resolved_at=time(item.get("resolved_at")),
        archived=item.get("archived", False),
    )


def write(
    services: Services,
    checked: RestorePlan,
    ticker: Ticker,
    refs_for: RefsFor,
) -> list[str]:
    """Users, projects, workflow, labels, issues and all they hold, filters, then the history.

    `refs_for(statuses, issues)` gives the Refs the history rows are read through. Returns
    the keys of the projects written.
    """
    db, catalog = services.database, services.projects.catalog
    bulk = BulkWriter(services)
    with db.transaction():
        if checked.replaces is not None:
            _remove_unused(services, checked.replaces)
        users = {}
        for user in checked.users:
            found = catalog.user(user["username"]) or catalog.insert_user(
                user["username"], user.get("display_name", ""), user.get("email", "")
            )
            users[found.username] = found.id
        statuses: dict[tuple[str, str], int] = {}
        labels: dict[tuple[str, str], int] = {}
        projects: dict[str, Project] = {}
        for doc in checked.projects:
            key = doc["key"]
            project = catalog.insert_project(key, doc["name"], doc.get("description", ""))
            projects[key] = project
            # Before next_number moves on: a secured database keeps these numbers only so.
            top = max((i["number"] for i in doc["issues"]), default=0)
            bulk.keep_numbers_through(project.id, top)
            catalog.update_project(
                project.id,
                {"next_number": doc.get("next_number", 1), "archived": doc.get("archived", False)},
            )
            for s in doc["statuses"]:
                statuses[(key, s["name"])] = catalog.insert_status(
                    project.id,
                    s["name"],
                    s["category"],
                    s["position"],
                    s.get("wip_limit"),
                    s.get("colour", ""),
                )
            pairs = [
                (statuses[(key, a)], statuses[(key, b)]) for a, b in doc.get("transitions", [])
            ]
            if pairs:
                catalog.replace_transitions(project.id, pairs)
            for lab in doc.get("labels", []):
                made = catalog.insert_label(project.id, lab["name"], lab.get("colour", ""))
                labels[(key, lab["name"])] = made.id
        sprints = _sprints(services, checked.sprints, projects)
        issues: dict[str, int] = {}
        total = sum(len(p["issues"]) for p in checked.projects)
        done = 0
        for level in _levels(checked.projects):
            for key, items in level.items():
                for start in range(0, len(items), CHUNK):
                    rows = []
                    for i in items[start : start + CHUNK]:
                        parent = issues[i["parent"]] if i.get("parent") else None
                        issue = _issue(i, projects[key], statuses[(key, i["status"])], parent)
                        assignee = users[issue.assignee] if issue.assignee else None
                        row = issue_row(issue, users[issue.reporter], assignee)
                        row["sprint"] = sprints.get((key, i.get("sprint") or ""))
                        rows.append(row)
                    bulk.insert_issues(rows)
                    done += len(rows)
                    ticker(done, total * 2)
                issues.update(bulk.ids_by_uid({i["uid"] for i in items}))
        ordered = [(p, i) for p in checked.projects for i in p["issues"]]
        for n, (doc, item) in enumerate(ordered, 1):
            ticker(total + n, total * 2)
            key, issue_id = doc["key"], issues[item["uid"]]
            for name in item.get("labels", []):
                bulk.label(issue_id, labels[(key, name)])
            for name in item.get("watchers", []):
                bulk.watcher(issue_id, users[name])
            for c in item.get("comments", []):
                bulk.comment(
                    issue_id,
                    users[c["author"]],
                    c["body"],
                    time(c["created_at"]),
                    time(c.get("edited_at")),
                )
            for a in item.get("attachments", []):
                bulk.attachment(
                    issue_id,
                    a["name"],
                    a["bytes"],
                    a["sha256"],
                    users[a["uploader"]],
                    time(a["created_at"]),
                )
        bulk.flush()
        for _, item in ordered:
            for link in item.get("links", []):
                bulk.link(link["kind"], issues[item["uid"]], issues[link["target"]])
        for f in checked.saved_filters:
            catalog.insert_saved_filter(users[f["owner"]], f["name"], f["query"])
        _time(services, checked, projects, issues, users)
        _history(bulk, checked.history, refs_for(statuses, issues, sprints), projects)
        ticker(total * 2, total * 2, force=True)  # a late cancel still rolls back
    bulk.publish()
    return list(projects)


def _time(
    services: Services,
    checked: RestorePlan,
    projects: dict[str, Project],
    issues: dict[str, int],
    users: dict[str, int],
) -> None:
    """Version 3: work calendars, work logs and remaining times (the history has their rows)."""
    logs = WorklogRepo(services.database)
    for doc in checked.projects:
        calendar = WorkCalendar(doc.get("work_day_minutes", DAY_MINUTES),
                                doc.get("week_days", WEEK_DAYS))  # fmt: skip
        if calendar != WorkCalendar():
            logs.set_calendar(projects[doc["key"]].id, calendar)
    left = {issues[i["uid"]]: i["remaining_minutes"] for p in checked.projects
            for i in p["issues"] if i.get("remaining_minutes") is not None}  # fmt: skip
    logs.restore_remaining(left)
    rows = [
        (issues[w["issue"]], users[w["user"]], dt.date.fromisoformat(w["on"]), w["minutes"],
         w.get("note", ""), time(w["created_at"]))
        for w in checked.worklogs
    ]  # fmt: skip
    logs.insert_many(rows)


def _sprints(
    services: Services, items: list[Doc], projects: dict[str, Project]
) -> dict[tuple[str, str], int]:
    """The backup's sprints as they were (state, figures, times): (key, name) -> id."""
    made: dict[tuple[str, str], int] = {}
    for item in items:
        key = item["project"]
        made[(key, item["name"])] = services.sprints.rows.restore(
            projects[key].id,
            {
                "name": item["name"],
                "start_date": dt.date.fromisoformat(item["start"]),
                "end_date": dt.date.fromisoformat(item["end"]),
                "goal": item.get("goal", ""),
                "state": item.get("state", "planned"),
                "scope_start": item.get("scope_start"),
                "scope_close": item.get("scope_close"),
                "done_close": item.get("done_close"),
                "started_at": time(item.get("started_at")),
                "closed_at": time(item.get("closed_at")),
            },
        )
    return made


def untouched_default(services: Services) -> Project | None:
    """The database's only project, still as `init` or the window's first start made it."""
    if services.database.server_managed:
        return None  # a secured database keeps its history: its projects are the admin's
    workflow = [(name, category.value) for name, category in DEFAULT_WORKFLOW]
    return fresh.untouched_only_project(services.database, workflow)


def _remove_unused(services: Services, project_id: int) -> None:
    """Checked again inside the transaction: someone may have used it since the check."""
    found = untouched_default(services)
    if found is None or found.id != project_id:
        raise UserError("the database changed while the backup was checked; nothing was imported")
    fresh.remove_project(services.database, project_id)


def _history(
    bulk: BulkWriter, history: list[Doc], refs: Refs, projects: dict[str, Project]
) -> None:
    """Restored history keeps its own times and no change set (it was not one action here)."""
    for item in history:
        key = item["project"]
        at = time(item["at"])
        assert at is not None
        bulk.change(
            projects[key].id,
            refs.issue(item.get("issue")),
            item["actor"],
            item["field"],
            refs.value(key, item.get("old")),
            refs.value(key, item.get("new")),
            at,
        )
        if len(bulk.log) >= _FLUSH:
            bulk.flush()
    bulk.flush()


__all__ = ["RestorePlan", "time", "untouched_default", "write"]
