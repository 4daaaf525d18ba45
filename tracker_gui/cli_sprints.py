"""Sprint subcommands (`sprint add|list|start|close`), `bulk --sprint`, `--sprint` of add/edit."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from tracker_gui import cli_format
from tracker_gui.cli_format import Output
from tracker_gui.domain.models import Issue, IssueFilter, NewIssue
from tracker_gui.domain.query import QueryError
from tracker_gui.domain.sprints import Sprint
from tracker_gui.errors import ValidationError

if TYPE_CHECKING:
    from tracker_gui.services import Services

Command = Callable[..., argparse.ArgumentParser]
SPRINT_HELP = 'the sprint\'s name, any case; "" puts it back in the backlog'


def sprint_json(sprint: Sprint) -> dict[str, Any]:
    return {
        "name": sprint.name,
        "state": sprint.state.value,
        "start": sprint.start,
        "end": sprint.end,
        "goal": sprint.goal,
        "issues": sprint.issues,
        "scope_start": sprint.scope_start,
        "scope_close": sprint.scope_close,
        "done_close": sprint.done_close,
        "started_at": sprint.started_at,
        "closed_at": sprint.closed_at,
    }


def _line(sprint: Sprint) -> tuple[str, ...]:
    figures = {
        "planned": "-",
        "active": f"started with {sprint.scope_start}",
        "closed": f"{sprint.done_close} of {sprint.scope_close} done",
    }[sprint.state.value]
    return (
        cli_format.line(sprint.name),
        sprint.state.value,
        f"{sprint.start} .. {sprint.end}",
        str(sprint.issues),
        figures,
    )


def _add(services: Services, args: argparse.Namespace) -> Output:
    made = services.sprints.add(args.project, args.name, args.start, args.end, args.goal)
    key = services.sprints.project(args.project).key
    return Output(f"added sprint {cli_format.line(made.name)} to {key}", sprint_json(made))


def _list(services: Services, args: argparse.Namespace) -> Output:
    found = services.sprints.sprints(args.project)
    text = cli_format.table(("SPRINT", "STATE", "DAYS", "ISSUES", "SCOPE"), map(_line, found))
    return Output(text if found else "no sprints yet", [sprint_json(s) for s in found])


def _start(services: Services, args: argparse.Namespace) -> Output:
    started = services.sprints.start(args.project, args.name)
    text = f"started sprint {cli_format.line(started.name)} with {started.scope_start} issues"
    return Output(text, sprint_json(started))


def _close(services: Services, args: argparse.Namespace) -> Output:
    closed = services.sprints.close(args.project, args.name, args.carry_to)
    s = closed.sprint
    where = cli_format.line(closed.carried_to) if closed.carried_to else "the backlog"
    text = (
        f"closed sprint {cli_format.line(s.name)}: {s.done_close} of {s.scope_close} done;"
        f" {len(closed.moved)} unfinished moved to {where}"
    )
    data = sprint_json(s) | {"moved": list(closed.moved), "carried_to": closed.carried_to}
    return Output(text, data)


_ACTIONS = {"add": _add, "list": _list, "start": _start, "close": _close}


def _dispatch(services: Services, args: argparse.Namespace) -> Output:
    return _ACTIONS[args.sprint_action](services, args)


def cmd_bulk(services: Services, args: argparse.Namespace) -> Output:
    """Issues matched by the query, changed together: one transaction, all or none."""
    if "sprint" not in vars(args):
        raise ValidationError("bulk", "nothing to change: give --sprint NAME")
    try:
        issues = services.issues.search(IssueFilter(query=args.query), sort="key")
    except QueryError as exc:
        raise ValidationError("query", f"--query {exc}") from None
    wanted = args.sprint.strip().casefold() or None
    now = services.sprints.names_of([i.id for i in issues])
    changing = [i for i in issues if (now.get(i.id) or "").casefold() != (wanted or "")]
    if not args.yes:
        raise ValidationError(
            "yes", f"this would change {len(changing)} issues: add --yes to confirm"
        )
    services.sprints.set_sprint([i.id for i in changing], args.sprint)
    keys = [i.key for i in changing]
    return Output(f"changed {len(keys)} issues", {"changed": len(keys), "keys": keys})


def _action(actions: Any, name: str, text: str) -> argparse.ArgumentParser:
    cmd: argparse.ArgumentParser = actions.add_parser(name, help=text, description=text)
    # The global options, after the action too (SUPPRESS keeps the global value).
    cmd.add_argument("--db", metavar="TARGET", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    cmd.add_argument("--format", choices=("text", "json"), default=argparse.SUPPRESS,
                     help="print text (default) or JSON")  # fmt: skip
    cmd.add_argument("--project", required=True, metavar="KEY")
    return cmd


def register(command: Command, sub: Any) -> None:
    """`sprint ...` and `bulk` through the CLI's `command(...)`; `--sprint` on the `add` and
    `edit` parsers already in `sub` (the CLI's subcommands)."""
    cmd = command(
        "sprint", _dispatch, "plan, start and close sprints",
        description="Sprints of a project: plan them (add), start one (at most one is active) "
        "and close it, carrying its unfinished issues to another sprint or the backlog. On a "
        "shared PostgreSQL database this needs the project's admin role.",
    )  # fmt: skip
    actions = cmd.add_subparsers(dest="sprint_action", metavar="ACTION", required=True)
    add = _action(actions, "add", "plan a sprint (both days count)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--start", required=True, metavar="YYYY-MM-DD")
    add.add_argument("--end", required=True, metavar="YYYY-MM-DD")
    add.add_argument("--goal", default="", metavar="TEXT")
    _action(actions, "list", "list a project's sprints")
    start = _action(actions, "start", "start a planned sprint with the issues in it")
    start.add_argument("name", metavar="NAME")
    close = _action(actions, "close", "close the active sprint")
    close.add_argument("name", metavar="NAME")
    close.add_argument(
        "--carry-to", metavar="NAME", default=None,
        help="a planned sprint for its unfinished issues (default: the backlog)",
    )  # fmt: skip
    bulk = command("bulk", cmd_bulk, "change every issue a query matches (one transaction)")
    bulk.add_argument("--query", required=True, metavar="Q", help="the query language")
    bulk.add_argument("--sprint", default=argparse.SUPPRESS, metavar="NAME", help=SPRINT_HELP)
    bulk.add_argument("--yes", action="store_true", help="confirm")
    sub.choices["add"].add_argument("--sprint", default="", metavar="NAME", help="plan it there")
    sub.choices["edit"].add_argument(
        "--sprint", default=argparse.SUPPRESS, metavar="NAME", help=SPRINT_HELP
    )


# -- hooks of `add` and `edit` ------------------------------------------------------------
def create(services: Services, new: NewIssue, args: argparse.Namespace) -> Issue:
    """`add`, straight into `--sprint` when given (one transaction)."""
    name = getattr(args, "sprint", "") or ""
    if not name.strip():
        return services.issues.create(new)
    return services.sprints.create_in(services.issues, new, name)


def edit(
    services: Services, issue: Issue, changes: Mapping[str, Any], given: Mapping[str, Any]
) -> tuple[Issue, list[str]]:
    """`edit`: the fields, then `--sprint`, in one transaction; the sprint's word if it moved."""
    if "sprint" not in given:
        return services.issues.edit(issue.id, issue.version, changes), []
    with services.database.transaction():
        after = services.issues.edit(issue.id, issue.version, changes) if changes else issue
        before = services.sprints.names_of([issue.id]).get(issue.id)
        services.sprints.set_sprint([issue.id], given["sprint"])
        now = services.sprints.names_of([issue.id]).get(issue.id)
        after = services.issues.get(issue.id)
    return after, ["sprint"] if before != now else []


def tagged(services: Services, out: Output) -> Output:
    """Issue JSON (`show`, `list`, and what add/edit/move print) names each issue's sprint."""

    def is_issue(item: Any) -> bool:
        return isinstance(item, dict) and {"id", "uid", "key"} <= item.keys()

    data = out.data
    issues = [data] if is_issue(data) else [d for d in data if is_issue(d)] if isinstance(
        data, list) else []  # fmt: skip
    if issues:
        names = services.sprints.names_of([int(d["id"]) for d in issues])
        for item in issues:
            item["sprint"] = names.get(int(item["id"]))
    if is_issue(data):
        out.text = _with_sprint_line(out.text, data["sprint"])
    return out


def _with_sprint_line(text: str, name: str | None) -> str:
    """`show`'s field block gains `Sprint:` beside the other planning fields (before `Due:`);
    the one-line outputs of add/edit/move have no such block and stay as they are."""
    lines = text.split("\n")
    at = next((n for n, t in enumerate(lines) if t.startswith("  Due:")), None)
    if at is None:
        return text
    lines.insert(at, f"  {'Sprint:':<10} {cli_format.line(name) if name else '-'}")
    return "\n".join(lines)
