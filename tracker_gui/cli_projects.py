"""Project subcommands: `init` with a workflow preset, `project rename`, `project archive`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from tracker_gui import cli_format, cli_outputs
from tracker_gui.cli_format import Output
from tracker_gui.domain.workflows import PRESETS, preset
from tracker_gui.errors import ValidationError

if TYPE_CHECKING:
    from tracker_gui.services import Services

Command = Callable[..., argparse.ArgumentParser]
WORDS = "|".join(PRESETS)


def cmd_init(services: Services, args: argparse.Namespace) -> Output:
    """Without --workflow: the default project, harmless to repeat. With it: a new project only."""
    if args.workflow is None:
        project, created = services.projects.ensure_project(args.project, args.name)
        return cli_outputs.init_output(services, project, created, args.fresh)
    chosen = preset(args.workflow)  # an unknown word fails before anything is opened for writing
    existing = services.projects.projects(include_archived=True)
    key = args.project.strip().upper()
    if any(p.key == key for p in existing):
        raise ValidationError(
            "key", f"project {key} already exists; --workflow sets up a new project only"
        )
    project = services.projects.create_project(args.project, args.name, workflow=chosen)
    out = cli_outputs.init_output(services, project, True, args.fresh)
    out.data["workflow"] = chosen.word
    return out


def add_init_options(cmd: argparse.ArgumentParser) -> None:
    # No argparse `choices`: a wrong word is the user's to fix (exit 1, one line), not usage.
    cmd.add_argument(
        "--workflow", metavar="|".join(PRESETS), default=None,
        help="start a new project from a preset: basic (To Do, In Progress, Done), review "
        "(with In Review and allowed moves) or triage (Triage, Confirmed, ..., Won't Fix)",
    )  # fmt: skip


def _rename(services: Services, args: argparse.Namespace) -> Output:
    before = services.projects.project(args.key)
    after = services.projects.rename_project(before.key, args.name)
    text = (
        f"renamed {after.key}: {cli_format.line(before.name)} -> {cli_format.line(after.name)}"
        if after.name != before.name
        else f"{after.key} is already named {cli_format.line(after.name)}"
    )
    return Output(text, {"key": after.key, "name": after.name, "archived": after.archived})


def _archive(services: Services, args: argparse.Namespace) -> Output:
    before = services.projects.project(args.key)
    after = services.projects.archive_project(before.key, archived=not args.restore)
    verb = "restored" if args.restore else "archived"
    text = f"{after.key} was already {verb}" if before == after else f"{verb} project {after.key}"
    return Output(text, {"key": after.key, "name": after.name, "archived": after.archived})


_ACTIONS = {"rename": _rename, "archive": _archive}


def _dispatch(services: Services, args: argparse.Namespace) -> Output:
    return _ACTIONS[args.project_action](services, args)


def register(command: Command) -> None:
    """Add `project rename` and `project archive` through the CLI's `command(...)`."""
    cmd = command(
        "project", _dispatch, "rename or archive a project",
        description="Change a project. On a shared PostgreSQL database this needs the "
        "project's admin role.",
    )  # fmt: skip
    actions = cmd.add_subparsers(dest="project_action", metavar="ACTION", required=True)
    rename = actions.add_parser("rename", help="give a project a new name (the key stays)")
    rename.add_argument("key", metavar="KEY")
    rename.add_argument("name", metavar="NAME")
    archive = actions.add_parser(
        "archive", help="hide a project from the board and lists (its issues are kept)"
    )
    archive.add_argument("key", metavar="KEY")
    archive.add_argument("--restore", action="store_true", help="bring it back")
