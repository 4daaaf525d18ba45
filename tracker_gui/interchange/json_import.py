"""Import a tracker-gui JSON file: every field checked first, then one transaction."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker_gui.domain import validation
from tracker_gui.domain.durations import (
    DAY_MINUTES,
    LOG_MAX,
    REMAINING_MAX,
    WEEK_DAYS,
    WorkCalendar,
)
from tracker_gui.domain.enums import IssueType, LinkKind, Priority, StatusCategory, parse_enum
from tracker_gui.errors import ValidationError
from tracker_gui.interchange import apply, json_apply, json_sprints
from tracker_gui.interchange.json_export import FORMAT, VERSION
from tracker_gui.interchange.json_refs import ref_problem
from tracker_gui.interchange.report import BadFile, Cancelled, ImportReport, Progress, Ticker
from tracker_gui.interchange.shape import get, obj, objects, texts
from tracker_gui.interchange.textio import read_json
from tracker_gui.services import Services, imports
from tracker_gui.services.worklogs import NOTE_MAX

Doc = dict[str, Any]
_RANK = re.compile(r"[0-9a-z]{1,255}")
_OPT_STR = (str, type(None))
_OPT_INT = (int, type(None))
_OPT_NUM = (float, type(None))


def import_json(
    services: Services,
    path: str | os.PathLike[str],
    *,
    dry_run: bool = False,
    rename_projects: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> BackupReport:
    """Load a whole-database export; its projects must not exist here yet.

    A fresh database's untouched default project makes way for the backup's projects; a real
    project with a key the file also uses is a clash, or with `rename_projects` the file's
    project gets the next free key (TRK -> TRK2).
    """
    report = BackupReport("json", str(path), dry_run=dry_run)
    try:
        doc = obj(read_json(Path(path)), "the file")
        checked = Checker(services, report, rename_projects).document(doc)
    except BadFile as exc:
        report.error(exc.where, exc.detail)
        apply.refuse(report)
        return report
    if report.errors or report.hidden_errors:
        apply.refuse(report)  # raises unless a dry run
        return report
    if not dry_run:
        json_apply.write(services, checked, report, Ticker(progress, cancelled))
        report.committed = True
    return report


class Checker:
    """Walks the document once; structure errors raise BadFile, broken rules are collected."""

    def __init__(
        self, services: Services, report: BackupReport, rename_projects: bool = False
    ) -> None:
        self.services = services
        self.report = report
        self.rename_projects = rename_projects
        self.usernames: set[str] = set()
        self.uids: dict[str, str] = {}  # uid -> where it is defined
        self.sprint_names: set[tuple[str, str]] = set()  # (project key, sprint name)

    def rule(self, where: str, check: Callable[..., object], *args: Any) -> None:
        """Run one field rule; its ValidationError or ValueError becomes an error at `where`."""
        try:
            check(*args)
        except (ValidationError, ValueError) as exc:
            self.report.error(where, str(exc))

    def text(self, where: str, value: str, max_bytes: int = 10_000_000) -> None:
        self.rule(where, _clean, where, value, max_bytes)

    def time(self, where: str, value: Any, optional: bool = False) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            raise BadFile(where, "expected a date and time like 2024-03-15T14:30:00")
        self.rule(where, dt.datetime.fromisoformat, value)

    def user(self, where: str, name: Any, optional: bool = False) -> None:
        if name is None and optional:
            return
        if name not in self.usernames:
            self.report.error(where, f"no user {name!r} in the file's users")

    # -- the document ----------------------------------------------------------------------
    def document(self, doc: Doc) -> json_apply.Checked:
        kind = get(doc, "format", str, "")
        if kind != FORMAT:
            raise BadFile("format", f"not a {FORMAT} export (format is {kind!r})")
        version = get(doc, "version", int, "")
        if version > VERSION:
            raise BadFile(
                "version", f"written by a newer Tracker (version {version}; this reads {VERSION})"
            )
        if version < 1:
            raise BadFile("version", f"unknown version {version}")
        users = self.users(doc)
        projects = [self.project(where, p) for where, p in objects(doc, "projects", "")]
        statuses = {p["key"]: {s["name"] for s in p["statuses"]} for p in projects}
        for where, project in objects(doc, "projects", ""):
            for issue_where, issue in objects(project, "issues", where):
                self.issue_refs(issue_where, issue)
        self.parents(projects)
        sprints = json_sprints.check(self, doc, projects)
        filters = [self.saved_filter(where, f) for where, f in objects(doc, "saved_filters", "")]
        history = [self.change(where, c, statuses) for where, c in objects(doc, "history", "")]
        worklogs = [self.worklog(where, w) for where, w in objects(doc, "worklogs", "")]
        replaces = self.against_database(users, projects)
        self.rename(projects, [*history, *sprints])
        for name in ("projects", "users"):
            self.report.created[name] += len(users if name == "users" else projects)
        issues = [i for p in projects for i in p["issues"]]
        self.report.created["issues"] += len(issues)
        for part in ("comments", "links", "attachments", "watchers"):
            self.report.created[part] += sum(len(i[part]) for i in issues)
        self.report.created["saved filters"] += len(filters)
        self.report.created["sprints"] += len(sprints)
        if history and self.services.database.server_managed:
            # Its triggers write the history there (who restored what, and when); no login
            # may write the Change log itself. Said, not dropped silently.
            self.report.warn(
                "history",
                f"{len(history)} history rows of the backup stay out: a secured database writes"
                " its own history (restore before `admin setup-postgres` to keep them)",
            )
            history = []
        self.report.created["history rows"] += len(history)
        self.report.created["work logs"] += len(worklogs)
        return json_apply.Checked(
            users, projects, filters, history, replaces, worklogs=worklogs, sprints=sprints
        )

    def users(self, doc: Doc) -> list[Doc]:
        out = []
        for where, user in objects(doc, "users", ""):
            name = get(user, "username", str, where)
            self.rule(f"{where}.username", validation.username, name)
            if name in self.usernames:
                self.report.error(f"{where}.username", f"user {name!r} is listed twice")
            self.usernames.add(name)
            self.text(f"{where}.display_name", get(user, "display_name", str, where, ""), 800)
            self.text(f"{where}.email", get(user, "email", str, where, ""), 1000)
            out.append(user)
        return out

    def project(self, where: str, project: Doc) -> Doc:
        key = get(project, "key", str, where)
        self.rule(f"{where}.key", _exact_key, key)
        self.rule(f"{where}.name", validation.name, "name", get(project, "name", str, where), 200)
        self.text(f"{where}.description", get(project, "description", str, where, ""))
        get(project, "archived", bool, where, False)
        get(project, "next_number", int, where, 1)
        self.calendar(where, project)
        names: set[str] = set()
        for s_where, status in objects(project, "statuses", where):
            name = get(status, "name", str, s_where)
            self.rule(f"{s_where}.name", validation.name, "status", name)
            if name.casefold() in names:
                self.report.error(f"{s_where}.name", f"status {name!r} is listed twice")
            names.add(name.casefold())
            category = get(status, "category", str, s_where)
            self.rule(f"{s_where}.category", parse_enum, StatusCategory, category, "category")
            get(status, "position", int, s_where)
            limit = get(status, "wip_limit", _OPT_INT, s_where, None)
            self.rule(f"{s_where}.wip_limit", validation.wip_limit, limit)
            colour = get(status, "colour", str, s_where, "")
            self.rule(f"{s_where}.colour", validation.colour, colour)
        for t_where, pair in enumerate(get(project, "transitions", list, where, [])):
            at = f"{where}.transitions[{t_where}]"
            if not (
                isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
            ):
                raise BadFile(at, "expected a pair of status names")
            for name in pair:
                if name.casefold() not in names:
                    self.report.error(at, f"no status {name!r} in the project")
        labels: set[str] = set()
        for l_where, label in objects(project, "labels", where):
            name = get(label, "name", str, l_where)
            self.rule(
                f"{l_where}.name",
                validation.name,
                "label",
                name,
                validation.LABEL_MAX,
            )
            if name.casefold() in labels:
                self.report.error(f"{l_where}.name", f"label {name!r} is listed twice")
            labels.add(name.casefold())
            colour = get(label, "colour", str, l_where, "")
            self.rule(f"{l_where}.colour", validation.colour, colour)
        statuses = {s["name"] for s in project.get("statuses", [])}
        label_names = {lab["name"] for lab in project.get("labels", [])}
        numbers: dict[int, str] = {}
        for i_where, issue in objects(project, "issues", where):
            self.issue(i_where, issue, statuses, label_names)
            number = issue["number"]
            if number in numbers:
                self.report.error(f"{i_where}.number", f"{key}-{number} is also {numbers[number]}")
            numbers[number] = i_where
        top = max(numbers, default=0)
        if project.get("next_number", 1) <= top:
            self.report.warn(f"{where}.next_number", f"raised to {top + 1}: {key}-{top} exists")
            project["next_number"] = top + 1
        return project

    def issue(self, where: str, issue: Doc, statuses: set[str], labels: set[str]) -> None:
        uid = get(issue, "uid", str, where)
        self.rule(f"{where}.uid", uuid.UUID, uid)
        if uid in self.uids:
            self.report.error(f"{where}.uid", f"uid {uid} is also used by {self.uids[uid]}")
        self.uids[uid] = where
        number = get(issue, "number", int, where)
        if number < 1:
            self.report.error(f"{where}.number", "must be 1 or more")
        self.rule(f"{where}.type", parse_enum, IssueType, get(issue, "type", str, where), "type")
        self.rule(f"{where}.title", validation.title, get(issue, "title", str, where))
        self.text(
            f"{where}.description",
            get(issue, "description", str, where, ""),
            validation.DESCRIPTION_MAX_BYTES,
        )
        status = get(issue, "status", str, where)
        if status not in statuses:
            self.report.error(f"{where}.status", f"no status {status!r} in the project")
        self.rule(f"{where}.priority", Priority.parse, get(issue, "priority", str, where))
        self.user(f"{where}.assignee", get(issue, "assignee", _OPT_STR, where, None), optional=True)
        self.user(f"{where}.reporter", get(issue, "reporter", str, where))
        get(issue, "parent", _OPT_STR, where, None)
        key = get(issue, "rank", str, where)
        if not _RANK.fullmatch(key):  # the grammar is rank.py's; any stored key sorts by bytes
            self.report.error(f"{where}.rank", f"{key!r} is not a rank key")
        due = get(issue, "due", _OPT_STR, where, None)
        if due is not None:
            self.rule(f"{where}.due", dt.date.fromisoformat, due)
        estimate = get(issue, "estimate", _OPT_NUM, where, None)
        self.rule(f"{where}.estimate", validation.estimate, estimate)
        self.minutes(f"{where}.remaining_minutes", issue, "remaining_minutes", 0, REMAINING_MAX)
        for name in ("created_at", "updated_at", "resolved_at"):
            self.time(f"{where}.{name}", issue.get(name), optional=name == "resolved_at")
        if get(issue, "version", int, where, 1) < 1:
            self.report.error(f"{where}.version", "must be 1 or more")
        get(issue, "archived", bool, where, False)
        for name in texts(issue, "labels", where):
            if name not in labels:
                self.report.error(f"{where}.labels", f"no label {name!r} in the project")
        for name in texts(issue, "watchers", where):
            self.user(f"{where}.watchers", name)
        for c_where, comment in objects(issue, "comments", where):
            self.user(f"{c_where}.author", get(comment, "author", str, c_where))
            self.rule(
                f"{c_where}.body",
                validation.comment,
                get(comment, "body", str, c_where),
            )
            self.time(f"{c_where}.created_at", comment.get("created_at"))
            self.time(f"{c_where}.edited_at", comment.get("edited_at"), optional=True)
        for a_where, item in objects(issue, "attachments", where):
            self.attachment(a_where, item)
        for l_where, link in objects(issue, "links", where):
            self.rule(f"{l_where}.kind", LinkKind, get(link, "kind", str, l_where))
            get(link, "target", str, l_where)

    def attachment(self, where: str, item: Doc) -> None:
        self.rule(
            f"{where}.name",
            validation.name,
            "attachment name",
            get(item, "name", str, where),
            255,
        )
        self.user(f"{where}.uploader", get(item, "uploader", str, where))
        self.time(f"{where}.created_at", item.get("created_at"))
        try:
            data = base64.b64decode(get(item, "data", str, where), validate=True)
        except (binascii.Error, ValueError):
            self.report.error(f"{where}.data", "not valid base64")
            return
        item["bytes"] = data
        if len(data) != get(item, "size", int, where) or (
            hashlib.sha256(data).hexdigest() != get(item, "sha256", str, where)
        ):
            self.report.error(f"{where}.data", "does not match its size and sha256 (damaged?)")

    def issue_refs(self, where: str, issue: Doc) -> None:
        """Parents and link targets may sit anywhere in the file: checked once all are read."""
        parent = issue.get("parent")
        if parent is not None and parent not in self.uids:
            self.report.error(f"{where}.parent", f"no issue with uid {parent!r} in the file")
        for l_where, link in objects(issue, "links", where):
            if link["target"] not in self.uids:
                self.report.error(f"{l_where}.target", f"no issue with uid {link['target']!r}")

    def parents(self, projects: list[Doc]) -> None:
        """A parent lives in its child's project, and no issue is its own ancestor."""
        owner = {i["uid"]: p["key"] for p in projects for i in p["issues"]}
        parent_of = {i["uid"]: i.get("parent") for p in projects for i in p["issues"]}
        checked: set[str] = set()
        for uid, parent in parent_of.items():
            if parent in owner and owner[parent] != owner[uid]:
                self.report.error(f"{self.uids[uid]}.parent", "the parent is in another project")
            path: list[str] = []
            walk: str | None = uid
            while walk is not None and walk in parent_of and walk not in checked:
                if walk in path:
                    self.report.error(f"{self.uids[uid]}.parent", "the issue is its own ancestor")
                    break
                path.append(walk)
                walk = parent_of[walk]
            checked.update(path)

    # -- time tracking (version 3) -------------------------------------------------------
    def minutes(self, where: str, item: Doc, key: str, low: int, high: int) -> None:
        value = get(item, key, _OPT_INT, where.rsplit(".", 1)[0], None)
        if value is not None and not low <= value <= high:
            self.report.error(where, f"must be {low} to {high:,} minutes")

    def calendar(self, where: str, project: Doc) -> None:
        day = get(project, "work_day_minutes", int, where, DAY_MINUTES)
        week = get(project, "week_days", int, where, WEEK_DAYS)
        self.rule(f"{where}.work_day_minutes", WorkCalendar, day, week)

    def worklog(self, where: str, item: Doc) -> Doc:
        issue = get(item, "issue", str, where)
        if issue not in self.uids:
            self.report.error(f"{where}.issue", f"no issue with uid {issue} in the file")
        self.user(f"{where}.user", get(item, "user", str, where))
        self.rule(f"{where}.on", dt.date.fromisoformat, get(item, "on", str, where))
        self.minutes(f"{where}.minutes", item, "minutes", 1, LOG_MAX)
        if item["minutes"] is None:
            self.report.error(f"{where}.minutes", "missing")
        note = get(item, "note", str, where, "")
        if len(note) > NOTE_MAX:
            self.report.error(f"{where}.note", f"is {len(note):,} characters; the limit is 2,000")
        self.text(f"{where}.note", note)
        self.time(f"{where}.created_at", get(item, "created_at", str, where))
        return item

    def saved_filter(self, where: str, item: Doc) -> Doc:
        self.user(f"{where}.owner", get(item, "owner", str, where))
        self.rule(f"{where}.name", validation.name, "filter name", get(item, "name", str, where))
        self.text(f"{where}.query", get(item, "query", str, where), 10_000)
        return item

    def change(self, where: str, item: Doc, statuses: dict[str, set[str]]) -> Doc:
        project = get(item, "project", str, where)
        if project not in statuses:
            self.report.error(f"{where}.project", f"no project {project!r} in the file")
        issue = item.get("issue")
        if issue is not None and (
            problem := ref_problem(
                issue if isinstance(issue, dict) else {"issue": issue}, set(), set(self.uids)
            )
        ):
            self.report.error(f"{where}.issue", problem)
        actor = get(item, "actor", str, where)
        self.rule(f"{where}.actor", validation.name, "actor", actor, 63)
        self.time(f"{where}.at", item.get("at"))
        field = get(item, "field", str, where)
        self.rule(f"{where}.field", validation.name, "field", field, 40)
        for side in ("old", "new"):
            value = item.get(side)
            if isinstance(value, str):
                self.text(f"{where}.{side}", value)
            elif problem := ref_problem(value, statuses.get(project, set()), set(self.uids)):
                self.report.error(f"{where}.{side}", problem)
            elif (
                isinstance(value, dict)
                and "sprint" in value
                and ((project, value["sprint"]) not in self.sprint_names)
            ):
                self.report.error(f"{where}.{side}", f"no sprint {value['sprint']!r} in the file")
        return item

    def against_database(self, users: list[Doc], projects: list[Doc]) -> int | None:
        """Clashes with what is here; returns the id of an untouched project to remove."""
        services = self.services
        unused = json_apply.untouched_default(self.services) if projects else None
        if unused is not None:
            self.report.replaced = unused.key
        here = {p.key for p in services.projects.projects(include_archived=True)}
        taken = here | {p["key"] for p in projects}
        for where, project in enumerate(projects):
            key = project["key"]
            if (unused is not None and key == unused.key) or not imports.project_exists(
                services, key
            ):
                continue
            new = next_free_key(key, taken)
            taken.add(new)
            self.report.clashes[key] = new
            if not self.rename_projects:
                self.report.error(
                    f"projects[{where}].key",
                    f"project {key} already exists here: import under new keys to add it as {new}",
                )
        for user in users:
            found = imports.user(services, user["username"])
            if found and (found.display_name, found.email) != (
                user.get("display_name") or user["username"],
                user.get("email", ""),
            ):
                self.report.warn(f"user {found.username}", "exists here already: kept as it is")
        for uid in sorted(imports.taken_uids(services, list(self.uids))):
            self.report.error(
                f"{self.uids[uid]}.uid",
                f"an issue with uid {uid} exists here (was this backup imported already?)",
            )
        return unused.id if unused is not None else None

    def rename(self, projects: list[Doc], history: list[Doc]) -> None:
        """Give each clashing project its new key, in the projects and in what names them
        (history rows, sprints)."""
        if not self.rename_projects or not self.report.clashes:
            return
        renamed = self.report.clashes
        for project in projects:
            project["key"] = renamed.get(project["key"], project["key"])
        for item in history:
            item["project"] = renamed.get(item["project"], item["project"])
        self.report.renamed = dict(renamed)


