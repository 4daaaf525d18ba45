"""Change-log values that hold ids, written as names and uids so no database id leaves a file."""

from __future__ import annotations

import json
from typing import Any

from tracker_gui.domain import link_history

# Project-level fields whose text lists status ids (see ProjectService).
STATUS_LIST = "status.order"
TRANSITIONS = "transitions"


class RefsOut:
    """Export: status ids -> names, issue ids -> uids; ids that no longer resolve are numbered."""

    def __init__(
        self,
        statuses: dict[int, tuple[int, str]],
        issues: dict[int, str],
        sprints: dict[int, tuple[int, str]] | None = None,
    ) -> None:
        self.statuses = statuses  # id -> (project id, name)
        self.issues = issues  # id -> uid
        self.sprints = sprints or {}  # id -> (project id, name)
        self._gone_status: dict[int, int] = {}
        self._gone_sprint: dict[int, int] = {}
        self._gone_issue: dict[int, int] = {}

    def issue(self, issue_id: int | None) -> Any:
        if issue_id is None:
            return None
        if issue_id in self.issues:
            return self.issues[issue_id]
        return {"deleted_issue": self._gone_issue.setdefault(issue_id, len(self._gone_issue) + 1)}

    def _issue_text(self, text: Any) -> Any:
        if not isinstance(text, str) or not text.lstrip("-").isdigit():
            return text
        found = self.issue(int(text))
        return {"issue": found} if isinstance(found, str) else found

    def _status_text(self, project_id: int, text: Any) -> Any:
        if not isinstance(text, str) or not text.lstrip("-").isdigit():
            return text
        status_id = int(text)
        owner, name = self.statuses.get(status_id, (None, ""))
        if owner == project_id:
            return {"status": name}
        number = self._gone_status.setdefault(status_id, len(self._gone_status) + 1)
        return {"deleted_status": number}

    def value(self, project_id: int, has_issue: bool, field: str, text: str | None) -> Any:
        """A Change row's old/new text as the file holds it."""
        if text is None:
            return None
        if has_issue and field == "status":
            return self._status_text(project_id, text)
        if has_issue and field == "parent":
            return self._issue_text(text)
        if has_issue and field == "sprint" and text.lstrip("-").isdigit():
            owner, name = self.sprints.get(int(text), (None, ""))
            if owner == project_id:
                return {"sprint": name}
            return {
                "deleted_sprint": self._gone_sprint.setdefault(
                    int(text), len(self._gone_sprint) + 1
                )
            }
        if has_issue and field in link_history.LINK_FIELDS:
            # "blocks #42": the id becomes the other issue's uid, re-mapped on import. One not
            # in the file (gone, or in a project the exporter cannot read) is numbered instead.
            ref = link_history.parse(text)
            if ref is None:
                return text
            found = self.issue(ref[1])
            return {"link": [ref[0], {"issue": found} if isinstance(found, str) else found]}
        if has_issue and field == "created":
            try:
                state = json.loads(text)
            except ValueError:
                return text
            if not isinstance(state, dict):
                return text
            if "status" in state:
                state["status"] = self._status_text(project_id, state["status"])
            if "parent" in state:
                state["parent"] = self._issue_text(state["parent"])
            return {"snapshot": state}
        if not has_issue and field == STATUS_LIST and text:
            return {"statuses": [self._status_text(project_id, p) for p in text.split(",")]}
        if not has_issue and field == TRANSITIONS and text:
            pairs = [p.split(">", 1) for p in text.split(";")]
            if all(len(p) == 2 for p in pairs):
                return {
                    "transitions": [[self._status_text(project_id, x) for x in p] for p in pairs]
                }
        return text


class RefsIn:
    """Import: names and uids back to the ids the target database gave them."""

    def __init__(
        self,
        statuses: dict[tuple[str, str], int],
        issues: dict[str, int],
        sprints: dict[tuple[str, str], int] | None = None,
    ) -> None:
        self.statuses = statuses  # (project key, status name) -> id
        self.issues = issues  # uid -> id
        self.sprints = sprints or {}  # (project key, sprint name) -> id

    def issue(self, ref: Any) -> int | None:
        if ref is None:
            return None
        if isinstance(ref, str):
            return self.issues[ref]
        return -int(ref["deleted_issue"])  # kept apart from every real id

    def _text(self, project: str, ref: Any) -> Any:
        if not isinstance(ref, dict):
            return ref
        if "status" in ref:
            return str(self.statuses[(project, ref["status"])])
        if "deleted_status" in ref:
            return str(-int(ref["deleted_status"]))
        if "issue" in ref:
            return str(self.issues[ref["issue"]])
        if "sprint" in ref:
            return str(self.sprints[(project, ref["sprint"])])
        if "deleted_sprint" in ref:
            return str(-int(ref["deleted_sprint"]))
        return str(-int(ref["deleted_issue"]))

    def value(self, project: str, value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        if "snapshot" in value:
            state = {k: self._text(project, v) for k, v in value["snapshot"].items()}
            return json.dumps(state, sort_keys=True)
        if "statuses" in value:
            return ",".join(self._text(project, r) for r in value["statuses"])
        if "link" in value:
            phrase, ref = value["link"]
            return f"{phrase} #{self._text(project, ref)}"
        if "transitions" in value:
            return ";".join(
                f"{self._text(project, a)}>{self._text(project, b)}"
                for a, b in value["transitions"]
            )
        return str(self._text(project, value))


def ref_problem(value: Any, statuses: set[str], uids: set[str]) -> str | None:
    """Why an old/new value of the file cannot be resolved, or None when it can."""
    if value is None or isinstance(value, str):
        return None
    if not isinstance(value, dict) or len(value) != 1:
        return "expected text, null or one reference object"
    ((kind, inner),) = value.items()
    if kind == "snapshot":
        if not isinstance(inner, dict):
            return "a snapshot must be an object"
        for part in inner.values():
            if isinstance(part, dict) and (problem := ref_problem(part, statuses, uids)):
                return problem
        return None
    if kind in ("statuses", "transitions"):
        flat = inner if kind == "statuses" else [x for pair in inner for x in pair]
        if not isinstance(inner, list) or (
            kind == "transitions" and any(not isinstance(p, list) or len(p) != 2 for p in inner)
        ):
            return f"{kind} must be a list"
        return next((p for r in flat if (p := ref_problem(r, statuses, uids))), None)
    if kind == "link":
        if not (isinstance(inner, list) and len(inner) == 2 and isinstance(inner[0], str)):
            return "link must be [phrase, issue reference]"
        target = inner[1]
        if not (isinstance(target, dict) and set(target) <= {"issue", "deleted_issue"}):
            return "a link must name an issue or a deleted issue"
        return ref_problem(target, statuses, uids)
    if kind == "sprint":  # which sprints the file holds is checked by the caller
        return None if isinstance(inner, str) else "sprint must be text"
    if kind in ("status", "issue") and not isinstance(inner, str):
        return f"{kind} must be text"
    if kind == "status":
        return None if inner in statuses else f"no status {inner!r} in the project"
    if kind == "issue":
        return None if inner in uids else f"no issue with uid {inner!r} in the file"
    if kind in ("deleted_status", "deleted_issue", "deleted_sprint"):
        ok = isinstance(inner, int) and not isinstance(inner, bool) and inner > 0
        return None if ok else f"{kind} must be a positive whole number"
    return f"unknown reference {kind!r}"
