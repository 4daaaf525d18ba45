"""Time tracking: log time on an issue, list and remove logs, set or clear the remaining time.

Durations are read here, on the issue's project's work calendar (domain/durations.py), so
every caller (CLI, window, sync) refuses the same text with the same words. Each write is one
transaction with its Change rows: `logged` (new = minutes; a removal: old = minutes) and
`remaining` (minutes as text, None when cleared). On a secured PostgreSQL database the
triggers write those rows, set the log's user from the session login, and decide who may
remove a log (one's own; a project admin any); elsewhere there are no roles, so the service
lets the file's user remove any log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from tracker_gui.domain import durations, validation
from tracker_gui.domain.durations import WorkCalendar
from tracker_gui.domain.models import Issue
from tracker_gui.domain.worklogs import TimeSpent, WorkLog
from tracker_gui.errors import NotFoundError, PermissionDeniedError, UserError, ValidationError
from tracker_gui.services.issue_reads import IssueReads
from tracker_gui.storage.replica import outbox
from tracker_gui.storage.worklog_repo import WorklogRepo

if TYPE_CHECKING:
    from tracker_gui.services import Services

NOTE_MAX = 2000  # characters; migration 0013 CHECKs the same
OFFLINE_ONLY = "{what} needs the server: connect and try again"  # as services/outbox.py
Duration = str | int  # text to read, or minutes already read


class WorklogService(IssueReads):
    """Work logs and remaining time; shares the issue service's connection and event bus."""

    # Over an offline copy (services/outbox.QueuedIssueService): logging time is written
    # here and queued for the server like a comment; removing a log and setting the
    # remaining time are made on the server when it answers, else refused in plain words.
    queue: Any = None

    @classmethod
    def of(cls, services: Services) -> WorklogService:
        issues = services.issues
        made = cls(issues.db, issues.catalog, issues.repo, issues.bus, issues.actor)
        if hasattr(type(issues), "_on_server"):
            made.queue = issues
        return made

    def writable(self, what: str) -> None:
        """Raise the plain "needs the server" refusal when `what` cannot be made here."""
        if self.queue is not None and self.queue.online is None:
            raise UserError(OFFLINE_ONLY.format(what=what))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.logs = WorklogRepo(self.db)

    # -- durations -----------------------------------------------------------------------
    def calendar(self, project_id: int) -> WorkCalendar:
        return self.logs.calendar(project_id)

    def minutes(
        self,
        project_id: int,
        value: Duration,
        *,
        what: str = "duration",
        limit: int = durations.LOG_MAX,
        allow_zero: bool = False,
    ) -> int:
        """`value` as whole minutes on the project's calendar; ValidationError if unreadable."""
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValidationError(what, f"{what} must be a duration such as 1h30m")
        if isinstance(value, int):
            low = 0 if allow_zero else 1
            if not low <= value <= limit:
                raise ValidationError(what, f"{what} must be {low} to {limit:,} minutes")
            return value
        try:
            return durations.parse(value, self.calendar(project_id), limit=limit,
                                   allow_zero=allow_zero)  # fmt: skip
        except durations.DurationError as exc:
            raise ValidationError(what, f"{what}: {exc}") from None

    def estimate_hours(self, project_key: str, value: str | float | None) -> float | None:
        """An estimate as its column keeps it (hours): a plain number is hours, as it always
        was; anything else is read as a duration (`1h30m`, `2d`) on the project's calendar."""
        if value is None or isinstance(value, float | int):
            return validation.estimate(None if value is None else float(value))
        text = value.strip()
        try:
            return validation.estimate(float(text))
        except ValueError:
            pass
        project_id = self.catalog.project_id(project_key.strip().upper())
        if project_id is None:
            raise NotFoundError(f"no project with key {project_key!r}")
        limit = durations.REMAINING_MAX
        return self.minutes(project_id, text, what="estimate", limit=limit, allow_zero=True) / 60

    # -- reads ---------------------------------------------------------------------------
    def entries(self, issue_id: int) -> list[WorkLog]:
        self.get(issue_id)  # a hidden or deleted issue says so, not "no logs"
        return self.logs.entries(issue_id)

    def spent(self, issue_ids: Sequence[int]) -> dict[int, TimeSpent]:
        """Logged and remaining minutes per issue (issues the caller cannot see are absent)."""
        return self.logs.spent(list(issue_ids))

    def spent_on(self, issue_id: int) -> TimeSpent:
        found = self.spent([issue_id]).get(issue_id)
        if found is None:
            raise NotFoundError(f"issue {issue_id} does not exist (or was deleted)")
        return found

    def pages(self, size: int = 5000) -> Iterator[list[WorkLog]]:
        """Every log the caller may read, by id, `size` at a time (exports)."""
        return self.logs.pages(size)

    def remaining_of(self, issue_ids: Sequence[int]) -> dict[int, int]:
        """The remaining time set by hand, for those of these issues that have one."""
        return self.logs.remaining_of(issue_ids)

    # -- writes --------------------------------------------------------------------------
    def log(
        self, issue_id: int, duration: Duration, on: dt.date | None = None, note: str = ""
    ) -> WorkLog:
        """Record `duration` spent on the issue on day `on` (default today) by the caller."""
        issue = self.get(issue_id)
        minutes = self.minutes(issue.project_id, duration)
        day = on or dt.date.today()
        if not dt.date(1900, 1, 1) <= day <= dt.date(9999, 12, 31):
            raise ValidationError("on", "the day must be between 1900-01-01 and 9999-12-31")
        text = _note(note)
        # One transaction; on an offline copy the outbox entry comes after the history rows
        # (outbox.add marks them as this copy's preview).
        with self.db.transaction():
            with self._work() as work:
                wid = self.logs.insert(issue.id, self._actor_id(), day, minutes, text)
                work.log(issue.project_id, issue.id, "logged", None, str(minutes))
                found = self.logs.entry(wid)
            if self.queue is not None:
                body = {"key": issue.key, "minutes": minutes, "on": day.isoformat(), "note": text}
                outbox.add(self.db, str(uuid.uuid4()), "worklog", issue.uid, body)
        assert found is not None
        return found

    def remove(self, worklog_id: int, issue_id: int | None = None) -> WorkLog:
        """Remove one log (of `issue_id` when given); returns it as it was."""
        if self.queue is not None:
            act = lambda srv: WorklogService.of(srv).remove(worklog_id, issue_id)  # noqa: E731
            return cast(WorkLog, self.queue._on_server("removing a work log", act))
        current = self.logs.entry(worklog_id)
        if current is None or (issue_id is not None and current.issue_id != issue_id):
            raise NotFoundError(f"no work log {worklog_id}" + _of(self, issue_id))
        issue = self.get(current.issue_id)
        with self._work() as work:
            if self.logs.delete(worklog_id) == 0:
                raise NotFoundError(f"no work log {worklog_id} (removed by someone else)")
            work.log(issue.project_id, issue.id, "logged", str(current.minutes), None)
        return current

    def set_remaining(self, issue_id: int, value: Duration | None) -> TimeSpent:
        """Set the time left (`None` or "" clears it: the estimate minus logged again)."""
        if self.queue is not None:
            act = lambda srv: WorklogService.of(srv).set_remaining(issue_id, value)  # noqa: E731
            return cast(TimeSpent, self.queue._on_server("setting the remaining time", act))
        issue = self.get(issue_id)
        minutes: int | None = None
        if value is not None and value != "":
            minutes = self.minutes(issue.project_id, value, what="remaining",
                                   limit=durations.REMAINING_MAX, allow_zero=True)  # fmt: skip
        before = self.logs.remaining_set(issue.id)
        if before == minutes:
            return self.spent_on(issue.id)
        with self._work() as work:
            values = {"remaining_minutes": minutes}
            if self.repo.update_returning(issue.id, issue.version, values) is None:
                raise self._conflict(issue.id, "set the remaining time of")
            old, new = (None if v is None else str(v) for v in (before, minutes))
            work.log(issue.project_id, issue.id, "remaining", old, new)
        return self.spent_on(issue.id)

    def set_calendar(self, project_id: int, calendar: WorkCalendar) -> None:
        """How long `1d` and `1w` are in a project (8 h and 5 days unless set)."""
        with self._work():
            if self.logs.set_calendar(project_id, calendar) == 0:
                raise PermissionDeniedError(
                    "changing the work calendar needs the project's admin (or the project is gone)"
                )


def _note(note: str) -> str:
    text = validation.clean_text("note", note or "", max_bytes=4 * NOTE_MAX).strip()
    if len(text) > NOTE_MAX:
        raise ValidationError("note", f"the note is {len(text):,} characters; the limit is 2,000")
    return text


def _of(service: WorklogService, issue_id: int | None) -> str:
    if issue_id is None:
        return ""
    found: Issue | None = service.repo.get(issue_id)
    return f" on {found.key}" if found is not None else ""