@dataclass
class BackupReport(ImportReport):
    """A JSON import's report, with what happened to project keys that were taken here."""

    clashes: dict[str, str] = field(default_factory=dict)  # taken here -> the next free one
    renamed: dict[str, str] = field(default_factory=dict)  # the file's key -> the key given
    replaced: str | None = None  # the untouched default project that makes way

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "renamed": dict(self.renamed)}

    def lines(self) -> list[str]:
        out = super().lines()
        if not self.ok:
            return out
        extra = [f"renamed {old} -> {new}" for old, new in self.renamed.items()]
        if self.replaced is not None:
            verb = "removed" if self.committed else "would remove"
            extra.append(f"{verb} the unused project {self.replaced} (made with the database)")
        return out[:1] + extra + out[1:]


def next_free_key(key: str, taken: set[str]) -> str:
    """TRK -> TRK2, TRK3, ...: the first not in `taken`, cut to fit the 10-character limit."""
    n = 2
    while True:
        suffix = str(n)
        candidate = key[: 10 - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def _exact_key(key: str) -> None:
    if validation.project_key(key) != key:
        raise ValueError(f"project key {key!r} must be written in capitals")


def _clean(field: str, value: str, max_bytes: int) -> None:
    validation.clean_text(field, value, max_bytes=max_bytes)
