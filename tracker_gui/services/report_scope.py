"""What every report of one request works on: the project, its statuses, the zone and the days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker_gui.domain import report_math as rm
from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Project, Status


@dataclass(frozen=True)
class ReportScope:
    """One request resolved: the project, its statuses, the zone and the days asked for."""

    project: Project
    statuses: list[Status]
    zone: rm.Zone
    first: dt.date
    last: dt.date
    today: dt.date

    def ids(self, category: StatusCategory) -> list[int]:
        return [s.id for s in self.statuses if s.category == category]

    @property
    def span(self) -> str:
        return f"{self.project.key} · {self.first.isoformat()} to {self.last.isoformat()}"

    def segments(self) -> list[tuple[dt.datetime, int]]:
        return rm.offset_segments(self.zone, self.first, self.last)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The UTC instants at which the first day begins and the day after the last begins."""
        return self.zone.start_of(self.first), self.zone.start_of(self.last + rm.ONE_DAY)
