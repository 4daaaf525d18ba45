"""The `tracker-gui` command: opens the window, or runs one subcommand without it."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker_gui import (
    __version__,
    cli_admin,
    cli_backup,
    cli_format,
    cli_interchange,
    cli_outputs,
    cli_projects,
    cli_reports,
    cli_sprints,
    cli_sync,
    cli_time,
    log,
    paths,
)
from tracker_gui.cli_format import Output, UsageError
from tracker_gui.cli_lookup import status_ids as _status_ids
from tracker_gui.domain import history
from tracker_gui.domain.enums import IssueType, LinkKind, Priority
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.domain.query import QueryError
from tracker_gui.errors import TrackerError, ValidationError

if TYPE_CHECKING:
    from tracker_gui.services import Services

logger = logging.getLogger(__name__)
PROG = cli_format.PROG
SORTS = ("key", "-key", "rank", "status", "priority", "-priority", "updated", "-updated",
         "created", "-created", "title", "-title", "due")  # fmt: skip
READS_ONLY = frozenset({"list", "show", "projects", "statuses"})
# Bulk work that may take minutes on PostgreSQL (Database.long_running); the rest gets seconds.
LONG_RUNNING = frozenset({"import", "export", "admin", "demo", "check"})
EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def _text(value: str) -> str:
    """`-` reads the text from standard input (for Markdown longer than one line)."""
    return sys.stdin.read() if value == "-" else value


# -- subcommands ----------------------------------------------------------------------------
def cmd_demo(services: Services, args: argparse.Namespace) -> Output:
    from tracker_gui.services.demo import fill_demo

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\r{done:,} / {total:,} issues")
        sys.stderr.flush()

    show = progress if sys.stderr.isatty() and args.issues >= 5000 else None
    report = fill_demo(services, args.issues, args.seed, args.project, show)
    if show is not None:
        sys.stderr.write("\n")
    return cli_outputs.demo_output(report)


def cmd_add(services: Services, args: argparse.Namespace) -> Output:
    new = NewIssue(
        project_key=args.project,
        title=args.title,
        type=args.type or IssueType.TASK,
        priority=args.priority or Priority.MEDIUM,
        status=args.status,
        assignee=args.assignee or None,
        description=_text(args.description or ""),
        labels=tuple(args.label),
        parent_key=args.parent,
        due=args.due,
        estimate=args.estimate,
    )
    issue = cli_sprints.create(services, new, args)  # --sprint
    return cli_format.issue_output(services, issue, issue.key)


def cmd_move(services: Services, args: argparse.Namespace) -> Output:
    issue = services.issues.by_key(args.key)
    names = cli_format.StatusNames(services)
    after = services.issues.transition(issue.id, issue.version, args.status)
    old, new = names.name(issue), names.name(after)
    text = f"{after.key}: {old} -> {new}" if old != new else f"{after.key} is already in {new}"
    return cli_format.issue_output(services, after, text)


_EDITS = ("title", "description", "type", "priority", "assignee", "due", "estimate", "parent")


def cmd_edit(services: Services, args: argparse.Namespace) -> Output:
    given = vars(args)  # edit's options default to SUPPRESS: present means given
    changes: dict[str, Any] = {name: given[name] for name in _EDITS if name in given}
    if "description" in changes:
        changes["description"] = _text(changes["description"])
    for name in ("assignee", "parent"):
        if name in changes and changes[name].strip().lower() in ("", "none"):
            changes[name] = None
    if "label" in given and "no_labels" in given:
        raise UsageError("give --label or --no-labels, not both")
    if "label" in given or "no_labels" in given:
        changes["labels"] = given.get("label", [])
    if not changes and "sprint" not in given:
        raise UsageError("nothing to change: give at least one option such as --title")
    issue = services.issues.by_key(args.key)
    after, moved = cli_sprints.edit(services, issue, changes, given)  # --sprint too
    old, new = history.state_of(issue), history.state_of(after)
    changed = [f for f in history.STATE_FIELDS if old[f] != new[f]] + moved
    text = f"{after.key}: changed {', '.join(changed)}" if changed else f"{after.key}: no change"
    return cli_format.issue_output(services, after, text)


def cmd_comment(services: Services, args: argparse.Namespace) -> Output:
    issue = services.issues.by_key(args.key)
    comment = services.issues.comment(issue.id, _text(args.text))
    data = {"issue": issue.key, "id": comment.id, "author": comment.author,
            "body": comment.body, "created_at": cli_format.iso(comment.created_at)}  # fmt: skip
    return Output(f"commented on {issue.key}", data)


def cmd_link(services: Services, args: argparse.Namespace) -> Output:
    issue = services.issues.by_key(args.key)
    services.issues.link(issue.id, args.kind, args.other)
    other = services.issues.by_key(args.other)
    phrase = "relates to" if args.kind == LinkKind.RELATES else args.kind.value
    data = {"source": issue.key, "kind": args.kind.value, "target": other.key}
    return Output(f"{issue.key} {phrase} {other.key}", data)


def cmd_watch(services: Services, args: argparse.Namespace) -> Output:
    issue = services.issues.by_key(args.key)
    who = args.user or services.actor
    services.issues.watch(issue.id, who, on=not args.stop)
    watchers = list(services.issues.detail(issue.id).watchers)
    verb = "no longer watches" if args.stop else "watches"
    return Output(f"{who} {verb} {issue.key}", {"key": issue.key, "watchers": watchers})


def cmd_archive(services: Services, args: argparse.Namespace) -> Output:
    issue = services.issues.by_key(args.key)
    after = services.issues.archive(issue.id, issue.version, archived=not args.restore)
    verb = "restored" if args.restore else "archived"
    same = after.version == issue.version
    text = f"{after.key} was already {verb}" if same else f"{verb} {after.key}"
    return cli_format.issue_output(services, after, text)


def cmd_delete(services: Services, args: argparse.Namespace) -> Output:
    issue = services.issues.by_key(args.key)
    if not args.yes:
        raise ValidationError(
            "yes", f"deleting {issue.key} ({issue.title!r}) cannot be undone: add --yes to confirm"
        )
    services.issues.delete(issue.id, issue.version)
    return Output(f"deleted {issue.key}", {"deleted": issue.key})


def cmd_show(services: Services, args: argparse.Namespace) -> Output:
    issue = services.issues.by_key(args.key)
    out = cli_format.detail_output(services, services.issues.detail(issue.id))
    return cli_time.with_time(services, [issue], out)


def cmd_list(services: Services, args: argparse.Namespace) -> Output:
    if args.project:
        projects = [services.projects.project(key) for key in args.project]
    else:
        projects = services.projects.projects(include_archived=True)
    flt = IssueFilter(
        project_ids=tuple(p.id for p in projects) if args.project else (),
        # Status ids, not names: an indexed lookup, not a name comparison for every issue.
        status_ids=tuple(_status_ids(services, projects, args.status)) if args.status else (),
        assignees=tuple(args.assignee),
        unassigned=args.unassigned,
        labels=tuple(args.label),
        types=tuple(args.type),
        priorities=tuple(args.priority),
        text=args.text or "",
        include_archived=args.include_archived,
        query=args.query or "",
    )
    as_json = args.format == "json"
    try:
        # Without --sort the query decides: its sort: term, else best match first.
        issues = services.issues.search(
            flt, sort=args.sort, limit=args.limit, with_description=as_json
        )
    except QueryError as exc:
        raise ValidationError("query", f"--query {exc}") from None
    return cli_time.with_time(services, issues, cli_format.issue_list(services, issues, as_json))


def cmd_projects(services: Services, args: argparse.Namespace) -> Output:
    return cli_outputs.projects_output(services, services.projects.projects(args.all))


def cmd_statuses(services: Services, args: argparse.Namespace) -> Output:
    return cli_outputs.statuses_output(services, services.projects.project(args.project))


def cmd_check(services: Services, args: argparse.Namespace) -> Output:
    problems = services.database.integrity_problems()
    return cli_outputs.check_output(services.database.label, problems)


# -- the parser -------------------------------------------------------------------------------
_EPILOG = """\
Without a command the window opens. Examples:
  tracker-gui init
  tracker-gui add --project TRK --title "Crash on export" --type bug --priority high
  tracker-gui move TRK-1 "In Progress"
  tracker-gui list --status "In Progress" --format json
  tracker-gui list --query 'assignee:me is:open "login crash" sort:-updated'
