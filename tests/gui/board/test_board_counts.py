"""Board counts stay exact under live changes without re-counting; lanes load as they scroll in."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from tests.gui.board_data import (
    add_issues,
    bulk_issues,
    header_counts,
    ranked_ids,
    shown_board,
    statuses,
)
from tracker_gui.domain.enums import Priority, StatusCategory
from tracker_gui.domain.models import IssueFilter
from tracker_gui.services import Services
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store


@pytest.fixture
def count_queries(board_store: Store, monkeypatch: pytest.MonkeyPatch) -> list[IssueFilter]:
    seen: list[IssueFilter] = []
    real = board_store.counts_by_status

    def spy(flt: IssueFilter | None = None) -> dict[int, int]:
        seen.append(flt or board_store.filter)
        return real(flt)

    monkeypatch.setattr(board_store, "counts_by_status", spy)
    return seen


def test_remote_changes_to_unloaded_cards_keep_exact_counts_without_a_query(
    board_services: Services,
    board_store: Store,
    board_settings: Settings,
    bob: Services,
    count_queries: list[IssueFilter],
    qtbot: QtBot,
) -> None:
    todo, _, _, done = statuses(board_services)
    bulk_issues(board_services, 250, todo.id)
    board = shown_board(board_store, board_services, board_settings, qtbot)
    assert header_counts(board, board_services) == ["250", "0", "0", "0"]
    built = len(count_queries)
    order = ranked_ids(board_services, todo.id)
    moved, renamed, archived = (bob.issues.get(order[n]) for n in (240, 230, 220))  # unloaded
    bob.issues.move(moved.id, moved.version, done.id)
    bob.issues.edit(renamed.id, renamed.version, {"title": "Renamed far away"})
    bob.issues.archive(archived.id, archived.version)
    board_store.poll()
    qtbot.wait(RECOUNT_WAIT)
    assert header_counts(board, board_services) == ["248", "0", "0", "1"]
    assert len(count_queries) == built  # the Change rows said it all


def test_a_filter_beyond_the_project_falls_back_to_one_recount(
    board_services: Services,
    board_store: Store,
    board_settings: Settings,
    bob: Services,
    count_queries: list[IssueFilter],
    qtbot: QtBot,
) -> None:
    todo, doing, *_ = statuses(board_services)
    bulk_issues(board_services, 250, todo.id)
    board = shown_board(board_store, board_services, board_settings, qtbot)
    board_store.set_filter(IssueFilter(priorities=(Priority.MEDIUM,)))
    assert header_counts(board, board_services)[0] == "250"
    before = len(count_queries)
    deep = bob.issues.get(ranked_ids(board_services, todo.id)[240])
    bob.issues.edit(deep.id, deep.version, {"priority": Priority.HIGH})  # leaves the filter
    board_store.poll()
    qtbot.waitUntil(lambda: header_counts(board, board_services)[0] == "249")
    assert len(count_queries) == before + 1
    assert doing.category == StatusCategory.IN_PROGRESS


def test_swimlanes_load_their_cards_when_scrolled_into_view(
    board_services: Services, board_store: Store, board_settings: Settings, qtbot: QtBot
) -> None:
    for n in range(8):
        board_services.projects.ensure_user(f"user{n}", f"User {n}")
        add_issues(board_services, 5, assignee=f"user{n}")
    board_settings.set("ui/swimlanes", "assignee")
    board = shown_board(board_store, board_services, board_settings, qtbot)
    lanes = board.lane_headers()
    titles = [
        "alice",
        *(f"User {n} (user{n})" for n in range(8)),
        "Unassigned",
    ]  # me shows, though idle
    assert [h.lane.title for h in lanes] == titles
    assert [h.count.text() for h in lanes[1:9]] == ["5 issues"] * 8
    loaded = {la.title for _, la, model, _ in board.cells() if la and model.is_loaded()}
    assert "User 0 (user0)" in loaded and "User 7 (user7)" not in loaded
    bar = board.body.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(
        lambda: all(
            m.is_loaded() for _, la, m, _ in board.cells() if la and la.title == "User 7 (user7)"
        )
    )
    todo = statuses(board_services)[0]
    user7 = next(
        m for s, la, m, _ in board.cells() if la and la.title == "User 7 (user7)" and s == todo
    )
    assert user7.rowCount() == 5


RECOUNT_WAIT = 400  # ms: longer than the board's recount debounce, to prove none happens
