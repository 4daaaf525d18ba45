"""Push the outbox: each queued action in its own server transaction, per field three-way.

Per field: the server still has the base -> apply; it has the new value -> already done;
else -> a conflict entry, never an overwrite. Labels merge per element, comments append.
The op id is recorded (with what the push learnt) in the same transaction, so a push whose
answer was lost is recognised on retry. A refusal (role, workflow, WIP limit, issue gone)
becomes an entry with the server's own words; the pull then shows the server's state.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from tracker_gui.domain.enums import IssueType, LinkKind, Priority
from tracker_gui.domain.models import Issue, NewIssue
from tracker_gui.errors import (
    ConnectionFailedError,
    NotFoundError,
    PermissionDeniedError,
    UserError,
)
from tracker_gui.services import Services
from tracker_gui.services.sync_values import FIELDS, edit_argument, shown, values
from tracker_gui.services.worklogs import WorklogService
from tracker_gui.storage.database import Database
from tracker_gui.storage.replica import entries, outbox, server
from tracker_gui.storage.replica.outbox import Op

_EDITED = ("title", "description", "type", "priority", "assignee", "due", "estimate", "parent")


class Unreachable(Exception):
    """The server went away mid-push: what is left stays queued."""


@dataclass
class Outcome:
    """What one op came to; stored on the server (sync_op.result) and in the replica."""

    applied: bool = True
    entries: list[dict[str, Any]] = field(default_factory=list)
    created: dict[str, str] | None = None

    def dumps(self) -> str:
        return json.dumps({"applied": self.applied, "entries": self.entries,
                           "created": self.created})  # fmt: skip

    @classmethod
    def loads(cls, text: str) -> Outcome:
        data = json.loads(text) if text else {}
        return cls(bool(data.get("applied", True)), list(data.get("entries", [])),
                   data.get("created"))  # fmt: skip


@dataclass
class Pushed:
    pushed: int = 0
    conflicts: int = 0
    refused: int = 0
    touched: set[str] = field(default_factory=set)  # server uids of the issues sent


class _Maps:
    """Provisional keys and local uids of issues made offline, as the server numbered them."""

    def __init__(self, replica: Database) -> None:
        self.keys = outbox.real_keys(replica)
        self.uids = outbox.real_uids(replica)

    def uid(self, local: str | None) -> str | None:
        return None if local is None else self.uids.get(local, local)

    def text(self, value: str) -> str:
        return outbox.rewrite(value, self.keys)


def push_all(srv: Services, replica: Database, origin: str) -> Pushed:
    """Push every queued op, oldest first; Unreachable stops (the rest stays queued)."""
    result = Pushed()
    maps = _Maps(replica)
    for op in outbox.pending(replica):
        outcome = push_one(srv, op, origin, maps)
        with replica.transaction():
            for entry in outcome.entries:
                entries.add(replica, _entry_row(op, entry))
            if outcome.created is not None and op.issue_uid is not None:
                real_key, real_uid = outcome.created["key"], outcome.created["uid"]
                outbox.set_real(replica, op.issue_uid, real_key, real_uid)
                maps.keys[str(op.body.get("provisional"))] = real_key
                maps.uids[op.issue_uid] = real_uid
            if op.kind == "create" and not outcome.applied and op.issue_uid is not None:
                # Refused: the entry keeps its content; the replica shows the server's state.
                outbox.drop_issue(replica, op.issue_uid)
            outbox.remove(replica, op.op_id)
        for uid in (maps.uid(op.issue_uid), maps.uid(op.body.get("other"))):
            if uid is not None:
                result.touched.add(uid)
        result.pushed += 1 if outcome.applied else 0
        result.conflicts += sum(1 for e in outcome.entries if e["kind"] == "conflict")
        result.refused += sum(1 for e in outcome.entries if e["kind"] == "refused")
    return result


def push_one(srv: Services, op: Op, origin: str, maps: _Maps) -> Outcome:
    db = srv.database
    try:
        prior = server.prior_result(db, op.op_id)
        if prior is not None:  # applied before; the answer was lost on the way back
            return Outcome.loads(prior)
        try:
            with db.transaction(op.change_set, origin=origin, op_id=op.op_id):
                outcome = _apply(srv, op, maps)
                server.record_op(db, op.op_id, outcome.dumps())
            return outcome
        except (UserError, PermissionDeniedError) as exc:
            return _refused(op, str(exc))
    except ConnectionFailedError as exc:
        raise Unreachable(str(exc)) from exc


def _refused(op: Op, message: str) -> Outcome:
    key = str(op.body.get("key") or op.body.get("provisional") or "")
    fields = op.body.get("fields") or {}
    if op.kind in ("edit", "move", "archive") and (fields or "labels_add" in op.body):
        names = list(fields) + (["labels"] if "labels_add" in op.body else [])
        made = [_one("refused", key, f, *_pair(op, f), None, None, None, message) for f in names]
        return Outcome(False, made)
    what = {"comment": op.body.get("body"), "link": op.body.get("other_key"),
            "watch": op.body.get("user"), "create": op.body.get("title"),
            "worklog": op.body.get("minutes")}.get(op.kind)  # fmt: skip
    return Outcome(False, [_one("refused", key, None, None, what, None, None, None, message)])


def _pair(op: Op, name: str) -> tuple[Any, Any]:
    if name == "labels":
        return None, {"add": op.body.get("labels_add", []),
                      "remove": op.body.get("labels_remove", [])}  # fmt: skip
    base, new = op.body["fields"][name]
    return base, new


def _one(kind: str, key: str, fld: str | None, base: Any, mine: Any, theirs: Any,
         by: str | None, at: str | None, message: str) -> dict[str, Any]:  # fmt: skip
    return {"kind": kind, "key": key, "field": fld, "base": base, "mine": mine,
            "theirs": theirs, "theirs_by": by, "theirs_at": at, "message": message}  # fmt: skip


def _entry_row(op: Op, e: dict[str, Any]) -> entries.EntryRow:
    return entries.EntryRow(
        0, e["kind"], op.op_id, e["key"], e["field"], e["base"], e["mine"], e["theirs"],
        e["theirs_by"], e["theirs_at"], e["message"],
        {"kind": op.kind, "issue_uid": op.issue_uid, "body": op.body},
    )  # fmt: skip


def _issue(srv: Services, op: Op, maps: _Maps) -> Issue:
    uid = maps.uid(op.issue_uid)
    found = srv.issues.repo.ids_by_uid([uid]) if uid else {}
    if not found or uid not in found:
        key = op.body.get("key") or op.body.get("provisional")
        raise NotFoundError(f"{key} was deleted on the server (or you may no longer read it)")
    return srv.issues.get(found[uid])


def _apply(srv: Services, op: Op, maps: _Maps) -> Outcome:
    issues = srv.issues
    if op.kind == "create":
        return _create(srv, op, maps)
    issue = _issue(srv, op, maps)
    if op.kind == "comment":
        issues.comment(issue.id, maps.text(str(op.body["body"])))
    elif op.kind == "link":
        other = _issue(srv, Op(0, "", "", "", op.body["other"], {"key": op.body["other_key"]},
                               ""), maps)  # fmt: skip
        issues.link(issue.id, LinkKind(op.body["kind"]), other.key)
    elif op.kind == "watch":
        issues.watch(issue.id, str(op.body["user"]), bool(op.body["on"]))
    elif op.kind == "worklog":  # time logged offline: appended, like a comment
        b = op.body
        on = dt.date.fromisoformat(str(b["on"]))
        WorklogService.of(srv).log(issue.id, int(b["minutes"]), on=on, note=str(b["note"]))
    else:
        return _fields(srv, op, issue, maps)
    return Outcome()


def _fields(srv: Services, op: Op, issue: Issue, maps: _Maps) -> Outcome:
    issues = srv.issues
    now = values(issues, issue)
    wanted: dict[str, Any] = {}
    out = Outcome()
    fields = op.body.get("fields") or {}
    for name, pair in fields.items():
        # A move to another column is placed by the server (at the column's end); the
        # rank counts for itself only when the card was reordered within its column.
        if name not in FIELDS or (name == "rank" and "status" in fields):
            continue
        base, new = _mapped(name, pair, maps)
        if now[name] == base:
            wanted[name] = new
        elif now[name] != new:
            who = server.last_change(srv.database, issue.id, name)
            out.entries.append(
                _one("conflict", issue.key, name, shown(issues, name, base),
                     shown(issues, name, new), shown(issues, name, now[name]),
                     who[0] if who else None, who[1] if who else None,
                     f"{issue.key} {name} was changed on the server meanwhile")
            )  # fmt: skip
    labels = set(issue.labels)
    merged = (labels | set(op.body.get("labels_add", []))) - set(op.body.get("labels_remove", []))
    edits = {n: edit_argument(issues, n, v) for n, v in wanted.items() if n in _EDITED}
    if merged != labels:
        edits["labels"] = sorted(merged)
    current = issue
    if edits:
        current = issues.edit(current.id, current.version, edits)
    if "status" in wanted:
        current = issues.transition(current.id, current.version, str(wanted["status"]))
    elif "rank" in wanted:
        current = issues.move(current.id, current.version, exact_rank=str(wanted["rank"]))
    if "sprint" in wanted:  # the server finds the sprint by name, in the issue's project
        srv.sprints.set_sprint([current.id], wanted["sprint"])
        current = issues.get(current.id)
    if "archived" in wanted:
        current = issues.archive(current.id, current.version, bool(wanted["archived"]))
    return out


def _mapped(name: str, pair: list[Any], maps: _Maps) -> tuple[Any, Any]:
    """(base, new) with issues made offline named as the server numbered them."""
    base, new = pair
    if name == "parent":
        return maps.uid(base), maps.uid(new)
    if name == "description" and isinstance(new, str):
        return base, maps.text(new)
    return base, new


def _create(srv: Services, op: Op, maps: _Maps) -> Outcome:
    b = op.body
    parent_uid = maps.uid(b.get("parent"))
    parent_key = None
    if parent_uid:
        ids = srv.issues.repo.ids_by_uid([parent_uid])
        parent_key = srv.issues.get(ids[parent_uid]).key if parent_uid in ids else None
    due = edit_argument(srv.issues, "due", b.get("due"))
    new = NewIssue(
        project_key=str(b["project"]), title=str(b["title"]), type=IssueType(b["type"]),
        priority=Priority.parse(str(b["priority"])), status=b.get("status"),
        assignee=b.get("assignee"), description=maps.text(str(b.get("description") or "")),
        labels=tuple(b.get("labels") or ()), parent_key=parent_key, due=due,
        estimate=b.get("estimate"), watchers=tuple(b.get("watchers") or ()),
    )  # fmt: skip
    made = srv.issues.create(new)
    if b.get("sprint"):  # made offline straight into a sprint
        made = srv.sprints.set_sprint([made.id], str(b["sprint"]))[0]
    # Its own provisional key in its description: known only now that it has a number.
    own = outbox.rewrite(made.description, {str(b.get("provisional")): made.key})
    if own != made.description:
        made = srv.issues.edit(made.id, made.version, {"description": own})
    return Outcome(created={"key": made.key, "uid": made.uid})
