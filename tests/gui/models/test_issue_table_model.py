"""The issue table model: paging, SQL-side sorting and incremental updates from the store."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import Issue, IssueFilter
from tracker_gui.services import Services
from tracker_gui.services.demo import fill_demo
from tracker_gui.ui.models.issue_table_model import (
    COLUMNS,
    KEY,
    PAGE,
    PRIORITY,
    STATUS,
    TITLE,
    UPDATED,
    IssueRole,
    IssueTableModel,
    relative_time,
)
from tracker_gui.ui.store import Store


class Recorder:
    """Counts the structural signals a model emits."""

    def __init__(self, model: IssueTableModel) -> None:
        self.resets = self.inserted = self.removed = self.moved = self.changed = 0
        model.modelReset.connect(self._reset)
        model.rowsInserted.connect(self._inserted)
        model.rowsRemoved.connect(self._removed)
        model.rowsMoved.connect(self._moved)
        model.dataChanged.connect(self._changed)

    def _reset(self) -> None:
        self.resets += 1

    def _inserted(self, *_: object) -> None:
        self.inserted += 1

    def _removed(self, *_: object) -> None:
        self.removed += 1

    def _moved(self, *_: object) -> None:
        self.moved += 1

    def _changed(self, *_: object) -> None:
        self.changed += 1


def keys(model: IssueTableModel) -> list[str]:
    return [model.index(r, KEY).data() for r in range(model.rowCount())]


def test_model_passes_the_model_tester(
    qtmodeltester: object, store: Store, three_issues: list[Issue]
) -> None:
    model = IssueTableModel(store)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 3
    assert model.columnCount() == len(COLUMNS)
    assert model.headerData(TITLE, Qt.Orientation.Horizontal) == "Title"


def test_cells_show_what_a_user_reads(store: Store, three_issues: list[Issue]) -> None:
    model = IssueTableModel(store)
    model.sort(KEY, Qt.SortOrder.AscendingOrder)
    assert keys(model) == ["TRK-1", "TRK-2", "TRK-3"]
    assert model.index(0, TITLE).data() == "Write the importer"
    assert model.index(0, STATUS).data() == "To Do"
    assert model.index(1, PRIORITY).data() == "High"
    assert model.index(0, COLUMNS.index("Assignee")).data() == "alice"
    assert model.index(0, COLUMNS.index("Labels")).data() == "backend"
    assert model.index(0, UPDATED).data() == "just now"
    assert model.index(1, COLUMNS.index("Type")).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(2, KEY).data(IssueRole).title == "Plan the release"


def test_rows_page_in_two_hundred_at_a_time(
    qtmodeltester: object, store: Store, gui_services: Services
) -> None:
    fill_demo(gui_services, issues=500, seed=1, project_key="DEMO")
    expected = gui_services.issues.count(IssueFilter())  # the demo archives a few
    assert 2 * PAGE < expected <= 500
    model = IssueTableModel(store)
    assert model.rowCount() == PAGE
    assert model.total == expected
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE
    model.fetchMore(QModelIndex())
    assert model.rowCount() == expected
    assert not model.canFetchMore(QModelIndex())
    assert len({model.index(r, KEY).data() for r in range(expected)}) == expected
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_sorting_is_done_by_the_database(store: Store, gui_services: Services) -> None:
    fill_demo(gui_services, issues=300, seed=2, project_key="DEMO")
    model = IssueTableModel(store)
    model.sort(KEY, Qt.SortOrder.DescendingOrder)
    assert model.sort_key == "-key"
    newest = gui_services.issues.search(IssueFilter(), sort="-key", limit=1)[0]
    assert model.index(0, KEY).data() == newest.key
    assert model.rowCount() == PAGE  # still paged: the order came from SQL, not from 200 rows
    model.sort(KEY, Qt.SortOrder.AscendingOrder)
    first = [i.key for i in gui_services.issues.search(IssueFilter(), sort="key", limit=3)]
    assert keys(model)[:3] == first
    model.sort(PRIORITY, Qt.SortOrder.DescendingOrder)
    priorities = [model.index(r, PRIORITY).data(IssueRole).priority for r in range(PAGE)]
    assert priorities == sorted(priorities, reverse=True)
    model.sort(TITLE, Qt.SortOrder.AscendingOrder)
    titles = [model.index(r, TITLE).data() for r in range(model.rowCount())]
    assert titles == sorted(titles)


def test_an_order_the_database_does_not_offer_changes_nothing(
    store: Store, three_issues: list[Issue]
) -> None:
    model = IssueTableModel(store)
    before = (model.sort_key, keys(model))
    model.sort(COLUMNS.index("Labels"), Qt.SortOrder.AscendingOrder)
    assert (model.sort_key, keys(model)) == before
    assert not model.can_sort(COLUMNS.index("Labels"), Qt.SortOrder.DescendingOrder)
    assert model.can_sort(COLUMNS.index("Assignee"), Qt.SortOrder.AscendingOrder)


def test_an_edit_changes_its_row_without_a_reset(
    qtbot: QtBot, store: Store, three_issues: list[Issue]
) -> None:
    model = IssueTableModel(store)
    model.sort(KEY, Qt.SortOrder.AscendingOrder)
    seen = Recorder(model)
    with qtbot.waitSignal(model.dataChanged):
        store.edit_issue(three_issues[1], {"title": "Fix the crash on start-up"})
    assert model.index(1, TITLE).data() == "Fix the crash on start-up"
    assert (seen.resets, seen.inserted, seen.removed) == (0, 0, 0)


def test_an_edit_that_changes_the_order_moves_the_row(
    store: Store, three_issues: list[Issue]
) -> None:
    model = IssueTableModel(store)  # newest update first
    assert keys(model)[0] == "TRK-3"
    seen = Recorder(model)
    store.edit_issue(three_issues[0], {"priority": "highest"})
    assert keys(model)[0] == "TRK-1"
    assert seen.resets == 0
    assert seen.moved == 1
    assert model.rowCount() == 3


def test_a_new_issue_is_inserted_where_it_sorts(
    store: Store, three_issues: list[Issue], make_issue: Callable[..., Issue]
) -> None:
    model = IssueTableModel(store)
    model.sort(KEY, Qt.SortOrder.DescendingOrder)
    seen = Recorder(model)
    make_issue("Brand new")
    assert keys(model) == ["TRK-4", "TRK-3", "TRK-2", "TRK-1"]
    assert (seen.resets, seen.inserted) == (0, 1)
    assert model.total == 4


def test_a_new_issue_beyond_the_loaded_rows_only_counts(
    store: Store, gui_services: Services, make_issue: Callable[..., Issue]
) -> None:
    fill_demo(gui_services, issues=250, seed=3, project_key="DEMO")
    model = IssueTableModel(store)
    model.sort(KEY, Qt.SortOrder.AscendingOrder)  # DEMO-* first, TRK-* sorts after them
    before = model.total
    seen = Recorder(model)
    make_issue("Lands after every loaded row")
    assert model.rowCount() == PAGE
    assert seen.inserted == 0
    assert model.total == before + 1
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert keys(model)[-1] == "TRK-1"
    assert model.rowCount() == before + 1


def test_an_issue_that_leaves_the_filter_is_removed(
    store: Store, three_issues: list[Issue], trk: object
) -> None:
    todo = store.statuses(three_issues[0].project_id)[0]
    store.set_filter(IssueFilter(status_ids=(todo.id,)))
    model = IssueTableModel(store)
    assert model.rowCount() == 3
    seen = Recorder(model)
    in_progress = store.statuses(three_issues[0].project_id)[1]
    store.move_issue(three_issues[0], in_progress.id)
    assert model.rowCount() == 2
    assert "TRK-1" not in keys(model)
    assert (seen.resets, seen.removed) == (0, 1)
    assert model.total == 2


def test_a_filter_change_requeries(store: Store, three_issues: list[Issue]) -> None:
    model = IssueTableModel(store)
    store.set_filter(dataclasses.replace(store.filter, text="crash"))
    assert keys(model) == ["TRK-2"]
    store.set_filter(IssueFilter())
    assert model.rowCount() == 3


def test_a_filter_change_patches_rows_and_keeps_the_kept_ones(
    qtmodeltester: object, store: Store, three_issues: list[Issue]
) -> None:
    model = IssueTableModel(store)
    model.sort(KEY, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    seen = Recorder(model)
    first, second, third = (QPersistentModelIndex(model.index(r, TITLE)) for r in range(3))
    store.set_filter(dataclasses.replace(store.filter, priorities=(three_issues[0].priority,)))
    assert keys(model) == ["TRK-1", "TRK-3"]
    assert (seen.resets, seen.removed, seen.inserted) == (0, 1, 0)
    assert (first.row(), first.data()) == (0, "Write the importer")
    assert (third.row(), third.data()) == (1, "Plan the release")
    assert not second.isValid()
    store.set_filter(IssueFilter())
    assert keys(model) == ["TRK-1", "TRK-2", "TRK-3"]
    assert (seen.resets, seen.inserted) == (0, 1)
    assert (first.row(), third.row()) == (0, 2)
    assert model.row_of(three_issues[2].id) == 2


def test_changes_made_elsewhere_arrive_through_the_feed(
    store: Store, three_issues: list[Issue], other_services: Services
) -> None:
    model = IssueTableModel(store)
    model.sort(KEY, Qt.SortOrder.AscendingOrder)
    current = other_services.issues.get(three_issues[2].id)
    other_services.issues.edit(current.id, current.version, {"title": "Plan the 1.0 release"})
    assert store.poll() > 0
    assert model.index(2, TITLE).data() == "Plan the 1.0 release"


@pytest.mark.parametrize(
    ("seconds", "text"), [(5, "just now"), (300, "5 min ago"), (7200, "2 h ago")]
)
def test_relative_times(seconds: int, text: str) -> None:
    import datetime as dt

    now = dt.datetime(2025, 6, 1, 12, 0, 0)
    assert relative_time(now - dt.timedelta(seconds=seconds), now) == text
