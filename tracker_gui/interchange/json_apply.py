"""Write a checked tracker-gui JSON document into the database in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tracker_gui.domain.enums import Priority
from tracker_gui.domain.models import Project
from tracker_gui.domain.workflow import DEFAULT_WORKFLOW
from tracker_gui.errors import UserError
from tracker_gui.interchange.bulk import CHUNK, ids_by_uid, insert_issues
from tracker_gui.interchange.json_refs import RefsIn
from tracker_gui.interchange.report import ImportReport, Ticker
from tracker_gui.interchange.writer import BulkChange, publish
from tracker_gui.services import Services
from tracker_gui.storage import fresh

Doc = dict[str, Any]
_FLUSH = 2000


@dataclass
class Checked:
    """A document that passed every check: what `write` may trust."""

    users: list[Doc]
    projects: list[Doc]
    saved_filters: list[Doc]
    history: list[Doc]
    replaces: int | None = None  # an untouched default project the backup's projects replace


def _time(text: str | None) -> dt.datetime | None:
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


def _row(
    item: Doc,
    key: str,
    project_ids: dict[str, int],
    statuses: dict[tuple[str, str], int],
    users: dict[str, int],
    issues: dict[str, int],
) -> dict[str, Any]:
    return {
        "uid": item["uid"],
        "project": project_ids[key],
        "number": item["number"],
        "type": item["type"],
        "title": item["title"],
        "description": item.get("description", ""),
        "status": statuses[(key, item["status"])],
        "priority": int(Priority.parse(item["priority"])),
        "assignee": users[item["assignee"]] if item.get("assignee") else None,
        "reporter": users[item["reporter"]],
        "parent": issues[item["parent"]] if item.get("parent") else None,
        "rank": item["rank"],
        "due": dt.date.fromisoformat(item["due"]) if item.get("due") else None,
        "estimate": item.get("estimate"),
        "created_at": _time(item["created_at"]),
        "updated_at": _time(item["updated_at"]),
        "resolved_at": _time(item.get("resolved_at")),
        "version": item.get("version", 1),
        "archived": item.get("archived", False),
    }


def write(services: Services, checked: Checked, report: ImportReport, ticker: Ticker) -> None:
    """Users, projects, workflow, labels, issues and all they hold, filters, then the history."""
    db, catalog, repo = services.database, services.projects.catalog, services.issues.repo
    before = catalog.last_change_id()
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
        project_ids: dict[str, int] = {}
        for doc in checked.projects:
            key = doc["key"]
            project = catalog.insert_project(key, doc["name"], doc.get("description", ""))
            project_ids[key] = project.id
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
        issues: dict[str, int] = {}
        total = sum(len(p["issues"]) for p in checked.projects)
        done = 0
        for level in _levels(checked.projects):
            for key, items in level.items():
                for start in range(0, len(items), CHUNK):
                    rows = [
                        _row(i, key, project_ids, statuses, users, issues)
                        for i in items[start : start + CHUNK]
                    ]
                    insert_issues(services, rows)
                    done += len(rows)
                    ticker(done, total * 2)
                uids = {i["uid"] for i in items}
                issues.update(ids_by_uid(services, uids))
        label_pairs: list[tuple[int, int]] = []
        ordered = [(p, i) for p in checked.projects for i in p["issues"]]
        for n, (doc, item) in enumerate(ordered, 1):
            ticker(total + n, total * 2)
            key, issue_id = doc["key"], issues[item["uid"]]
            label_pairs += [(issue_id, labels[(key, name)]) for name in item.get("labels", [])]
            for name in item.get("watchers", []):
                repo.add_watcher(issue_id, users[name])
            for c in item.get("comments", []):
                repo.insert_comment(
                    issue_id,
                    users[c["author"]],
                    c["body"],
                    _time(c["created_at"]),
                    _time(c.get("edited_at")),
                )
            for a in item.get("attachments", []):
                repo.insert_attachment(
                    issue_id,
                    a["name"],
                    a["bytes"],
                    a["sha256"],
                    users[a["uploader"]],
                    _time(a["created_at"]),
                )
        repo.add_labels_many(label_pairs)
        for _, item in ordered:
            for link in item.get("links", []):
                repo.insert_link(link["kind"], issues[item["uid"]], issues[link["target"]])
        for f in checked.saved_filters:
            catalog.insert_saved_filter(users[f["owner"]], f["name"], f["query"])
        _history(services, checked.history, RefsIn(statuses, issues), project_ids)
        ticker(total * 2, total * 2, force=True)  # a late cancel still rolls back
    report.project = ", ".join(project_ids) or None
    publish(services, before)


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
    services: Services, history: list[Doc], refs: RefsIn, project_ids: dict[str, int]
) -> None:
    rows: list[BulkChange] = []
    for item in history:
        key = item["project"]
        at = _time(item["at"])
        assert at is not None
        rows.append(
            (
                project_ids[key],
                refs.issue(item.get("issue")),
                item["actor"],
                item["field"],
                refs.value(key, item.get("old")),
                refs.value(key, item.get("new")),
                at,
            )
        )
        if len(rows) >= _FLUSH:
            services.projects.catalog.append_changes_bulk(rows)
            rows = []
    if rows:
        services.projects.catalog.append_changes_bulk(rows)
