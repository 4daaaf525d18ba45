"""The label filter and `list --text` on SQLite: the same answers, through the indexes.

A label filter used to join every issue's labels (`lower(label.name) IN ...` over a scan
of issue_label); `--text` folded every title and description through a Python function.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.services import Services


@contextmanager
def sent_selects(services: Services) -> Iterator[list[str]]:
    sent: list[str] = []
    conn = services.database.peewee.connection()
    conn.set_trace_callback(lambda sql: sent.append(sql) if sql.startswith("SELECT") else None)
    try:
        yield sent
    finally:
        conn.set_trace_callback(None)


def _keys(services: Services, flt: IssueFilter) -> list[str]:
    return [i.key for i in services.issues.search(flt, sort="key")]


@pytest.fixture
def seeded(backend: str, services: Services) -> Services:
    services.projects.ensure_project("TRK", "Tracker")
    for title, description, labels in [
        ("Ärger im Büro", "", ("Ärger",)),
        ("Plain ASCII", "a 4 \u212a heater", ("ui",)),  # U+212A KELVIN SIGN folds to "k"
        ("Discount 100% off_line", "", ("UI", "db")),
        ("Nothing here", "", ()),
    ]:
        services.issues.create(NewIssue("TRK", title, description=description, labels=labels))
    return services


def test_label_filter_ignores_case(seeded: Services) -> None:
    assert _keys(seeded, IssueFilter(labels=("ui",))) == ["TRK-2", "TRK-3"]
    assert _keys(seeded, IssueFilter(labels=("Ärger", "DB"))) == ["TRK-1", "TRK-3"]
    if seeded.database.is_sqlite:
        # PostgreSQL's lower() folds what the database's collation folds (ASCII under "C").
        assert _keys(seeded, IssueFilter(labels=("ärger",))) == ["TRK-1"]
        assert _keys(seeded, IssueFilter(labels=("ÄRGER", "db"))) == ["TRK-1", "TRK-3"]


def test_text_folds_every_script_and_keeps_wildcards_literal(seeded: Services) -> None:
    assert _keys(seeded, IssueFilter(text="ärger")) == ["TRK-1"]
    assert _keys(seeded, IssueFilter(text="BÜRO")) == ["TRK-1"]
    assert _keys(seeded, IssueFilter(text="k")) == ["TRK-2"]  # the Kelvin sign folds to k
    assert _keys(seeded, IssueFilter(text="4 heat")) == ["TRK-2"]
    assert _keys(seeded, IssueFilter(text="100%")) == ["TRK-3"]
    assert _keys(seeded, IssueFilter(text="f_l")) == ["TRK-3"]
    assert _keys(seeded, IssueFilter(text="0%o")) == []  # "%" is a percent sign, not "any"


# SQLite only: reads SQLite's query plan.
@pytest.mark.parametrize("backend", ["sqlite"])
def test_label_filter_reads_the_label_index(seeded: Services) -> None:
    project = seeded.projects.project("TRK")
    with sent_selects(seeded) as sent:
        seeded.issues.search(IssueFilter(project_ids=(project.id,), labels=("ui",)))
    conn = seeded.database.peewee.connection()
    plan = " | ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sent[0]))
    assert "SCAN" not in plan.replace("SCAN CONSTANT ROW", ""), plan
    assert "issue_label_label_id_issue_id (label_id=?)" in plan, plan


# SQLite only: counts calls of the SQLite connection's Python function.
@pytest.mark.parametrize("backend", ["sqlite"])
def test_text_filter_folds_in_python_only_rows_that_need_it(seeded: Services) -> None:
    folded: list[str | None] = []
    conn = seeded.database.peewee.connection()

    def lower(text: str | None) -> str | None:
        folded.append(text)
        return None if text is None else text.lower()

    conn.create_function("tracker_lower", 1, lower)
    assert _keys(seeded, IssueFilter(text="plain")) == ["TRK-2"]
    # Only texts that hold characters outside ASCII went through Python.
    assert "Ärger im Büro" in folded
    assert [t for t in folded if t is None or t.isascii()] == []


def test_labels_beside_a_status_and_an_assignee(seeded: Services) -> None:
    """The bench's three-field filter: the same issues on both backends (SQLite asks each
    candidate's own (issue, label) key instead of listing every labelled issue first)."""
    project = seeded.projects.project("TRK")
    todo = seeded.projects.statuses(project.id)[0]
    seeded.projects.ensure_user("bob")
    for title, labels, assignee in [
        ("mine", ("ui",), "bob"),
        ("mine too", ("UI", "db"), "bob"),
        ("not labelled", (), "bob"),
        ("someone else's", ("ui",), None),
    ]:
        seeded.issues.create(NewIssue("TRK", title, labels=labels, assignee=assignee))
    flt = IssueFilter(
        project_ids=(project.id,), status_ids=(todo.id,), assignees=("bob",), labels=("ui",)
    )
    assert _keys(seeded, flt) == ["TRK-5", "TRK-6"]
    if seeded.database.is_sqlite:
        with sent_selects(seeded) as sent:
            seeded.issues.search(flt)
        conn = seeded.database.peewee.connection()
        plan = " | ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sent[0]))
        assert "CORRELATED SCALAR SUBQUERY" in plan, plan
        assert "USING PRIMARY KEY (issue_id=? AND label_id=?)" in plan, plan
