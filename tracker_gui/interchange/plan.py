"""The rules a planned import obeys before anything is written (its shape: services.import_plan)."""

from __future__ import annotations

from collections.abc import Callable

from tracker_gui.domain import validation
from tracker_gui.errors import ValidationError
from tracker_gui.interchange.report import ImportReport
from tracker_gui.services.import_plan import (
    USES_SHOWN,
    PlannedComment,
    PlannedIssue,
    PlannedLink,
    PlannedUser,
    ProjectPlan,
    Target,
)

__all__ = [
    "USES_SHOWN",
    "PlannedComment",
    "PlannedIssue",
    "PlannedLink",
    "PlannedUser",
    "ProjectPlan",
    "Target",
    "clean_issue",
    "parents_first",
]


def clean_issue(report: ImportReport, issue: PlannedIssue) -> bool:
    """Apply the field rules every write obeys; each broken rule is an error naming the field."""
    ok = True

    def check(what: str, step: Callable[[], object]) -> None:
        nonlocal ok
        try:
            step()
        except ValidationError as exc:
            report.error(f"{issue.where}, {what}", str(exc))
            ok = False

    def title() -> None:
        issue.title = validation.title(issue.title)

    def description() -> None:
        issue.description = validation.description(issue.description)

    def people() -> None:
        for name in (issue.assignee, issue.reporter, *issue.watchers):
            if name is not None:
                validation.username(name)

    def labels() -> None:
        issue.labels = tuple(
            dict.fromkeys(
                validation.name("label", label, limit=validation.LABEL_MAX)
                for label in issue.labels
            )
        )

    def estimate() -> None:
        validation.estimate(issue.estimate)

    check("title", title)
    check("description", description)
    check("people", people)
    check("labels", labels)
    check("estimate", estimate)
    check("status", lambda: validation.name("status", issue.status))
    for n, comment in enumerate(issue.comments, 1):

        def body(comment: PlannedComment = comment) -> None:
            comment.body = validation.comment(comment.body)
            validation.username(comment.author)

        check(f"comment {n}", body)
    return ok


def parents_first(issues: list[PlannedIssue], report: ImportReport) -> list[PlannedIssue]:
    """The same issues, each parent moved before its children; a parent cycle is an error."""
    by_ref = {i.ref: i for i in issues}
    placed: set[str] = set()
    out: list[PlannedIssue] = []
    for issue in issues:
        chain: list[PlannedIssue] = []
        walk: PlannedIssue | None = issue
        while walk is not None and walk.ref not in placed:
            if walk in chain:
                report.error(f"{walk.where}, parent", f"{walk.ref} is its own ancestor")
                break
            chain.append(walk)
            walk = by_ref.get(walk.parent) if walk.parent else None
        for item in reversed(chain):
            if item.ref not in placed:
                placed.add(item.ref)
                out.append(item)
    return out
