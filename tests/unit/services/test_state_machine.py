"""Random sequences of issue operations on both backends, checked against a plain model.

The model is a dict of issues plus, per status, the order of its cards (archived ones keep
their place, hidden, so a restored card reappears where it was). After every step the
database must match the model, every column must show the model's order, and replaying
each issue's Change log must give its current state.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tracker_gui.domain import history
from tracker_gui.domain.enums import Priority
from tracker_gui.domain.models import Change, IssueFilter, NewIssue
from tracker_gui.services import open_services
from tracker_gui.services.backups import BackupService

USERS = (None, "bob", "carol")
LABELS = ("Backend", "bug", "ui")
STATUSES = ("To Do", "In Progress", "In Review", "Done")

titles = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip() != "")
priorities = st.sampled_from(list(Priority))
assignees = st.sampled_from(USERS)
label_sets = st.frozensets(st.sampled_from(LABELS), max_size=2)


@dataclass(frozen=True)
class ModelIssue:
    title: str
    status: str
    priority: Priority
    assignee: str | None
    labels: tuple[str, ...]
    archived: bool = False


class IssueBoardMachine(RuleBasedStateMachine):
    """Drives IssueService; `open_target` (set per backend) gives a fresh, empty database."""

    open_target: ClassVar[Callable[[], str]]

    def __init__(self) -> None:
        super().__init__()
        self.issues: dict[int, ModelIssue] = {}
        self.order: dict[str, list[int]] = {name: [] for name in STATUSES}
        self.target = type(self).open_target()
        self.s = open_services(self.target, create=True, actor="alice")
        # (backup file, model issues, model order) from the last `take_backup`.
        self.saved: tuple[Path, dict[int, ModelIssue], dict[str, list[int]]] | None = None
        project, _ = self.s.projects.ensure_project("SM")
        for user in USERS[1:]:
            assert user is not None
            self.s.projects.ensure_user(user)
        self.project_id = project.id
        self.status_ids = {st.name: st.id for st in self.s.projects.statuses(project.id)}
        assert tuple(self.status_ids) == STATUSES

    # -- helpers ---------------------------------------------------------------------------
    def _version(self, issue_id: int) -> int:
        return self.s.issues.get(issue_id).version

    def _pick(self, data: st.DataObject, *, archived: bool | None = None) -> int:
        ids = sorted(
            i for i, m in self.issues.items() if archived is None or m.archived == archived
        )
        return data.draw(st.sampled_from(ids), label="issue")

    def _visible(self, status: str) -> list[int]:
        return [i for i in self.order[status] if not self.issues[i].archived]

    def _has(self, archived: bool | None = None) -> bool:
        return any(archived is None or m.archived == archived for m in self.issues.values())

    # -- rules -----------------------------------------------------------------------------
    @rule(
        title=titles,
        priority=priorities,
        assignee=assignees,
        labels=label_sets,
        status=st.sampled_from(STATUSES),
    )
    def create(
        self,
        title: str,
        priority: Priority,
        assignee: str | None,
        labels: frozenset[str],
        status: str,
    ) -> None:
        issue = self.s.issues.create(
            NewIssue(
                "SM",
                title,
                priority=priority,
                assignee=assignee,
                labels=tuple(sorted(labels)),
                status=status,
            )
        )
        self.issues[issue.id] = ModelIssue(
            title.strip(), status, priority, assignee, tuple(sorted(labels))
        )
        self.order[status].append(issue.id)

    @precondition(lambda self: self._has())
    @rule(data=st.data())
    def edit(self, data: st.DataObject) -> None:
        issue_id = self._pick(data)
        fields: dict[str, Any] = data.draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "title": titles,
                    "priority": priorities,
                    "assignee": assignees,
                    "labels": label_sets.map(sorted),
                },
            ),
            label="changes",
        )
        self.s.issues.edit(issue_id, self._version(issue_id), fields)
        model = self.issues[issue_id]
        if "title" in fields:
            model = replace(model, title=fields["title"].strip())
        if "priority" in fields:
            model = replace(model, priority=fields["priority"])
        if "assignee" in fields:
            model = replace(model, assignee=fields["assignee"])
        if "labels" in fields:
            model = replace(model, labels=tuple(fields["labels"]))
        self.issues[issue_id] = model

    def _drag(self, data: st.DataObject, issue_id: int, to: str, where: str) -> None:
        """Drop a card at the end of column `to`, or just below / above one of its cards."""
        current = self.issues[issue_id].status
        others = [i for i in self._visible(to) if i != issue_id]
        if where == "end" or not others:
            self.s.issues.move(issue_id, self._version(issue_id), self.status_ids[to])
            if to != current:
                self.order[current].remove(issue_id)
                self.order[to].append(issue_id)
        else:
            neighbour = data.draw(st.sampled_from(others), label="neighbour")
            after, before = (neighbour, None) if where == "after" else (None, neighbour)
            self.s.issues.move(
                issue_id,
                self._version(issue_id),
                self.status_ids[to],
                after_id=after,
                before_id=before,
            )
            self.order[current].remove(issue_id)
            at = self.order[to].index(neighbour) + (1 if where == "after" else 0)
            self.order[to].insert(at, issue_id)
        self.issues[issue_id] = replace(self.issues[issue_id], status=to)

    @precondition(lambda self: self._has(archived=False))
    @rule(
        data=st.data(),
        to=st.sampled_from(STATUSES),
        where=st.sampled_from(["end", "after", "before"]),
    )
    def move(self, data: st.DataObject, to: str, where: str) -> None:
        self._drag(data, self._pick(data, archived=False), to, where)

    @precondition(lambda self: self._has(archived=False))
    @rule(data=st.data(), where=st.sampled_from(["after", "before"]))
    def reorder(self, data: st.DataObject, where: str) -> None:
        issue_id = self._pick(data, archived=False)
        self._drag(data, issue_id, self.issues[issue_id].status, where)

    @precondition(lambda self: self._has(archived=False))
    @rule(data=st.data())
    def archive(self, data: st.DataObject) -> None:
        issue_id = self._pick(data, archived=False)
        self.s.issues.archive(issue_id, self._version(issue_id))
        self.issues[issue_id] = replace(self.issues[issue_id], archived=True)

    @precondition(lambda self: self._has(archived=True))
    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        issue_id = self._pick(data, archived=True)
        self.s.issues.archive(issue_id, self._version(issue_id), archived=False)
        self.issues[issue_id] = replace(self.issues[issue_id], archived=False)

    @precondition(lambda self: self._has())
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        issue_id = self._pick(data)
        self.s.issues.delete(issue_id, self._version(issue_id))
        self.order[self.issues.pop(issue_id).status].remove(issue_id)

    @rule()
    def reopen(self) -> None:
        """Close and open the database again, as quitting and restarting the app does."""
        self.s.close()
        self.s = open_services(self.target, actor="alice")

    @precondition(lambda self: self.s.database.is_sqlite)
    @rule()
    def take_backup(self) -> None:
        info = BackupService(self.s.database).backup_now("manual")
        self.saved = (
            info.path,
            dict(self.issues),
            {name: list(ids) for name, ids in self.order.items()},
        )

    @precondition(lambda self: self.saved is not None and self.saved[0].exists())
    @rule()
    def restore_backup(self) -> None:
        """Restore the last backup: the database and the model go back to that moment."""
        assert self.saved is not None
        path, issues, order = self.saved
        BackupService(self.s.database).restore(path)
        self.issues = dict(issues)
        self.order = {name: list(ids) for name, ids in order.items()}
        self.s.close()
        self.s = open_services(self.target, actor="alice")

    # -- checks ----------------------------------------------------------------------------
    @invariant()
    def database_matches_the_model(self) -> None:
        """Fields, board columns, rank order and history, read back in a handful of queries."""
        names = {v: k for k, v in self.status_ids.items()}
        everything = self.s.issues.search(
            IssueFilter(project_ids=(self.project_id,), include_archived=True), sort="rank"
        )
        stored = {
            i.id: ModelIssue(
                i.title, names[i.status_id], i.priority, i.assignee, i.labels, i.archived
            )
            for i in everything
        }
        assert stored == self.issues

        for name, status_id in self.status_ids.items():
            # What the board shows...
            shown = self.s.issues.column(status_id, IssueFilter(project_ids=(self.project_id,)))
            assert [i.id for i in shown] == self._visible(name), f"column {name}"
            # ...and where archived cards wait, so a restored card comes back to its place.
            cards = [i for i in everything if i.status_id == status_id]
            ranks = [i.rank for i in cards]
            assert len(set(ranks)) == len(ranks), f"duplicate ranks in {name}: {ranks}"
            assert [i.id for i in cards] == self.order[name], f"rank order of {name}"

        # The Change log replays to each issue's state (one read of the whole log).
        log: dict[int, list[Change]] = {}
        for change in self.s.feed.changes_since(0, limit=1_000_000):
            if change.issue_id is not None:
                log.setdefault(change.issue_id, []).append(change)
        for issue in everything:
            assert history.replay(log[issue.id], history.state_of(issue)) == history.state_of(
                issue
            ), issue.key

    def teardown(self) -> None:
        try:
            # Once per run, through the API the activity pane uses: one issue's history.
            for issue_id in self.issues:
                issue = self.s.issues.get(issue_id)
                assert history.replay(
                    self.s.feed.history(issue_id), history.state_of(issue)
                ) == history.state_of(issue)
        finally:
            self.s.close()


def run_machine(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, **limits: Any
) -> None:
    """Run the machine with one database per run: a new file, or one PostgreSQL database
    emptied between examples (cheaper than CREATE DATABASE each time)."""
    counter = itertools.count(1)
    if backend == "postgres":
        pg = request.getfixturevalue("pg_databases")
        name, url = pg.create()
        request.addfinalizer(lambda: pg.release(name))

        def open_target() -> str:
            if next(counter) > 1 and not pg.reset(name):
                raise AssertionError("the state machine database could not be emptied")
            return str(url)

    else:

        def open_target() -> str:
            return str(tmp_path / f"machine-{next(counter)}.db")

    machine = type(
        "IssueBoardMachine_" + backend,
        (IssueBoardMachine,),
        {"open_target": staticmethod(open_target)},
    )
    run_state_machine_as_test(
        machine,
        settings=settings(
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            **limits,
        ),
    )


def test_issue_board_matches_a_plain_model(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> None:
    """The quick run. It reports a failing sequence as found, without shrinking it: with a
    database per example, shrinking can take minutes. The slow variant shrinks."""
    run_machine(
        request,
        backend,
        tmp_path,
        max_examples=25,
        stateful_step_count=20,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )


@pytest.mark.slow
def test_issue_board_matches_a_plain_model_at_length(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> None:
    """Longer runs, with shrinking: reopening and backup/restore (SQLite) between steps.
    CI runs it in its `slow` step (.ci/run)."""
    run_machine(request, backend, tmp_path, max_examples=50, stateful_step_count=40)