The database is --db, else $TRACKER_DB, else tracker.db in the data folder ($TRACKER_HOME moves it).
Exit codes: 0 done, 1 error (one line on stderr), 2 bad usage, 3 a bug (see the log)."""


def build_parser() -> argparse.ArgumentParser:
    # Options accepted after the command too; SUPPRESS keeps the global value when absent.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="TARGET", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument("--format", choices=("text", "json"), default=argparse.SUPPRESS,
                        help="print text (default) or JSON")  # fmt: skip
    parser = argparse.ArgumentParser(
        prog=PROG, description="Tracker: a desktop issue tracker with a kanban board.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("--db", metavar="TARGET",
                        help="database file or postgresql://user@host/db URL")  # fmt: skip
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--debug", action="store_true", help="log SQL and details to the log file")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="print text (default) or JSON")  # fmt: skip
    parser.add_argument("--smoke-test", metavar="OUTDIR",
                        help="open the window, save screenshots to OUTDIR and quit")  # fmt: skip
    parser.set_defaults(command=None)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, handler: Callable[..., Output], text: str, create: bool = False,
                description: str | None = None) -> argparse.ArgumentParser:  # fmt: skip
        cmd = sub.add_parser(name, parents=[common], help=text, description=description or text)
        cmd.set_defaults(
            command=name, handler=handler, create=create, reads_only=name in READS_ONLY
        )
        return cmd

    issue_type = cli_format.enum_type(IssueType, "type")
    cmd = command("init", cli_projects.cmd_init,
                  "create the database and a project (harmless to repeat)",
                  create=True)  # fmt: skip
    cmd.add_argument("--project", default="TRK", metavar="KEY", help="project key (default TRK)")
    cmd.add_argument("--name", default="Tracker", help="project name (default Tracker)")
    cli_projects.add_init_options(cmd)
    cmd = command("demo", cmd_demo, "fill a project with realistic demo issues", create=True,
                  description="Fill a project with realistic demo issues, the same for the same "
                  "seed. Run it again to add more to the same project (numbers continue), or "
                  "give another --project key for a separate one.")  # fmt: skip
    cmd.add_argument(
        "--issues", type=cli_format.parse_count, default=1000, metavar="N", help="default 1000"
    )
    cmd.add_argument("--seed", type=int, default=1, metavar="S", help="default 1")
    cmd.add_argument("--project", default="DEMO", metavar="KEY", help="default DEMO")
    cmd = command("add", cmd_add, "report an issue; prints its key")
    cmd.add_argument("--project", required=True, metavar="KEY")
    cmd.add_argument("--title", required=True)
    cmd.add_argument("--type", type=issue_type, help="task, bug, story, epic or subtask")
    cmd.add_argument(
        "--priority", type=cli_format.parse_priority, help="lowest, low, medium, high or highest"
    )
    cmd.add_argument("--status", metavar="NAME", help="default: the first status")
    cmd.add_argument("--assignee", metavar="USER")
    cmd.add_argument("--label", action="append", default=[], metavar="L", help="repeatable")
    cmd.add_argument("--description", metavar="MARKDOWN", help="- reads standard input")
    cmd.add_argument("--parent", metavar="KEY")
    cmd.add_argument("--due", type=cli_format.parse_date, metavar="YYYY-MM-DD")
    cmd.add_argument("--estimate", type=cli_time.estimate_arg, metavar="HOURS|DURATION")
    cmd = command("move", cmd_move, "move an issue to another status")
    cmd.add_argument("key")
    cmd.add_argument("status", help="status name, any case")
    cmd = command("edit", cmd_edit, "change fields of an issue (none = clear a field)")
    cmd.add_argument("key")
    s = argparse.SUPPRESS
    cmd.add_argument("--title", default=s)
    cmd.add_argument("--description", default=s, metavar="MARKDOWN", help="- reads stdin")
    cmd.add_argument("--type", type=issue_type, default=s)
    cmd.add_argument("--priority", type=cli_format.parse_priority, default=s)
    cmd.add_argument("--assignee", default=s, metavar="USER", help='"" unassigns')
    cmd.add_argument("--due", type=cli_format.parse_date, default=s, metavar="YYYY-MM-DD")
    cmd.add_argument("--estimate", type=cli_time.estimate_arg, default=s, metavar="DURATION")
    cmd.add_argument("--parent", default=s, metavar="KEY")
    cmd.add_argument("--label", action="append", default=s, metavar="L",
                     help="replaces the labels; repeatable")  # fmt: skip
    cmd.add_argument("--no-labels", action="store_true", default=s, help="remove every label")
    cmd = command("comment", cmd_comment, "add a comment (Markdown; - reads stdin)")
    cmd.add_argument("key")
    cmd.add_argument("text")
    cmd = command("link", cmd_link, "link two issues")
    cmd.add_argument("key")
    cmd.add_argument("kind", type=cli_format.enum_type(LinkKind, "link kind"),
                     help="blocks, relates or duplicates")  # fmt: skip
    cmd.add_argument("other", metavar="OTHER")
    cmd = command("watch", cmd_watch, "watch an issue (status changes notify watchers)")
    cmd.add_argument("key")
    cmd.add_argument("--user", metavar="U", help="default: you")
    cmd.add_argument("--stop", action="store_true", help="stop watching")
    cmd = command("archive", cmd_archive, "archive an issue (hidden from lists and the board)")
    cmd.add_argument("key")
    cmd.add_argument("--restore", action="store_true", help="bring it back")
    cmd = command("delete", cmd_delete, "delete an issue for good")
    cmd.add_argument("key")
    cmd.add_argument("--yes", action="store_true", help="confirm")
    cmd = command("show", cmd_show, "print every field, comments, links and history")
    cmd.add_argument("key")
    cmd = command("list", cmd_list, "list issues (all projects unless --project)")
    cmd.add_argument("--project", action="append", default=[], metavar="KEY")
    cmd.add_argument("--status", action="append", default=[], metavar="S", help="repeatable")
    cmd.add_argument("--assignee", action="append", default=[], metavar="U")
    cmd.add_argument("--unassigned", action="store_true")
    cmd.add_argument("--label", action="append", default=[], metavar="L")
    cmd.add_argument("--text", metavar="WORDS", help="words in the title or description")
    cmd.add_argument("--type", action="append", type=issue_type, default=[])
    cmd.add_argument("--priority", action="append", type=cli_format.parse_priority, default=[])
    cmd.add_argument("--include-archived", action="store_true")
    cmd.add_argument("--query", metavar="Q",
                     help='the query language, e.g. \'assignee:me is:open priority>=high "login '
                     'crash" sort:-updated\'; combines with the other options')  # fmt: skip
    cmd.add_argument("--sort", choices=SORTS, default=None, metavar="ORDER",
                     help=", ".join(SORTS) + " (default: the query's sort:, else key)")  # fmt: skip
    cmd.add_argument("--limit", type=cli_format.parse_count, metavar="N")
    cmd = command("projects", cmd_projects, "list projects")
    cmd.add_argument("--all", action="store_true", help="include archived projects")
    cmd = command("statuses", cmd_statuses, "list a project's statuses")
    cmd.add_argument("--project", required=True, metavar="KEY")
    command("check", cmd_check, "check the database for damage")
    cli_backup.register(command)
    cli_interchange.register(command)
    cli_admin.register(command)
    cli_projects.register(command)
    cli_sync.register(command)
    cli_time.register(command, sub.choices)
    cli_sprints.register(command, sub)
    cli_reports.register(command)
    return parser


# -- running ----------------------------------------------------------------------------------
@contextlib.contextmanager
def _logging(debug: bool) -> Iterator[str | None]:
    """The rotating log file for one command; handlers go again so in-process runs don't pile up."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    path = log.init(debug)
    if debug:
        echo = logging.StreamHandler(sys.stderr)
        echo.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(echo)
    try:
        yield path
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)


