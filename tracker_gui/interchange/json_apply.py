"""Hand a checked tracker-gui JSON document to the restore service (services.restore)."""

from __future__ import annotations

from tracker_gui.domain.models import Project
from tracker_gui.interchange.json_refs import RefsIn
from tracker_gui.interchange.report import ImportReport, Ticker
from tracker_gui.services import Services, restore
from tracker_gui.services.restore import RestorePlan

Checked = RestorePlan  # a document that passed every check: what `write` may trust


def write(services: Services, checked: Checked, report: ImportReport, ticker: Ticker) -> None:
    """Users, projects, workflow, labels, issues and all they hold, filters, then the history:
    one transaction, events after it commits."""
    keys = restore.write(services, checked, ticker, RefsIn)
    report.project = ", ".join(keys) or None


def untouched_default(services: Services) -> Project | None:
    """The database's only project, still as `init` or the window's first start made it."""
    return restore.untouched_default(services)


__all__ = ["Checked", "untouched_default", "write"]
