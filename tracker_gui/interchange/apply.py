"""Check a ProjectPlan against the database, then hand it to the import service to write."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from tracker_gui.domain import validation
from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.workflow import DEFAULT_WORKFLOW
from tracker_gui.errors import ValidationError
from tracker_gui.interchange.plan import ProjectPlan, Target
from tracker_gui.interchange.report import BadFile, ImportRejected, ImportReport, Ticker
from tracker_gui.interchange.values import guess_category
from tracker_gui.services import Services, imports

_ORDER = {StatusCategory.TODO: 0, StatusCategory.IN_PROGRESS: 1, StatusCategory.DONE: 2}


def lookup(services: Services, key: str) -> Target:
    return imports.target(services, key)


def workflow_from_uses(names: Iterable[str]) -> list[tuple[str, StatusCategory]]:
    """A new project's statuses from the names a file uses, to-do first and done last."""
    found = [(n, guess_category(n) or StatusCategory.TODO) for n in dict.fromkeys(names)]
    return sorted(found, key=lambda pair: _ORDER[pair[1]]) or list(DEFAULT_WORKFLOW)


def check(
    services: Services, plan: ProjectPlan, report: ImportReport, *, create_statuses: bool
) -> Target:
    """Find what the plan needs that the database lacks; report it as created or as an error."""
    target = lookup(services, plan.key)
    report.project = plan.key
    if target.project is None:
        report.created["projects"] += 1
        target.to_create = plan.workflow or workflow_from_uses(plan.status_uses)
        names = {n.casefold() for n, _ in target.to_create}
        missing = [n for n in plan.status_uses if n.casefold() not in names]
        extra = [(n, guess_category(n) or StatusCategory.TODO) for n in missing]
        target.to_create = imports.open_statuses_first(target.to_create, extra)
    else:
        have = {s.name.casefold() for s in target.statuses}
        shown = ", ".join(s.name for s in target.statuses)
        for name, uses in plan.status_uses.items():
            if name.casefold() in have:
                continue
            if create_statuses:
                target.to_create.append((name, guess_category(name) or StatusCategory.TODO))
                have.add(name.casefold())
                continue
            report.missing_statuses.append(name)
            report.error(
                ", ".join(uses),
                f"status {name!r} is not in {plan.key}'s workflow ({shown}); add it to the "
                "project first, or let the import create the missing statuses",
            )
    _check_names(plan, target, report)
    report.created["statuses"] += len(target.to_create)
    report.created["users"] += sum(1 for u in plan.users if imports.user(services, u) is None)
    labels = services.projects.labels(target.project.id) if target.project else []
    existing = {lab.name.casefold() for lab in labels}
    report.created["labels"] += sum(1 for n in plan.labels if n.casefold() not in existing)
    report.created["links"] += len(plan.links)
    report.created.update(plan.counts)
    return target


def _check_names(plan: ProjectPlan, target: Target, report: ImportReport) -> None:
    """The names an import creates obey the same rules as the ones people type."""
    checks: list[tuple[str, Callable[[], object]]] = [
        ("project name", lambda: validation.name("project name", plan.name, 200)),
    ]
    for name, _ in target.to_create:
        checks.append((f"status {name!r}", partial(validation.name, "status", name)))
    for name, colour in plan.labels.items():
        limit = validation.LABEL_MAX
        checks.append((f"label {name!r}", partial(validation.name, "label", name, limit)))
        checks.append((f"label {name!r}", partial(validation.colour, colour)))
    for user in plan.users.values():
        checks.append((f"user {user.username!r}", partial(validation.username, user.username)))
        text = partial(validation.clean_text, "display name", user.display_name, max_bytes=800)
        checks.append((f"user {user.username!r}", text))
    for where, check in checks:
        try:
            check()
        except ValidationError as exc:
            report.error(where, str(exc))


def refuse(report: ImportReport) -> ImportReport:
    """A dry run returns the report of a file that cannot be imported; a real run raises."""
    if report.dry_run:
        return report
    raise ImportRejected(report)


def run(
    services: Services,
    plan: ProjectPlan,
    report: ImportReport,
    ticker: Ticker,
    *,
    create_statuses: bool = False,
) -> ImportReport:
    """Validate against the database; unless a dry run, write (or raise ImportRejected)."""
    target = check(services, plan, report, create_statuses=create_statuses)
    if report.errors or report.hidden_errors:
        return refuse(report)
    if not report.dry_run:
        try:
            written = imports.write_plan(services, plan, target, ticker, report.path)
        except imports.PlanChanged as exc:
            raise BadFile(report.path, "the file changed while it was being imported") from exc
        report.key_map.update(written.key_map)
        report.committed = True
    return report
