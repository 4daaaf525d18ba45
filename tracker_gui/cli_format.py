"""How the command line reads values and prints issues, tables, history and reports."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from tracker_gui.domain import link_history, sprints
from tracker_gui.domain.durations import hours_minutes as hm
from tracker_gui.domain.enums import IssueType, LinkKind, Priority, parse_enum
from tracker_gui.domain.history import CREATED, DELETED
from tracker_gui.domain.models import Change, Issue, IssueDetail, Status
from tracker_gui.domain.people import People
from tracker_gui.errors import NotFoundError
from tracker_gui.services.link_keys import link_keys

if TYPE_CHECKING:
    from tracker_gui.services import Services

PROG = "tracker-gui"

# -- text that reaches a terminal --------------------------------------------------------------
# Stored text is anyone's (an import, another user): printed raw, ESC [ ... would recolour or
# rewrite the terminal, and the bidi overrides would show a title in a different order than
# it is stored. Every C0 and C1 control, DEL and those bidi controls are shown as escapes.
_LINE_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BLOCK_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}  # as Python's repr writes them


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def line(text: str) -> str:
    """A single-line field (title, name, label) for a terminal: every control escaped,
    tab and newline too (`\\x1b`, `\\t`, `\\u202e`)."""
    return _LINE_UNSAFE.sub(_escape, text)


def block(text: str) -> str:
    """A multi-line field (description, comment) or a whole text output: as `line`, but tab
    and newline are kept."""
    return _BLOCK_UNSAFE.sub(_escape, text)


class UsageError(Exception):
    """A bad combination of arguments that argparse cannot see; exits 2 like argparse."""


@dataclass
class Output:
    """What a subcommand prints: `text`, or `data` as JSON; `error` fails it after printing.

    `text` goes to a terminal, so it is made safe here, once for every command (`block`);
    fields that must stay on one line are escaped with `line` where they are formatted.
    `data` is left alone: JSON escapes what it must itself.
    """

    text: str
    data: Any
    error: str | None = None

    def __post_init__(self) -> None:
        self.text = block(self.text)


class StatusNames:
    """Status lookups built once per project: a list of 100,000 issues asks 100,000 times."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._known: dict[int, dict[int, Status]] = {}

    def table(self, project_id: int) -> dict[int, Status]:
        found = self._known.get(project_id)
        if found is None:
            statuses = self._services.projects.statuses(project_id)
            found = self._known[project_id] = {s.id: s for s in statuses}
        return found

    def of(self, issue: Issue) -> Status | None:
        return self.table(issue.project_id).get(issue.status_id)

    def name(self, issue: Issue) -> str:
        status = self.of(issue)
        return status.name if status else "?"


# -- reading values: a bad one is a usage error (exit 2) that names the option -------------
def parse_date(text: str) -> dt.date | None:
    if text.strip().lower() in ("", "none"):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r} (use YYYY-MM-DD)") from None


def parse_priority(text: str) -> Priority:
    try:
        return Priority.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def enum_type(cls: type[IssueType] | type[LinkKind], what: str) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            return parse_enum(cls, text, what)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = what
    return parse


