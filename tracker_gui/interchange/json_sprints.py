"""The sprints of a tracker-gui JSON file (version 3), checked like the rest of the file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from tracker_gui.domain import sprints as sprint_rules
from tracker_gui.domain.sprints import SprintState
from tracker_gui.interchange.report import ImportReport
from tracker_gui.interchange.shape import get, objects

Doc = dict[str, Any]
_OPT_STR = (str, type(None))
_OPT_INT = (int, type(None))


class Checker(Protocol):
    """What json_import's Checker lends: its report, its rules, the sprint names seen."""

    sprint_names: set[tuple[str, str]]

    @property
    def report(self) -> ImportReport: ...

    def rule(self, where: str, check: Callable[..., object], *args: Any) -> None: ...

    def text(self, where: str, value: str, max_bytes: int = 10_000_000) -> None: ...

    def time(self, where: str, value: Any, optional: bool = False) -> None: ...


def check(checker: Checker, doc: Doc, projects: list[Doc]) -> list[Doc]:
    """Version 3: the sprints, then the sprint each issue names (one of its project's)."""
    keys = {p["key"] for p in projects}
    out = []
    for where, item in objects(doc, "sprints", ""):
        key = get(item, "project", str, where)
        if key not in keys:
            checker.report.error(f"{where}.project", f"no project {key!r} in the file")
        name = get(item, "name", str, where)
        checker.rule(f"{where}.name", sprint_rules.name, name)
        if (key, name.casefold()) in {(k, n.casefold()) for k, n in checker.sprint_names}:
            checker.report.error(f"{where}.name", f"sprint {name!r} is listed twice in {key}")
        checker.sprint_names.add((key, name))
        start, end = get(item, "start", str, where), get(item, "end", str, where)
        checker.rule(f"{where}.end", sprint_rules.span, start, end)
        checker.text(f"{where}.goal", get(item, "goal", str, where, ""), sprint_rules.GOAL_MAX)
        state = get(item, "state", str, where, "planned")
        checker.rule(f"{where}.state", SprintState, state)
        for figure in ("scope_start", "scope_close", "done_close"):
            if (get(item, figure, _OPT_INT, where, None) or 0) < 0:
                checker.report.error(f"{where}.{figure}", "must be 0 or more")
        for name in ("started_at", "closed_at"):
            checker.time(f"{where}.{name}", item.get(name), optional=True)
        out.append(item)
    active = [s["project"] for s in out if s.get("state") == "active"]
    for key in {k for k in active if active.count(k) > 1}:
        checker.report.error("sprints", f"{key} has more than one active sprint")
    for where, project in objects(doc, "projects", ""):
        for i_where, issue in objects(project, "issues", where):
            name = get(issue, "sprint", _OPT_STR, i_where, None)
            if name is not None and (project["key"], name) not in checker.sprint_names:
                checker.report.error(f"{i_where}.sprint", f"no sprint {name!r} in the project")
    return out
