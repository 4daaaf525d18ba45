"""Time tracking on the command line: `log`, `worklog`, `edit --remaining`, `--estimate 2d`.

Durations are passed to the service as typed: it reads them on the issue's project calendar
(a day and a week are the project's), so an unreadable one exits 1 with its plain message.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tracker_gui import cli_format
from tracker_gui.cli_format import Output
from tracker_gui.domain import durations
from tracker_gui.domain.durations import WorkCalendar
from tracker_gui.domain.models import Issue
from tracker_gui.domain.worklogs import TimeSpent, WorkLog
from tracker_gui.errors import ValidationError

if TYPE_CHECKING:
    from tracker_gui.services import Services
    from tracker_gui.services.worklogs import WorklogService

Command = Callable[..., argparse.ArgumentParser]
Handler = Callable[["Services", argparse.Namespace], Output]
CLEARS = ("", "none")
IGNORED = frozenset({"help", "db", "format"})  # options every command takes


def _time(services: Services) -> WorklogService:
    from tracker_gui.services.worklogs import WorklogService

    return WorklogService.of(services)


def estimate_arg(text: str) -> float | str | None:
    """`--estimate`: a plain number is hours (as before); a duration (`1h30m`, `2d`) is kept as
    text for the service to read on the project's calendar; "" or none clears it."""
    if text.strip().lower() in CLEARS:
        return None
    try:
        float(text)
    except ValueError:
        return text.strip()
    return cli_format.parse_estimate(text)


def entry_json(entry: WorkLog) -> dict[str, Any]:
    """One log as `worklog --format json` lists it (the issue's contract: these five keys)."""
    return {"id": entry.id, "user": entry.user, "on": entry.on.isoformat(),
            "minutes": entry.minutes, "note": entry.note}  # fmt: skip


def spent_json(spent: TimeSpent | None) -> dict[str, Any]:
    """What `show` and `list --format json` carry about time."""
    return {
        "logged_minutes": spent.logged if spent else 0,
        "remaining_minutes": spent.remaining if spent else None,
    }


def with_time(services: Services, issues: Sequence[Issue], out: Output) -> Output:
    """`show` / `list` output with each issue's logged and remaining minutes: in the JSON
    (one read per 500 issues), and for one issue shown as text, beside its estimate."""
    if not issues or not (isinstance(out.data, list | dict)):
        return out
    items = out.data if isinstance(out.data, list) else [out.data]
    if len(items) != len(issues):  # a text listing carries no JSON
        return out
    time = _time(services)
    spent = time.spent([i.id for i in issues])
    for issue, item in zip(issues, items, strict=True):
        item.update(spent_json(spent.get(issue.id)))
    if isinstance(out.data, dict) and issues[0].id in spent:
        logged, left = spent_text(spent[issues[0].id], time.calendar(issues[0].project_id))
        lines = out.text.split("\n")
        at = next((n for n, t in enumerate(lines) if t.startswith("  Estimate:")), None)
        if at is not None:
            lines[at + 1 : at + 1] = [f"  {'Logged:':<10} {logged}", f"  {'Remaining:':<10} {left}"]
            out.text = "\n".join(lines)
    return out


def spent_text(spent: TimeSpent, calendar: WorkCalendar) -> tuple[str, str]:
    logged = durations.format_minutes(spent.logged, calendar)
    if spent.remaining is None:
        return logged, "-"
    left = durations.format_minutes(spent.remaining, calendar)
    return logged, left + ("" if spent.remaining_set else " (estimate minus logged)")


def _left(spent: TimeSpent, calendar: WorkCalendar) -> str:
    shown = spent_text(spent, calendar)[1]
    return "unknown (no estimate)" if shown == "-" else shown


# -- log, worklog ------------------------------------------------------------------------------
def cmd_log(services: Services, args: argparse.Namespace) -> Output:
    time = _time(services)
    issue = services.issues.by_key(args.key)
    entry = time.log(issue.id, args.duration, on=args.on, note=args.note)
    calendar = time.calendar(issue.project_id)
    logged, left = spent_text(time.spent_on(issue.id), calendar)
    text = (
        f"logged {durations.format_minutes(entry.minutes, calendar)} on {issue.key}"
        f" ({entry.on.isoformat()}); in all {logged}, remaining {left}"
    )
    return Output(text, {"issue": issue.key, **entry_json(entry)})


