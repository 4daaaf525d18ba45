"""Compiled-SQL reuse: the same answers as a fresh compile, and a bounded cache."""

from __future__ import annotations

from tracker_gui.domain.enums import IssueType
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.services import Services
from tracker_gui.storage.prepared import CompiledCache


def test_repeated_searches_follow_the_data(services: Services) -> None:
    """A cached search is SQL text only: new rows, edits and deletes show at once."""
    services.projects.ensure_project("TRK", "Tracker")
    bug = services.issues.create(NewIssue("TRK", "Crash on save", IssueType.BUG))
    flt = IssueFilter(types=(IssueType.BUG,))
    assert [i.key for i in services.issues.search(flt)] == ["TRK-1"]
    services.issues.create(NewIssue("TRK", "Crash on load", IssueType.BUG, labels=("ui",)))
    found = services.issues.search(flt)
    assert [(i.key, i.labels) for i in found] == [("TRK-1", ()), ("TRK-2", ("ui",))]
    services.issues.edit(bug.id, bug.version, {"type": IssueType.TASK})
    assert [i.key for i in services.issues.search(flt)] == ["TRK-2"]
    assert services.issues.count_by_status(flt) == {found[1].status_id: 1}
    assert services.issues.get(bug.id).type is IssueType.TASK


def test_cache_is_bounded_and_keeps_recent() -> None:
    cache = CompiledCache(size=2)
    built: list[str] = []

    def build(key: str) -> str:
        built.append(key)
        return key.upper()

    assert cache.get("a", lambda: build("a")) == "A"
    assert cache.get("b", lambda: build("b")) == "B"
    assert cache.get("a", lambda: build("a")) == "A"  # reused, and now the most recent
    cache.get("c", lambda: build("c"))  # evicts b, the least recent
    cache.get("a", lambda: build("a"))
    cache.get("b", lambda: build("b"))
    assert built == ["a", "b", "c", "b"]
