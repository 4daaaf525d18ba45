"""The `backup`, `backups` and `restore` subcommands over the rotating local backups."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tracker_gui.cli_format import Output

if TYPE_CHECKING:
    from tracker_gui.services import Services

Command = Callable[..., argparse.ArgumentParser]


def cmd_backup(services: Services, args: argparse.Namespace) -> Output:
    target = args.to or args.dest
    info = services.backups.backup_now("manual", Path(target).expanduser() if target else None)
    data = {"database": services.database.label, "backup": str(info.path), "bytes": info.size}
    return Output(f"backed up {services.database.label} to {info.path} ({info.size:,} bytes)", data)


def cmd_backups(services: Services, args: argparse.Namespace) -> Output:
    found = services.backups.list_backups()
    rows = [
        {
            "path": str(b.path),
            "taken_at": b.taken_at.isoformat(timespec="seconds"),
            "reason": b.reason,
            "bytes": b.size,
            "issues": b.issues,
        }
        for b in found
    ]
    if not found:
        return Output(f"no backups of {services.database.label} yet", rows)
    lines = [
        f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {b.size:>12,} bytes  "
        f"{'?' if b.issues is None else b.issues:>7} issues  {b.reason:<16} {b.path}"
        for b in found
    ]
    return Output("\n".join(lines), rows)


def _confirmed(source: Path, label: str) -> bool | None:
    """Ask on the terminal; None when there is nobody to ask (no input at all)."""
    if sys.stdin is not None and sys.stdin.isatty():
        sys.stderr.write(f"Replace everything in {label} with {source}? [y/N] ")
        sys.stderr.flush()
    try:
        answer = sys.stdin.readline() if sys.stdin is not None else ""
    except (OSError, ValueError):
        answer = ""
    if answer == "":
        return None
    return answer.strip().lower() in ("y", "yes")


def cmd_restore(target: str, args: argparse.Namespace) -> Output:
    """Opens the database itself: a file too damaged to open can still be restored."""
    from tracker_gui.errors import ForeignDatabaseError, StorageError
    from tracker_gui.services import open_services
    from tracker_gui.services.admin import is_url
    from tracker_gui.services.backups import is_damaged, restore_damaged

    source = Path(args.file).expanduser()
    if not args.yes:
        answer = _confirmed(source, target)
        if answer is None:
            return Output("", None, "restore replaces the whole database: confirm with --yes")
        if not answer:
            return Output("", None, "restore cancelled; nothing was changed")
    try:
        # A server's database is restored by the server; never set one up here.
        services = open_services(target, create=not is_url(target))
    except StorageError as exc:
        # Another program's file is refused even when damaged: it is not ours to replace.
        if isinstance(exc, ForeignDatabaseError) or not is_damaged(target):
            raise
        kept = restore_damaged(target, source)
        open_services(target).close()  # migrates a backup made by an older version
        data = {"database": target, "restored": str(source), "saved": str(kept)}
        return Output(f"restored {target} from {source}; the damaged file was kept as {kept}", data)
    try:
        label = services.database.label
        before = services.backups.restore(source)
    finally:
        services.close()
    data = {"database": label, "restored": str(source), "saved": str(before.path)}
    return Output(
        f"restored {label} from {source}; what was there before is in {before.path}", data
    )


def register(command: Command) -> None:
    """Add the three subcommands through the CLI's `command(name, handler, help, ...)` helper."""
    cmd = command(
        "backup",
        cmd_backup,
        "copy a SQLite database safely, even while in use",
        description="Copy the database with SQLite's online backup API, check the copy, and "
        "keep it in the backups folder (the oldest beyond the last 10 are removed), or at "
        "--to PATH.",
    )
    cmd.add_argument("dest", metavar="DEST", nargs="?", help="same as --to")
    cmd.add_argument("--to", metavar="PATH", help="write the backup here instead")
    command("backups", cmd_backups, "list the backups of the database, newest first")
    cmd = command(
        "restore",
        cmd_restore,
        "replace the database with a backup (the current content is backed up first)",
        create=True,
    )
    cmd.add_argument("file", metavar="BACKUP")
    cmd.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    cmd.set_defaults(opens_target=True)
