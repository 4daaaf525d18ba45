"""The `import` and `export` subcommands' work for cli.py: text, JSON data and an error."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from tracker_gui.errors import UserError
from tracker_gui.interchange.csv_export import COLUMNS, DEFAULT_COLUMNS, export_csv, write_csv
from tracker_gui.interchange.csv_import import import_csv
from tracker_gui.interchange.jira import import_jira
from tracker_gui.interchange.json_export import export_json, write_json
from tracker_gui.interchange.json_import import import_json
from tracker_gui.interchange.query import filter_from_query
from tracker_gui.interchange.report import ImportRejected, ImportReport, Progress
from tracker_gui.interchange.trello import import_trello
from tracker_gui.services import Services

IMPORT_KINDS = ("trello", "jira", "csv", "json")
EXPORT_KINDS = ("csv", "json")


@dataclass(frozen=True)
class Outcome:
    """What to print: `text`, or `data` as JSON; `error` makes the command fail."""

    text: str
    data: Any
    error: str | None = None


def terminal_progress(stream: TextIO = sys.stderr) -> Progress | None:
    """A one-line counter on a terminal; nothing when the output is redirected."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        # Checking counts bytes, writing counts issues: each phase ends by clearing the line.
        stream.write(f"\r{done:,} / {total:,}\033[K" if done < total else "\r\033[K")
        stream.flush()

    return show


def _refused(report: ImportReport) -> Outcome:
    problems = len(report.errors) + report.hidden_errors
    error = f"{report.path} was not imported: {problems} problem{'s' if problems != 1 else ''}"
    clashes = getattr(report, "clashes", None)
    if clashes and not getattr(report, "renamed", None):
        shown = ", ".join(f"{old} -> {new}" for old, new in clashes.items())
        error += f" (project keys taken here: --rename-projects imports under new keys, {shown})"
    if report.missing_statuses:
        names = ", ".join(report.missing_statuses)
        error += f" (--create-statuses creates the missing statuses: {names})"
    return Outcome("\n".join(report.lines()), report.as_dict(), error)


def run_import(
    services: Services,
    kind: str,
    path: str | os.PathLike[str],
    *,
    project: str | None = None,
    dry_run: bool = False,
    encoding: str = "utf-8",
    create_statuses: bool = False,
    rename_projects: bool = False,
    progress: Progress | None = None,
) -> Outcome:
    """Import (or with `dry_run`, only check) one file; every problem found is listed."""
    if rename_projects and kind != "json":
        return Outcome("", None, "--rename-projects is for a JSON backup's projects")
    if kind == "csv" and not project:
        return Outcome("", None, "a CSV import needs --project KEY (where the issues go)")
    if kind == "json" and project:
        return Outcome("", None, "a JSON backup restores its own projects: drop --project")
    if kind not in IMPORT_KINDS:
        return Outcome("", None, f"unknown kind {kind!r} (use {', '.join(IMPORT_KINDS)})")
    if not Path(path).is_file():
        return Outcome("", None, f"no file at {os.fspath(path)}")
    common: dict[str, Any] = {"dry_run": dry_run, "progress": progress}
    report: ImportReport
    try:
        if kind == "json":
            report = import_json(services, path, rename_projects=rename_projects, **common)
        else:
            common["create_statuses"] = create_statuses
            if kind == "trello":
                report = import_trello(services, path, project=project, **common)
            elif kind == "jira":
                report = import_jira(services, path, project=project, encoding=encoding, **common)
            else:
                assert project is not None
                report = import_csv(services, path, project=project, encoding=encoding, **common)
    except ImportRejected as exc:
        return _refused(exc.report)
    if report.errors:
        return _refused(report)
    return Outcome("\n".join(report.lines()), report.as_dict())


@contextlib.contextmanager
def _stdout(newline: str) -> Iterator[TextIO]:
    """Standard output as UTF-8 text whatever the console's code page (it carries a file);
    leaving the block flushes it and leaves the descriptor open."""
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced (a test harness, an IDE console)
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(fd, "w", encoding="utf-8", newline=newline, closefd=False) as out:
        yield out


def run_export(
    services: Services,
    kind: str,
    path: str | os.PathLike[str],
    *,
    query: str = "",
    columns: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """The issues a query finds to CSV, or the whole database to JSON. `-` writes the file to
    standard output as it is read (nothing else is printed there)."""
    where = os.fspath(path)
    try:
        if kind == "csv":
            flt = filter_from_query(services, query)
            chosen = columns or DEFAULT_COLUMNS
            if where == "-":
                with _stdout("") as out:
                    write_csv(services, out, flt, chosen, progress=progress)
                return Outcome("", None)
            rows = export_csv(services, path, flt, chosen, progress=progress)
            return Outcome(f"exported {rows:,} issues to {where}", {"path": where, "issues": rows})
        if kind == "json":
            if query:
                return Outcome("", None, "a JSON backup holds the whole database: drop --query")
            if where == "-":
                with _stdout("\n") as out:
                    write_json(services, out, progress=progress)
                return Outcome("", None)
            counts = export_json(services, path, progress=progress)
            shown = ", ".join(f"{n:,} {what}" for what, n in counts.items())
            return Outcome(f"exported {shown} to {where}", {"path": where, **counts})
    except BrokenPipeError:
        raise  # `export json - | head`: the reader left; the CLI stops quietly
    except (UserError, OSError) as exc:
        return Outcome("", None, str(exc))
    return Outcome("", None, f"unknown kind {kind!r} (use {', '.join(EXPORT_KINDS)})")


__all__ = ["COLUMNS", "EXPORT_KINDS", "IMPORT_KINDS", "Outcome", "run_export", "run_import"]
