"""The `admin` subcommands: secure a shared PostgreSQL database, add logins, grant project roles."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from tracker_gui.cli_format import Output
from tracker_gui.errors import UserError

if TYPE_CHECKING:
    from tracker_gui.services import Services

Command = Callable[..., argparse.ArgumentParser]
ROLES = ("viewer", "member", "admin")


def _secure_first(args: argparse.Namespace) -> None:
    """Runs before the CLI opens the database, so the app never migrates it as the superuser."""
    from tracker_gui.services.admin import setup_postgres

    args.setup_report = setup_postgres(args.url)


def _setup(services: Services, args: argparse.Namespace) -> Output:
    from tracker_gui.services.admin import OWNER_ROLE, USERS_ROLE

    report = args.setup_report
    applied = ", ".join(report.migrations) or "none (schema already current)"
    text = (
        f"secured database {report.database}: {report.tables} tables with row-level security"
        f" forced; migrations applied: {applied}\n"
        f"roles: {OWNER_ROLE} owns the schema (no login), {USERS_ROLE} holds every user\n"
        f"next: tracker-gui --db URL init --project KEY --name NAME, then admin add-user NAME"
    )
    if report.dropped:
        # Objects the app does not define, found in its schema: say what went, so an
        # administrator can tell whether someone had planted them.
        text += "\ndropped (not defined by the app): " + ", ".join(report.dropped)
    data = {"database": report.database, "tables": report.tables,
            "migrations": list(report.migrations), "dropped": list(report.dropped)}  # fmt: skip
    return Output(text, data)


def _read_password() -> str:
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise UserError("--password-stdin read an empty line; no login was created")
    return password


def _add_user(services: Services, args: argparse.Namespace) -> Output:
    from tracker_gui.domain import validation
    from tracker_gui.services.admin import add_user

    name = validation.username(args.name)
    given = _read_password() if args.password_stdin else None
    password = add_user(services, name, given)
    if given is not None:
        return Output(f"created login {name}", {"user": name})
    text = (
        f"created login {name}\npassword: {password}\n"
        "(shown once: hand it over safely; the app keeps it in the user's keychain)"
    )
    return Output(text, {"user": name, "password": password})


def _grant(services: Services, args: argparse.Namespace) -> Output:
    from tracker_gui.services.admin import grant

    role = None if args.admin_action == "revoke" else args.role
    grant(services, args.name, args.project, role)
    key = args.project.strip().upper()
    text = f"{args.name} is now {role} of {key}" if role else f"{args.name} removed from {key}"
    return Output(text, {"user": args.name, "project": key, "role": role})


def _members(services: Services, args: argparse.Namespace) -> Output:
    project = services.projects.project(args.project)
    found = services.projects.members(project.id)
    lines = [f"{m.username:<24} {m.role.value}" for m in found] or ["(no members)"]
    data = [{"user": m.username, "role": m.role.value} for m in found]
    return Output("\n".join(lines), data)


_ACTIONS = {
    "setup-postgres": _setup,
    "add-user": _add_user,
    "grant": _grant,
    "revoke": _grant,
    "members": _members,
}


def _dispatch(services: Services, args: argparse.Namespace) -> Output:
    return _ACTIONS[args.admin_action](services, args)


def register(command: Command) -> None:
    """Add `admin` and its actions through the CLI's `command(name, handler, help, ...)`."""
    cmd = command(
        "admin",
        _dispatch,
        "set up a shared PostgreSQL database, its logins and project roles",
        create=True,
        description="Team setup on PostgreSQL (see docs/team-setup.md). setup-postgres takes "
        "the superuser URL with --url; the other actions use the global --db URL of a "
        "superuser (or, for grant/revoke/members, a project admin).",
    )
    actions = cmd.add_subparsers(dest="admin_action", metavar="ACTION", required=True)
    setup = actions.add_parser(
        "setup-postgres",
        help="create roles, schema, row-level security and triggers (safe to repeat)",
    )
    setup.add_argument("--url", required=True, metavar="URL",
                       help="postgresql://SUPERUSER@host/db")  # fmt: skip
    setup.set_defaults(before_open=_secure_first)
    add = actions.add_parser("add-user", help="create a login; prints its password once")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from one line of standard input")  # fmt: skip
    give = actions.add_parser("grant", help="give a login a role in a project")
    give.add_argument("name", metavar="NAME")
    give.add_argument("project", metavar="PROJECT")
    give.add_argument("role", choices=ROLES)
    take = actions.add_parser("revoke", help="remove a login from a project")
    take.add_argument("name", metavar="NAME")
    take.add_argument("project", metavar="PROJECT")
    show = actions.add_parser("members", help="list a project's members and roles")
    show.add_argument("project", metavar="PROJECT")
