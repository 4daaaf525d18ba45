"""Offline team mode on the command line: `sync`, `conflicts`, `resolve`, and how the other
commands use the replica of a team database (reads from it, writes queued when offline)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tracker_gui import cli_format
from tracker_gui.cli_format import Output
from tracker_gui.errors import ConnectionFailedError, NotFoundError, UserError

if TYPE_CHECKING:
    from tracker_gui.services import Services
    from tracker_gui.services.sync import SyncService
    from tracker_gui.services.sync_types import ConflictEntry

Command = Callable[..., argparse.ArgumentParser]
After = Callable[[Output], Output]

READS = frozenset({"list", "show", "projects", "statuses", "report"})
WRITES = frozenset({"add", "move", "edit", "comment", "link", "watch", "archive", "log"})
NEED_SERVER = frozenset({"delete", "import", "init", "restore", "demo", "admin", "sprint", "bulk"})


def _is_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def _engine(target: str) -> SyncService:
    from tracker_gui.services.sync import SyncService

    if not _is_url(target):
        raise UserError("sync works on a team database: give --db postgresql://user@host/db")
    return SyncService(target)


def _report_data(report: Any) -> dict[str, Any]:
    return {"pushed": report.pushed, "pulled": report.pulled, "conflicts": report.conflicts,
            "refused": report.refused, "waiting": report.waiting,
            "offline": report.offline}  # fmt: skip


# -- sync, conflicts, resolve ------------------------------------------------------------------
def cmd_sync(target: str, args: argparse.Namespace) -> Output:
    engine = _engine(target)

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\rcopying: {done} / {total} tables")
        sys.stderr.flush()

    first = not engine.has_replica() and sys.stderr.isatty()
    report = engine.sync(progress if first else None)
    if first:
        sys.stderr.write("\n")
    data = _report_data(report)
    if report.offline:
        return Output("", data, error=f"offline: {report.waiting} changes waiting")
    text = (f"synced: pushed {report.pushed}, pulled {report.pulled}, "
            f"conflicts {report.conflicts}, refused {report.refused}")  # fmt: skip
    return Output(text, data)


def _entry_json(e: ConflictEntry) -> dict[str, Any]:
    at = e.theirs_at.isoformat(timespec="seconds") if e.theirs_at else None
    return {"id": e.id, "key": e.key, "field": e.field, "base": e.base, "mine": e.mine,
            "theirs": e.theirs, "theirs_by": e.theirs_by, "theirs_at": at, "kind": e.kind,
            "message": e.message}  # fmt: skip


def cmd_conflicts(target: str, args: argparse.Namespace) -> Output:
    found = _engine(target).conflicts()
    rows = [_entry_json(e) for e in found]
    if not found:
        return Output("no conflicts or refusals", rows)
    lines = []
    for e in found:
        what = f"{e.key} {e.field or '(whole change)'}"
        if e.kind == "conflict":
            who = f" by {e.theirs_by}" if e.theirs_by else ""
            lines.append(f"{e.id}  conflict  {what}: mine {e.mine!r}, theirs {e.theirs!r}{who}")
        else:
            lines.append(f"{e.id}  refused   {what}: {e.message}")
    return Output("\n".join(lines), rows)


def cmd_resolve(target: str, args: argparse.Namespace) -> Output:
    engine = _engine(target)
    entry = _pick(engine.conflicts(), args.what, args.field)
    if args.dismiss:
        done = "dismissed"
    elif args.value is not None:
        done = "kept the value given"
    elif args.keep:
        done = f"kept {args.keep}"
    else:
        raise UserError("say how: --keep mine, --keep theirs, --value TEXT or --dismiss")
    engine.resolve(entry.id, keep=args.keep, value=args.value, dismiss=args.dismiss)
    text = f"{entry.key} {entry.field or '(whole change)'}: {done}"
    data = {"id": entry.id, "key": entry.key, "field": entry.field, "resolution": done}
    if args.dismiss or args.keep == "theirs":
        return Output(text, data)
    report = engine.sync()
    if report.offline:
        sys.stderr.write(f"queued (offline): {text}\n")
    return Output(text, data)


def _pick(found: list[ConflictEntry], what: str, field: str | None) -> ConflictEntry:
    if what.isdigit():
        hits = [e for e in found if e.id == int(what)]
    else:
        key = what.strip().upper()
        hits = [e for e in found if e.key == key and (field is None or e.field == field)]
    if not hits:
        raise NotFoundError(f"no conflict or refusal matches {what} {field or ''}".strip())
    if len(hits) > 1:
        ids = ", ".join(str(e.id) for e in hits)
        raise UserError(f"several entries match: give one of their ids ({ids})")
    return hits[0]


def register(command: Command) -> None:
    cmd = command("sync", cmd_sync, "make or update the offline copy of a team database")
    cmd.set_defaults(opens_target=True)
    cmd = command("conflicts", cmd_conflicts, "list changes the server did not take as they were")
    cmd.set_defaults(opens_target=True)
    cmd = command("resolve", cmd_resolve, "settle a conflict or dismiss a refusal")
    cmd.set_defaults(opens_target=True)
    cmd.add_argument("what", metavar="KEY|ID", help="the issue key, or the entry's id")
    cmd.add_argument("field", nargs="?", help="the field (with a key)")
    how = cmd.add_mutually_exclusive_group()
    how.add_argument("--keep", choices=("mine", "theirs"))
    how.add_argument("--value", metavar="TEXT", help="keep this value instead")
    how.add_argument("--dismiss", action="store_true", help="dismiss a refusal")


# -- the other commands on a team database with an offline copy ------------------------------
def _same(out: Output) -> Output:
    return out


def open_services_for(
    args: argparse.Namespace, target: str, create: bool
) -> tuple[Services, After]:
    """The services a command runs on: the server, or the replica of a team database.

    Reads use the replica when one exists (synced first when the server answers); writes
    go to the server when it answers (after pushing what was queued), else are queued.
    """
    from tracker_gui.services import open_services
    from tracker_gui.services.sync import SyncService

    command = str(args.command)
    quick_check = not args.reads_only  # one-shot reads skip the full-file scan
    if not _is_url(target) or command not in READS | WRITES | NEED_SERVER:
        return open_services(target, create=create, quick_check=quick_check), _same
    engine = SyncService(target)
    if not engine.has_replica():
        return open_services(target, create=create, quick_check=quick_check), _same
    if command in NEED_SERVER:
        try:
            return open_services(target, create=create, quick_check=quick_check), _same
        except ConnectionFailedError as exc:
            if exc.unreachable:
                raise UserError(f"offline: {command} needs the server") from exc
            raise
    report = engine.sync()
    if command in READS:
        if report.offline:
            when = engine.last_synced()
            shown = when.isoformat(timespec="seconds") if when else "never"
            sys.stderr.write(f"offline: showing the copy from {shown}\n")
        return engine.local_services(), _same
    if report.offline:
        return engine.local_services(), _queued
    _real_keys(args, engine.real_keys())
    services = open_services(target, create=create, quick_check=quick_check)

    def after(out: Output) -> Output:
        with contextlib.suppress(Exception):  # the write is on the server; the copy catches up
            engine.sync()
        return out

    return services, after


def _real_keys(args: argparse.Namespace, keys: dict[str, str]) -> None:
    """A provisional key given to a command run on the server: the key the server gave it."""
    for name in ("key", "other", "parent"):
        value = getattr(args, name, None)
        if isinstance(value, str) and value.strip().upper() in keys:
            setattr(args, name, keys[value.strip().upper()])


def _queued(out: Output) -> Output:
    """An offline write: the same output, and on stderr that it waits for the server."""
    if isinstance(out.data, dict) and "-~" in str(out.data.get("key", "")):
        out.data["provisional"] = True
    sys.stderr.write(f"queued (offline): {cli_format.line(out.text)}\n")
    return out