# The commands that may set up an empty PostgreSQL database (others are told to run them).
URL_CREATORS = frozenset({"init", "demo"})


def _run(args: argparse.Namespace, log_path: str | None) -> int:
    from tracker_gui.services.admin import is_url

    target = getattr(args, "url", None) or args.db or paths.default_database()
    path = Path(target).expanduser()
    # For `init` to say whether it made the file; a URL is never "fresh".
    try:
        args.fresh = not is_url(target) and (not path.exists() or path.stat().st_size == 0)
    except OSError:  # a name too long for the file system: opening it says so in one line
        args.fresh = False
    try:
        # One-shot reads skip the full-file scan (seconds on a big file); writes keep it.
        if getattr(args, "before_open", None) is not None:  # admin setup-postgres
            args.before_open(args)
        if getattr(args, "opens_target", False):  # restore: must work on a damaged file
            out = args.handler(target, args)
        else:
            # A server's database is set up only by the commands meant to (and setup-postgres).
            create = args.create and (not is_url(target) or args.command in URL_CREATORS)
            services, after = cli_sync.open_services_for(args, target, create)  # offline copy?
            try:
                long = args.command in LONG_RUNNING
                with services.database.long_running() if long else contextlib.nullcontext():
                    out = after(cli_sprints.tagged(services, args.handler(services, args)))
            finally:
                services.close()
        if args.format == "json":
            cli_format.write(cli_format.dump(out.data))
        elif out.text:
            cli_format.write(out.text)
    except UsageError as exc:
        cli_format.fail(str(exc), args.command)
        return EXIT_USAGE
    except TrackerError as exc:
        cli_format.fail(str(exc))
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as other command-line tools do.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        cli_format.fail("interrupted; nothing was changed by the unfinished command")
        return 130
    except OSError as exc:
        # The file system refused (a name too long, no permission): the environment's to fix.
        where = f"{exc.filename}: " if exc.filename else ""
        cli_format.fail(f"{where}{exc.strerror or exc}")
        return EXIT_ERROR
    except Exception as exc:
        return _bug(exc, f"{PROG} {args.command}", log_path)
    if out.error:
        cli_format.fail(out.error)
        return EXIT_ERROR
    return EXIT_OK


