"""The `import` and `export` subcommands: Trello, Jira, CSV and the app's own JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from tracker_gui.cli_format import Output

if TYPE_CHECKING:
    from tracker_gui.services import Services

Command = Callable[..., argparse.ArgumentParser]


def cmd_import(services: Services, args: argparse.Namespace) -> Output:
    from tracker_gui.interchange.commands import run_import, terminal_progress

    out = run_import(
        services,
        args.kind,
        args.file,
        project=args.project,
        dry_run=args.dry_run,
        encoding=args.encoding,
        create_statuses=args.create_statuses,
        rename_projects=args.rename_projects,
        progress=terminal_progress(sys.stderr),
    )
    return Output(out.text, out.data, out.error)


def cmd_export(services: Services, args: argparse.Namespace) -> Output:
    from tracker_gui.errors import ValidationError
    from tracker_gui.interchange.commands import run_export, terminal_progress

    if args.file == "-" and args.format == "json":
        raise ValidationError(
            "format", "`-` sends the exported file itself to standard output: drop --format json"
        )

    out = run_export(
        services,
        args.kind,
        args.file,
        query=args.query,
        columns=args.columns,
        progress=terminal_progress(sys.stderr),
    )
    return Output(out.text, out.data, out.error)


def _columns(text: str) -> list[str]:
    from tracker_gui.interchange.csv_export import COLUMNS

    names = [c.strip().lower() for c in text.split(",") if c.strip()]
    if not names or any(c not in COLUMNS for c in names):
        raise argparse.ArgumentTypeError(f"choose columns from: {', '.join(COLUMNS)}")
    return names


def register(command: Command) -> None:
    """Add both subcommands through the CLI's `command(name, handler, help, ...)` helper."""
    cmd = command(
        "import",
        cmd_import,
        "import from Trello, Jira, a CSV file or a JSON backup",
        create=True,
        description="Import a Trello board (its JSON export), a Jira CSV export, any CSV file "
        "(columns are matched by their names), or a JSON backup made by `export json`. The "
        "whole file is checked first and written in one transaction: a problem anywhere "
        "means nothing is written. A backup's projects must be new here: a new database's "
        "unused project makes way for them, and --rename-projects imports them under free "
        "keys when theirs are taken.",
    )
    cmd.add_argument("kind", choices=("trello", "jira", "csv", "json"))
    cmd.add_argument("file", metavar="FILE")
    cmd.add_argument(
        "--project", metavar="KEY", help="target project (made if new); csv needs it, json not"
    )
    cmd.add_argument(
        "--dry-run", action="store_true", help="check all, print what would be created; no writes"
    )
    cmd.add_argument(
        "--encoding", default="utf-8", metavar="NAME", help="a CSV file's, e.g. cp1252, latin-1"
    )
    cmd.add_argument(
        "--create-statuses", action="store_true", help="add missing statuses instead of refusing"
    )
    cmd.add_argument(
        "--rename-projects",
        action="store_true",
        help="json only: a project whose key is taken here gets the next free one (TRK -> TRK2)",
    )
    cmd = command(
        "export",
        cmd_export,
        "export issues to CSV, or the whole database to JSON",
        description="csv: the issues --query finds, with the --columns chosen. json: everything "
        "(projects, workflow, issues, comments, links, history, attachments) in the format of "
        "docs/json-format.md.",
    )
    cmd.add_argument("kind", choices=("csv", "json"))
    cmd.add_argument("file", metavar="FILE", help="- writes it to standard output")
    cmd.add_argument(
        "--query",
        default="",
        metavar="Q",
        help='csv only: words like project:TRK status:"In Progress" label:ui assignee:none '
        "type:bug priority:high archived:yes, and free text",
    )
    cmd.add_argument(
        "--columns",
        type=_columns,
        default=None,
        metavar="C,C",
        help="csv only; default: key,title,type,status,priority,assignee,reporter,labels,due,"
        "estimate,created,updated",
    )
