"""`tracker-gui report KIND`: a report's numbers as CSV or JSON, or its chart as PNG or SVG.

After `report`, `--format` names the file format (csv|json|png|svg) and replaces the global
text/json choice. CSV and JSON go to stdout, or to `--out FILE` (stdout then says `wrote FILE`);
PNG and SVG need `--out` and are drawn by the composition root (`app.render_report`) with the
Qt chart painter, offscreen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tracker_gui.cli_format import Output, UsageError
from tracker_gui.errors import UserError, ValidationError
from tracker_gui.services import report_text
from tracker_gui.services.report_types import KINDS

if TYPE_CHECKING:
    from tracker_gui.services import Services

Command = Callable[..., argparse.ArgumentParser]
FORMATS = ("csv", "json", "png", "svg")
PICTURES = ("png", "svg")

_DESCRIPTION = """\
Compute a report from the change log. Days are local calendar days of this machine (--tz
overrides). --by chooses a variant: cfd category|status, burndown issues|estimate (hours),
created-resolved day|week (default: day up to 31 days, else week), cycle-time cycle|lead (which
one the chart plots; the CSV has both), time person|issue. Without --from/--to: the 90 days up
to today; a burndown covers its sprint (--sprint, default the active one), days after today
left blank."""


def _day(text: str | None, option: str) -> dt.date | None:
    """A date option, checked here (not by argparse) so a bad one exits 1 with one line."""
    if text is None or not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        message = f"invalid date {text!r} for {option} (use YYYY-MM-DD)"
        raise ValidationError(option, message) from None


def _check_usage(args: argparse.Namespace) -> None:
    """Before the database opens: a picture needs a file (exit 2, as argparse's own errors)."""
    if args.report_format in PICTURES and not args.out:
        raise UsageError(f"--format {args.report_format} writes a picture: give --out FILE")


def cmd_report(services: Services, args: argparse.Namespace) -> Output:
    from tracker_gui.services.reports import ReportRequest, ReportService

    fmt, out = args.report_format, args.out
    request = ReportRequest(
        kind=args.kind,
        project=args.project,
        sprint=args.sprint,
        first=_day(args.first, "--from"),
        last=_day(args.last, "--to"),
        by=args.by or "",
        tz=args.tz,
    )
    report = ReportService(services.database, services.projects.catalog).compute(request)
    if fmt in PICTURES:
        from tracker_gui.app import render_report  # Qt loads only for a picture

        render_report(report, Path(out), fmt, args.theme)
        return Output(f"wrote {out}", {"wrote": out})
    text = report_text.as_csv(report) if fmt == "csv" else report_text.as_json(report)
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
        return Output(f"wrote {out}", {"wrote": out})
    sys.stdout.write(text)
    sys.stdout.flush()
    return Output("", None)


def register(command: Command) -> None:
    cmd = command("report", cmd_report, "a report as CSV, JSON, PNG or SVG",
                  description=_DESCRIPTION)  # fmt: skip
    _drop_shared_format(cmd)
    # format: the global --format json would print the output again, as JSON.
    # reads_only: a one-shot read skips the full-file scan; a team database's reports read the
    # offline copy (cli_sync.READS), as `list` does.
    cmd.set_defaults(format="text", before_open=_check_usage, reads_only=True)
    cmd.add_argument("kind", choices=KINDS, metavar="|".join(KINDS))
    cmd.add_argument("--project", required=True, metavar="KEY")
    cmd.add_argument("--sprint", metavar="NAME", help="burndown: default the active sprint")
    cmd.add_argument("--from", dest="first", metavar="YYYY-MM-DD")
    cmd.add_argument("--to", dest="last", metavar="YYYY-MM-DD")
    cmd.add_argument("--by", metavar="VARIANT", help="see above")
    cmd.add_argument("--format", dest="report_format", choices=FORMATS, required=True,
                     help="csv or json (numbers), png or svg (the chart)")  # fmt: skip
    cmd.add_argument("--out", metavar="FILE", help="write here (needed for png and svg)")
    cmd.add_argument("--theme", choices=("light", "dark"), default="light")
    cmd.add_argument("--tz", metavar="ZONE", help="e.g. Europe/Paris (default: this machine's)")


def _drop_shared_format(cmd: argparse.ArgumentParser) -> None:
    """Take the shared text|json `--format` off this one subcommand, so it can have its own.

    argparse's own conflict handling would edit the shared option object itself (and so
    every other command's); these containers belong to this subparser alone."""
    shared = cmd._option_string_actions.pop("--format")
    cmd._actions.remove(shared)
    for group in cmd._action_groups:
        if shared in group._group_actions:
            group._group_actions.remove(shared)