def parse_estimate(text: str) -> float | None:
    if text.strip().lower() in ("", "none"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid estimate {text!r} (hours, e.g. 1.5)") from None
    if not 0 <= value <= 100_000:
        raise argparse.ArgumentTypeError("the estimate must be between 0 and 100000 hours")
    return value


def parse_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the number must not be negative")
    return value


# -- plain values ---------------------------------------------------------------------------
def iso(value: dt.datetime | dt.date | None) -> str | None:
    """Dates as YYYY-MM-DD; times (stored as naive UTC) as ISO 8601 with the UTC offset."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        # Appending the offset is 3x faster than replace(tzinfo=UTC): lists print 100,000.
        return value.isoformat(timespec="seconds") + "+00:00"
    return value.isoformat()


def local(value: dt.datetime | None) -> str:
    """A stored UTC time in the user's time zone, to the minute."""
    if value is None:
        return "-"
    return value.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _shorten(text: str | None, width: int = 60) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def _indent(text: str, by: int = 2) -> list[str]:
    """A multi-line field, indented; lines end only at a newline (CRLF counts as one):
    splitlines() would also break at a lone CR or form feed, which `block` shows instead."""
    shown = block(text.replace("\r\n", "\n")).removesuffix("\n")
    return [(" " * by + row).rstrip() for row in shown.split("\n")] if shown else []


# -- writing --------------------------------------------------------------------------------
# Stored times are naive UTC: orjson writes them as ISO 8601 with "+00:00", to the second.
_JSON_OPTIONS = orjson.OPT_NAIVE_UTC | orjson.OPT_OMIT_MICROSECONDS | orjson.OPT_NON_STR_KEYS


def dump(data: Any) -> str:
    """JSON for people and scripts; a list of objects gets one object per line.

    orjson encodes a 100,000-issue list ~10x faster than json. The list is encoded in one
    call, then split between objects: `},{"` never occurs inside an encoded string.
    """
    if isinstance(data, list) and data and all(isinstance(d, dict) for d in data):
        text = orjson.dumps(data, option=_JSON_OPTIONS).decode("utf-8")
        return "[\n  " + text[1:-1].replace('},{"', '},\n  {"') + "\n]"
    return orjson.dumps(data, option=_JSON_OPTIONS | orjson.OPT_INDENT_2).decode("utf-8")


def write(text: str) -> None:
    try:
        sys.stdout.write(text + "\n")
    except UnicodeEncodeError:  # a console code page without some character: never crash
        encoding = sys.stdout.encoding or "ascii"
        sys.stdout.write(text.encode(encoding, "replace").decode(encoding) + "\n")
    sys.stdout.flush()


def fail(message: str, command: str | None = None) -> None:
    """The one line on stderr that explains a failure, whatever the message holds."""
    where = f"{PROG} {command}" if command else PROG
    sys.stderr.write(f"{where}: error: {line(' '.join(str(message).split()))}\n")


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Columns padded to their widest cell; the last column is never padded."""
    body = [list(headers), *[list(r) for r in rows]]
    widths = [max(len(r[i]) for r in body) for i in range(len(headers) - 1)]
    lines = []
    for row in body:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)] + row[len(widths) :]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


# -- issues ---------------------------------------------------------------------------------


def issue_json(issue: Issue, status: Status | None, parent_key: str | None) -> dict[str, Any]:
    return {
        "key": issue.key,
        "id": issue.id,
        "uid": issue.uid,
        "project": issue.project_key,
        "number": issue.number,
        "type": str(issue.type),
        "title": issue.title,
        "description": issue.description,
        "status": status.name if status else None,
        "status_category": str(status.category) if status else None,
        "priority": issue.priority.label,
        "assignee": issue.assignee,
        "reporter": issue.reporter,
        "labels": list(issue.labels),
        "parent": parent_key,
        "due": issue.due,
        "estimate": issue.estimate,
        "created_at": issue.created_at,  # dump() writes these as ISO 8601 UTC
        "updated_at": issue.updated_at,
        "resolved_at": issue.resolved_at,
        "version": issue.version,
        "archived": issue.archived,
    }


def issue_output(services: Services, issue: Issue, text: str) -> Output:
    """One issue after a change: `text` for people, the whole issue as JSON."""
    parent = services.issues.get(issue.parent_id).key if issue.parent_id else None
    return Output(text, issue_json(issue, StatusNames(services).of(issue), parent))


def parent_keys(services: Services, issues: Sequence[Issue]) -> dict[int, str]:
    """Keys of the issues' parents (those not in the list itself are read in one go)."""
    keys = {i.id: i.key for i in issues}
    missing = {i.parent_id for i in issues if i.parent_id and i.parent_id not in keys}
    keys.update(services.issues.keys_for(missing))
    return keys


def issue_list(services: Services, issues: Sequence[Issue], as_json: bool) -> Output:
    names = StatusNames(services)
    if as_json:
        parents = parent_keys(services, issues)
        data = [issue_json(i, names.of(i), parents.get(i.parent_id or 0)) for i in issues]
        return Output("", data)
    rows = [
        (i.key, line(names.name(i)), i.priority.label, line(i.assignee or "-"), line(i.title))
        for i in issues
    ]
    text = table(("KEY", "STATUS", "PRIORITY", "ASSIGNEE", "TITLE"), rows)
    return Output(text if issues else "no issues match", [])


# -- show -----------------------------------------------------------------------------------
def describe_change(
    change: Change,
    status_name: Callable[[str | None], str],
    issue_key: Callable[[str | None], str],
    link_key: Callable[[int], str | None] = lambda _: None,
) -> str:
    """One history entry as a phrase; status and parent ids become names and keys.

    `link_key` reads a linked issue's key through the reader's rights (None: not readable).
    """
    old, new = change.old, change.new
    phrases = {
        "status": lambda: f"status: {status_name(old)} -> {status_name(new)}",
        "parent": lambda: f"parent: {issue_key(old)} -> {issue_key(new)}",
        "description": lambda: "edited the description",
        "rank": lambda: "changed the board order",
        "archived": lambda: "archived the issue" if new == "true" else "restored the issue",
        "comment": lambda: f"commented: {_shorten(new)}",
        "comment.edited": lambda: "edited a comment",
        "comment.deleted": lambda: "deleted a comment",
        "link": lambda: f"linked: {link_history.render(new, link_key)}",
        "unlink": lambda: f"removed the link: {link_history.render(old, link_key)}",
        "watch": lambda: "started watching" if new == change.actor else f"added watcher {new}",
        "unwatch": lambda: "stopped watching" if new == change.actor else f"removed {new}",
        "attachment": lambda: f"attached {new}",
        "logged": lambda: f"logged {hm(new)}" if new else f"removed a work log of {hm(old)}",
        "remaining": lambda: f"remaining time: {hm(old) or 'none'} -> {hm(new) or 'none'}",
        CREATED: lambda: "created the issue",
        DELETED: lambda: "deleted the issue",
    }
    phrase = phrases.get(change.field)
    if phrase is not None:
        return phrase()
    return f"{change.field}: {_shorten(old, 50) or 'none'} -> {_shorten(new, 50) or 'none'}"


def history_lines(
    services: Services, detail: IssueDetail, names: StatusNames
) -> list[tuple[Change, str]]:
    statuses = {str(s.id): s.name for s in names.table(detail.issue.project_id).values()}
    keys: dict[str, str] = {}

    def status_name(value: str | None) -> str:
        return "none" if value is None else statuses.get(value, f"#{value}")

    def issue_key(value: str | None) -> str:
        if value is None:
            return "none"
        if value not in keys:
            try:
                keys[value] = services.issues.get(int(value)).key
            except (NotFoundError, ValueError):
                keys[value] = f"#{value}"
        return keys[value]

    # One read for every issue the link rows name; what row-level security hides stays out.
    linked = link_keys(services, link_history.other_ids(detail.history))
    said = [(c, describe_change(c, status_name, issue_key, linked.get)) for c in detail.history]
    named = {str(s.id): s.name for s in services.sprints.sprints(detail.issue.project_key)}
    return [(c, sprints.moved(c.old, c.new, named) if c.field == "sprint" else t) for c, t in said]


def detail_output(services: Services, detail: IssueDetail) -> Output:
    names = StatusNames(services)
    lines = history_lines(services, detail, names)
    who = People(services.projects.users())  # people shown as "Alice Smith (alice)"; JSON: logins
    return Output(_detail_text(detail, names, lines, who), _detail_json(detail, names, lines))


def _detail_text(
    detail: IssueDetail,
    names: StatusNames,
    history: Sequence[tuple[Change, str]],
    who: People,
) -> str:
    issue = detail.issue
    status = names.of(issue)
    fields = [
        ("Type", issue.type.label),
        ("Status", f"{line(status.name)} ({status.category.label})" if status else "?"),
        ("Priority", issue.priority.label),
        ("Assignee", line(who.shown(issue.assignee) or "-")),
        ("Reporter", line(who.shown(issue.reporter))),
        ("Labels", line(", ".join(issue.labels)) or "-"),
        ("Parent", detail.parent_key or "-"),
        ("Due", iso(issue.due) or "-"),
        ("Estimate", f"{issue.estimate:g} h" if issue.estimate is not None else "-"),
        ("Watchers", line(", ".join(who.shown(w) for w in detail.watchers)) or "-"),
        ("Created", local(issue.created_at)),
        ("Updated", local(issue.updated_at)),
        ("Resolved", local(issue.resolved_at)),
        ("Version", str(issue.version)),
    ]
    if issue.archived:
        fields.append(("Archived", "yes"))
    out = [f"{issue.key}  {line(issue.title)}", ""]
    out += [f"  {name + ':':<10} {value}" for name, value in fields]
    if issue.description.strip():
        out += ["", "Description:", *_indent(issue.description)]
    if detail.children:
        out += ["", "Subtasks:"]
        out += [f"  {c.key}  [{line(names.name(c))}]  {line(c.title)}" for c in detail.children]
    if detail.links:
        out += ["", "Links:"]
        out += [
            f"  {link.phrase} {link.other_key}  {line(link.other_title)}" for link in detail.links
        ]
    if detail.attachments:
        out += ["", "Attachments:"]
        out += [f"  {line(a.name)}  ({a.size:,} bytes)" for a in detail.attachments]
    if detail.comments:
        out += ["", "Comments:"]
        for c in detail.comments:
            edited = " (edited)" if c.edited_at else ""
            author = line(who.shown(c.author))
            out += [f"  {author}, {local(c.created_at)}{edited}:", *_indent(c.body, 4)]
    if history:
        out += ["", "History:"]
        out += [f"  {local(c.at)}  {line(c.actor)}  {line(text)}" for c, text in history]
    return "\n".join(out)


def _detail_json(
    detail: IssueDetail, names: StatusNames, history: Sequence[tuple[Change, str]]
) -> dict[str, Any]:
    issue = detail.issue
    data = issue_json(issue, names.of(issue), detail.parent_key)
    data["watchers"] = list(detail.watchers)
    data["children"] = [
        {"key": c.key, "title": c.title, "status": names.name(c)} for c in detail.children
    ]
    data["links"] = [
        {"kind": link.kind.value, "phrase": link.phrase, "key": link.other_key,
         "title": link.other_title}
        for link in detail.links
    ]  # fmt: skip
    data["comments"] = [
        {"id": c.id, "author": c.author, "body": c.body, "created_at": iso(c.created_at),
         "edited_at": iso(c.edited_at)}
        for c in detail.comments
    ]  # fmt: skip
    data["attachments"] = [
        {"name": a.name, "size": a.size, "sha256": a.sha256, "created_at": iso(a.created_at)}
        for a in detail.attachments
    ]
    data["history"] = [
        {"id": c.id, "at": iso(c.at), "actor": c.actor, "field": c.field, "old": c.old,
         "new": c.new, "text": text}
        for c, text in history
    ]  # fmt: skip
    return data


# -- reports of the other commands ------------------------------------------------------------