def _window(args: argparse.Namespace) -> int:
    target = args.db or paths.default_database()
    try:
        from tracker_gui.app import run_window
    except ImportError as exc:
        cli_format.fail(f"cannot start the window ({exc}); the subcommands still work, see --help")
        return EXIT_ERROR
    try:
        return int(run_window(target=target, debug=args.debug, smoke_test=args.smoke_test))
    except TrackerError as exc:
        cli_format.fail(str(exc))
        return EXIT_ERROR
    except Exception as exc:
        return _bug(exc, "the window", log.init(args.debug))


def _bug(exc: Exception, what: str, log_path: str | None) -> int:
    """Anything but a TrackerError is a bug: the traceback goes to the log, one line to stderr."""
    logger.exception("%s failed", what)
    hint = f"; details are in {log_path}" if log_path else ""
    cli_format.fail(f"unexpected {type(exc).__name__}: {exc} (a bug{hint})")
    return EXIT_BUG


def _glue_sort(argv: list[str]) -> list[str]:
    """`--sort -updated` or `--query -label:x` would read as an unknown option to argparse:
    make them `--sort=-updated` and `--query=-label:x`."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1] == "--sort" and arg in SORTS:
            out[-1] = f"--sort={arg}"
        elif out and out[-1] == "--query" and arg.startswith("-"):
            out[-1] = f"--query={arg}"
        else:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point of `tracker-gui` and `python -m tracker_gui`; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(_glue_sort(sys.argv[1:] if argv is None else argv))
        if args.command is None:
            return _window(args)
        if args.smoke_test:
            parser.error("--smoke-test opens the window; it cannot go with a subcommand")
    except SystemExit as exc:  # --help, --version and usage errors, already printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    with _logging(args.debug) as log_path:
        return _run(args, log_path)
