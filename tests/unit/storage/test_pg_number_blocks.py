"""Issue-number blocks as the attacker: an ordinary login over TCP with its own password.

tracker_reserve_numbers lets a bulk write keep the numbers it planned. What it must not let a
login do: take numbers in a project it may not write, keep a number nobody reserved, make an
issue someone else's or older than it is, burn numbers it never uses, or see the blocks.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.support.attacks import PASSWORD, attempt, login
from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured, drop, make_secured, superuser

pytestmark = pytest.mark.postgres

# A new issue of project %s naming number, reporter (by login) and created_at itself.
FORGED = (
    "INSERT INTO issue (uid, project_id, type, title, description, status_id, priority, rank,"
    " number, reporter_id, created_at, updated_at)"
    " SELECT %s, p.id, 'task', %s, '', min(s.id), 3, 'a5', %s,"
    " (SELECT id FROM app_user WHERE username = %s), '2001-01-01', '2001-01-01'"
    " FROM project p JOIN status s ON s.project_id = p.id WHERE p.key = %s GROUP BY p.id"
    " RETURNING number, (SELECT username FROM app_user WHERE id = reporter_id), created_at"
)


@pytest.fixture
def secured(pg_tcp_cluster: TcpCluster) -> Iterator[Secured]:
    db = make_secured(pg_tcp_cluster, password=PASSWORD, prefix="blk_")
    yield db
    drop(db)


def _project_id(secured: Secured, key: str) -> int:
    with superuser(secured) as conn:
        row = conn.execute("SELECT id FROM project WHERE key = %s", (key,)).fetchone()
    assert row is not None
    return int(row[0])


def _next(secured: Secured, key: str) -> int:
    with superuser(secured) as conn:
        row = conn.execute("SELECT next_number FROM project WHERE key = %s", (key,)).fetchone()
    assert row is not None
    return int(row[0])


def _forge(
    conn: psycopg.Connection[Any], number: int, reporter: str, key: str = "TRK"
) -> tuple[Any, ...]:
    row = conn.execute(
        FORGED,
        (
            str(uuid.uuid4()),
            f"forged {number}",
            number,
            reporter,
            key,
        ),
    ).fetchone()
    assert row is not None
    return tuple(row)


def test_a_member_cannot_reserve_numbers_in_a_project_it_is_not_in(secured: Secured) -> None:
    ops, trk = _project_id(secured, "OPS"), _project_id(secured, "TRK")
    before = (_next(secured, "OPS"), _next(secured, "TRK"))
    with login(secured, "mem") as conn:  # member of TRK only
        refused = attempt(conn, "SELECT tracker_reserve_numbers(%s, 100)", ops)
    with login(secured, "vie") as conn:  # viewer of TRK
        viewer = attempt(conn, "SELECT tracker_reserve_numbers(%s, 100)", trk)
    assert (refused, viewer) == ("InsufficientPrivilege", "InsufficientPrivilege")
    assert (_next(secured, "OPS"), _next(secured, "TRK")) == before


def test_a_chosen_number_outside_a_reserved_block_gets_the_next_number(
    secured: Secured,
) -> None:
    with login(secured, "mem") as conn:
        number, reporter, created = _forge(conn, 500, "blk_adm")
    assert number == 1  # not 500
    assert reporter == "blk_mem"  # not the admin it named
    assert created.year > 2001
    assert _next(secured, "TRK") == 2


def test_inside_its_block_a_member_keeps_the_number_but_not_a_forged_reporter_or_date(
    secured: Secured,
) -> None:
    trk = _project_id(secured, "TRK")
    with login(secured, "mem") as conn, conn.transaction():
        row = conn.execute("SELECT tracker_reserve_numbers(%s, 5)", (trk,)).fetchone()
        assert row is not None and row[0] == 1
        second = _forge(conn, 2, "blk_adm")
        first = _forge(conn, 1, "blk_adm")
    assert [first[:2], second[:2]] == [(1, "blk_mem"), (2, "blk_mem")]
    assert first[2].year > 2001 and second[2].year > 2001
    assert _next(secured, "TRK") == 3  # 3..5 went back


@pytest.mark.parametrize("how", ["a gap", "one numbered after the block"])
def test_a_member_cannot_burn_the_numbers_of_a_block(secured: Secured, how: str) -> None:
    """A million numbers for one issue, in a loop, and the project's numbers run out."""
    trk = _project_id(secured, "TRK")
    with login(secured, "mem") as conn:
        conn.execute("BEGIN")
        conn.execute("SELECT tracker_reserve_numbers(%s, 1000000)", (trk,))
        if how == "a gap":
            assert _forge(conn, 1000000, "blk_mem")[0] == 1000000
        else:
            _forge(conn, 1, "blk_mem")
            assert _forge(conn, 2000000, "blk_mem")[0] == 1000001
        refused = attempt(conn, "COMMIT")
    assert refused == "InsufficientPrivilege"
    assert _next(secured, "TRK") == 1
    with superuser(secured) as conn:
        assert conn.execute("SELECT count(*) FROM issue").fetchone() == (0,)


