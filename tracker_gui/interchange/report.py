"""What an import found and did: problems, counts, key mapping, progress and cancellation."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from tracker_gui.errors import UserError

# progress(done, total): bytes while a CSV file is checked, then issues while they are written.
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]  # polled as often as progress; True rolls the import back
MAX_SHOWN = 200  # problems kept in a report; a 50 MB file must not yield a million messages


class ImportCancelled(UserError):
    """The user cancelled; everything written so far was rolled back."""

    def __init__(self, message: str = "import cancelled: nothing was changed") -> None:
        super().__init__(message)


class BadFile(UserError):
    """The file cannot be read at all (not JSON, not UTF-8, wrong shape)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.detail = message


@dataclass(frozen=True, slots=True)
class Problem:
    where: str  # "row 12, column 'Summary'", "cards[3].name", "line 4, column 9"
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ImportReport:
    """Filled by validation (problems, what would be created) and by the write (what was)."""

    kind: str
    path: str
    dry_run: bool = False
    project: str | None = None
    created: Counter[str] = field(default_factory=Counter)
    key_map: dict[str, str] = field(default_factory=dict)  # source key -> key given here
    problems: list[Problem] = field(default_factory=list)
    hidden: int = 0  # problems found beyond MAX_SHOWN
    hidden_errors: int = 0
    missing_statuses: list[str] = field(default_factory=list)  # lacking, and not to be created
    committed: bool = False

    def error(self, where: str, message: str) -> None:
        self._add(Problem(where, message, "error"))

    def warn(self, where: str, message: str) -> None:
        self._add(Problem(where, message, "warning"))

    def _add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_SHOWN:
            self.problems.append(problem)
        else:
            self.hidden += 1
            self.hidden_errors += problem.severity == "error"

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.hidden_errors

    def as_dict(self) -> dict[str, object]:
        """The report as `--format json` prints it."""
        return {
            "kind": self.kind,
            "path": self.path,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "project": self.project,
            "created": {k: n for k, n in sorted(self.created.items()) if n},
            "key_map": dict(self.key_map),
            "problems": [
                {"severity": p.severity, "where": p.where, "message": p.message}
                for p in self.problems
            ],
            "more_problems": self.hidden,
        }

    def lines(self) -> list[str]:
        """The report as the CLI prints it: what was (or would be) created, then problems."""
        counts = ", ".join(f"{n} {what}" for what, n in sorted(self.created.items()) if n)
        head = f"{self.kind} import of {self.path}: "
        if self.errors or self.hidden_errors:
            errors = len(self.errors) + self.hidden_errors
            head += f"{errors} problem{'s' if errors != 1 else ''}; nothing was written"
            head += f" (it would create {counts})" if counts else ""
        else:
            head += f"{'created' if self.committed else 'would create'} {counts or 'nothing'}"
        out = [head]
        if self.project:
            out.append(f"into project {self.project}")
        out += [f"  {old} -> {new}" for old, new in self.key_map.items() if old != new]
        out += [f"{p.severity}: {p}" for p in self.problems]
        if self.hidden:
            out.append(f"... and {self.hidden} more problems")
        return out


class ImportRejected(UserError):
    """Validation found errors; nothing was written. `report` lists every problem."""

    def __init__(self, report: ImportReport) -> None:
        first = report.errors[0] if report.errors else None
        more = len(report.errors) - 1 + report.hidden_errors
        text = f"{report.path}: {first}" if first else f"{report.path}: cannot be imported"
        if more > 0:
            text += f" (and {more} more problems)"
        super().__init__(text)
        self.report = report


class Ticker:
    """Checks `cancelled` and calls `progress` every `interval` seconds at most, and at the end."""

    def __init__(
        self, progress: Progress | None, cancelled: Cancelled | None, interval: float = 0.05
    ) -> None:
        self.progress = progress
        self.cancelled = cancelled
        self.interval = interval
        self._last = -interval

    def __call__(self, done: int, total: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and done < total and now - self._last < self.interval:
            return
        self._last = now
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled()
        if self.progress is not None:
            self.progress(done, total)