def cmd_worklog(services: Services, args: argparse.Namespace) -> Output:
    time = _time(services)
    issue = services.issues.by_key(args.key)
    calendar = time.calendar(issue.project_id)
    if args.remove is not None:
        wanted = args.remove.strip()
        if not wanted.isdigit():
            raise ValidationError("remove", f"{wanted!r} is not a work log id (see `worklog KEY`)")
        gone = time.remove(int(wanted), issue.id)
        shown = durations.format_minutes(gone.minutes, calendar)
        text = f"removed work log {gone.id} ({shown} by {gone.user}) from {issue.key}"
        return Output(text, {"issue": issue.key, "removed": entry_json(gone)})
    entries = time.entries(issue.id)
    rows = [
        (str(e.id), e.on.isoformat(), cli_format.line(e.user),
         durations.format_minutes(e.minutes, calendar), cli_format.line(e.note))
        for e in entries
    ]  # fmt: skip
    if not entries:
        return Output(f"no time logged on {issue.key}", [])
    logged, left = spent_text(time.spent_on(issue.id), calendar)
    text = cli_format.table(("ID", "DAY", "USER", "TIME", "NOTE"), rows)
    return Output(f"{text}\nlogged {logged}, remaining {left}", [entry_json(e) for e in entries])


# -- add --estimate, edit --estimate / --remaining -------------------------------------------
def _timed_add(inner: Handler) -> Handler:
    def handler(services: Services, args: argparse.Namespace) -> Output:
        if isinstance(args.estimate, str):
            args.estimate = _time(services).estimate_hours(args.project, args.estimate)
        return inner(services, args)

    return handler


def _timed_edit(inner: Handler, parser: argparse.ArgumentParser) -> Handler:
    def handler(services: Services, args: argparse.Namespace) -> Output:
        given = vars(args)
        if not isinstance(given.get("estimate"), str) and "remaining" not in given:
            return inner(services, args)
        time = _time(services)
        issue = services.issues.by_key(args.key)
        if isinstance(given.get("estimate"), str):
            args.estimate = time.estimate_hours(issue.project_key, args.estimate)
        if "remaining" not in given:
            return inner(services, args)
        raw = str(given.pop("remaining"))
        # Read and checked before any write: bad text leaves the issue as it was.
        minutes = None
        if raw.strip().lower() not in CLEARS:
            minutes = time.minutes(issue.project_id, raw, what="remaining",
                                   limit=durations.REMAINING_MAX, allow_zero=True)  # fmt: skip
        time.writable("setting the remaining time")
        # The edit's other options (SUPPRESS defaults: present means given), whoever added them.
        options = {a.dest for a in parser._actions if a.option_strings} - {"remaining"}
        out = inner(services, args) if options & set(given) - IGNORED else None
        spent = time.set_remaining(issue.id, minutes)
        calendar = time.calendar(issue.project_id)
        what = (
            f"remaining time set to {durations.format_minutes(minutes, calendar)}"
            if minutes is not None
            else f"remaining time cleared: {_left(spent, calendar)}"
        )
        after = services.issues.get(issue.id)
        before = out.text if out is not None and not out.text.endswith(": no change") else ""
        text = f"{before}; {what}" if before else f"{after.key}: {what}"
        data = cli_format.issue_output(services, after, text).data
        data.update(spent_json(spent))
        return Output(text, data)

    return handler


def register(command: Command, parsers: Mapping[str, argparse.ArgumentParser]) -> None:
    """Add `log` and `worklog`, `edit --remaining`, and durations for add/edit `--estimate`."""
    cmd = command("log", cmd_log, "log time spent on an issue",
                  description="Log time spent on an issue. DURATION is [Nw][Nd][Nh][Nm] without "
                  "spaces, e.g. 1h30m, 45m, 2d or 1w; a day and a week are the project's work "
                  "day and week (8 h and 5 days unless set). A bare number is refused: add a "
                  "unit.")  # fmt: skip
    cmd.add_argument("key")
    cmd.add_argument("duration", metavar="DURATION", help="e.g. 1h30m, 45m, 2d, 1w")
    # `log TRK-1 -1h` reaches the service (which says why a negative time is refused) rather
    # than reading as an unknown option: argparse's own test for "a negative number here".
    cmd._negative_number_matcher = re.compile(r"^-\d[\dwdhm.]*$")
    cmd.add_argument("--on", type=cli_format.parse_date, metavar="YYYY-MM-DD",
                     help="the day worked (default today)")  # fmt: skip
    cmd.add_argument("--note", default="", metavar="TEXT")
    cmd = command("worklog", cmd_worklog, "list an issue's work logs, or remove one")
    cmd.add_argument("key")
    cmd.add_argument("--remove", metavar="ID", help="remove the work log with this id")
    edit = parsers["edit"]
    edit.add_argument("--remaining", default=argparse.SUPPRESS, metavar="DURATION",
                      help='time left, e.g. 3h or 1d; "" clears it (then the estimate minus '
                      "the time logged)")  # fmt: skip
    edit.set_defaults(handler=_timed_edit(edit.get_default("handler"), edit))
    add = parsers["add"]
    add.set_defaults(handler=_timed_add(add.get_default("handler")))