def test_an_admin_keeps_reporter_and_date_only_inside_its_block(secured: Secured) -> None:
    trk = _project_id(secured, "TRK")
    with login(secured, "adm") as conn, conn.transaction():
        conn.execute("SELECT tracker_reserve_numbers(%s, 2)", (trk,))
        inside = _forge(conn, 2, "blk_mem")
        outside = _forge(conn, 9, "blk_mem")
    assert inside[:2] == (2, "blk_mem") and inside[2].year == 2001
    assert outside[:2] == (3, "blk_adm") and outside[2].year > 2001


def test_a_block_is_for_its_own_transaction_and_project_only(secured: Secured) -> None:
    trk, ops = _project_id(secured, "TRK"), _project_id(secured, "OPS")
    with superuser(secured) as conn:
        conn.execute("SELECT tracker_set_member(%s, 'blk_mem', 'member')", (ops,))
    with login(secured, "mem") as conn:
        with conn.transaction():
            conn.execute("SELECT tracker_reserve_numbers(%s, 3)", (trk,))
            _forge(conn, 1, "blk_mem")
            # The block is TRK's: OPS numbers its issue itself.
            assert _forge(conn, 2, "blk_mem", "OPS")[0] == 1
        # A later transaction cannot use what is left of the block.
        assert _forge(conn, 2, "blk_mem")[0] == 2
        assert _forge(conn, 3, "blk_mem")[0] == 3


def test_unused_numbers_go_back_at_commit_and_huge_blocks_are_refused(secured: Secured) -> None:
    trk = _project_id(secured, "TRK")
    with login(secured, "mem") as conn:
        with conn.transaction():
            conn.execute("SELECT tracker_reserve_numbers(%s, 100000)", (trk,))
            _forge(conn, 1, "blk_mem")
            _forge(conn, 2, "blk_mem")
        assert _next(secured, "TRK") == 3
        with conn.transaction():
            conn.execute("SELECT tracker_reserve_numbers(%s, 1000)", (trk,))
        assert _next(secured, "TRK") == 3
        huge = attempt(conn, "SELECT tracker_reserve_numbers(%s, 2000000000)", trk)
        negative = attempt(conn, "SELECT tracker_reserve_numbers(%s, -5)", trk)
        peek = attempt(conn, "SELECT * FROM issue_number_block")
        plant = attempt(
            conn,
            "INSERT INTO issue_number_block (project_id, first_number, last_number)"
            " VALUES (%s, 1, 1000)",
            trk,
        )
    assert (huge, negative) == ("InvalidParameterValue", "InvalidParameterValue")
    assert (peek, plant) == ("InsufficientPrivilege", "InsufficientPrivilege")
    assert _next(secured, "TRK") == 3
    with superuser(secured) as conn:
        left = conn.execute("SELECT count(*) FROM issue_number_block").fetchone()
    assert left == (0,)


def test_a_rolled_back_block_leaves_nothing(secured: Secured) -> None:
    trk = _project_id(secured, "TRK")
    with login(secured, "mem") as conn:
        conn.execute("BEGIN")
        conn.execute("SELECT tracker_reserve_numbers(%s, 50)", (trk,))
        _forge(conn, 7, "blk_mem")
        conn.execute("ROLLBACK")
        assert _forge(conn, 7, "blk_mem")[0] == 1
    with superuser(secured) as conn:
        assert conn.execute("SELECT count(*) FROM issue_number_block").fetchone() == (0,)
