"""A subset of the service tests, run again on a secured database (triggers write history).

The tests are the very functions of test_issues.py and test_projects.py; only their `board`
comes from here: project TRK made by the superuser, and logins alice (admin) and bob, carol,
dave (members), the services acting as alice through her own login. Left out: the tests that
make a second project as alice (on a secured database only a superuser creates projects).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.pgcluster import PgCluster
from tests.support.secured import drop, make_secured
from tests.unit.conftest import Board
from tests.unit.services.test_issues import (  # noqa: F401
    test_a_move_that_changes_nothing_writes_nothing,
    test_a_restricted_workflow_refuses_forbidden_moves_and_stores_nothing,
    test_a_stale_save_that_would_change_nothing_is_still_a_conflict,
    test_an_edit_that_changes_nothing_writes_nothing,
    test_archive_and_restore,
    test_attach_stores_the_bytes_and_refuses_oversized_files,
    test_bulk_move_appends_each_issue_with_its_own_rank_and_resolves_them,
    test_bulk_move_is_all_or_nothing,
    test_create_in_a_done_status_is_resolved_at_once,
    test_create_stores_every_field_and_logs_one_created_change,
    test_delete_removes_the_issue_but_keeps_its_history,
    test_deleting_a_parent_is_recorded_in_the_childrens_history,
    test_drop_positions_in_a_column,
    test_editing_several_fields_logs_one_change_each,
    test_history_replays_to_the_current_state_after_many_kinds_of_change,
    test_link_and_unlink,
    test_many_moves_keep_the_column_order_a_plain_list_predicts,
    test_move_to_another_status_logs_status_and_rank,
    test_new_issues_go_to_the_bottom_of_their_column,
    test_reorder_logs_only_the_rank,
    test_resolved_at_is_set_entering_done_and_cleared_leaving_it,
    test_restored_issues_keep_a_unique_place_in_their_column,
    test_undo_never_takes_a_rank_an_archived_card_holds,
    test_undo_puts_a_card_back_at_its_exact_rank,
    test_unknown_project_is_not_found,
    test_watch_and_unwatch,
)
from tests.unit.services.test_projects import (  # noqa: F401
    test_add_status_goes_last_with_its_settings,
    test_an_unused_status_is_deleted_with_its_transitions,
    test_deleting_a_done_status_into_an_open_one_reopens_its_issues,
    test_deleting_a_status_in_use_is_refused_with_the_count,
    test_deleting_a_status_moves_its_issues_to_the_end_of_the_target,
    test_labels_are_found_case_insensitively,
    test_reorder_statuses,
    test_set_transitions_replaces_the_allowed_moves,
    test_update_project,
    test_update_status_logs_old_and_new_values,
    test_update_status_validation,
    test_update_status_with_the_current_values_writes_nothing,
)

pytestmark = pytest.mark.postgres

LOGINS = {"alice": ("TRK", "admin"), "bob": ("TRK", "member"), "carol": ("TRK", "member"),
          "dave": ("TRK", "member")}  # fmt: skip


@pytest.fixture
def board(pg_cluster: PgCluster) -> Iterator[Board]:
    db = make_secured(
        pg_cluster, projects=("TRK",), logins=LOGINS, prefix="", names={"TRK": "Tracker"}
    )
    services = db.services("alice")
    assert services.database.server_managed and services.actor == "alice"
    project = services.projects.project("TRK")
    statuses = {s.name: s for s in services.projects.statuses(project.id)}
    yield Board(services, project, statuses)
    drop(db)
