"""The rules of DESIGN.md "Security of the shared database", read from the catalog of a secured
database: a migration that breaks one (a definer function without the pinned search_path, a
table without forced row-level security, a grant that allows LOCK) fails here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.catalog import function_problems, functions, table_problems, unqualified
from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.storage.postgres import OWNER_ROLE, USERS_ROLE
from tracker_gui.storage.postgres.sql_policies import USER_FUNCTIONS

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster, prefix="cat_")
    yield db
    drop(db)


def test_unqualified_finds_what_break_1_used() -> None:
    """The checker itself: the names of the old functions are caught."""
    old = (
        "SELECT rolsuper FROM pg_roles WHERE x; INSERT INTO issue_search VALUES (1);"
        " PERFORM tracker_log(a, OLD.parent_id::text); DECLARE v text; BEGIN"
    )
    assert unqualified(old, {"pg_roles", "issue_search"}) == [
        "pg_roles", "issue_search", "::text", "DECLARE text", "tracker_log",
    ]  # fmt: skip


def test_every_definer_function_is_pinned_owned_and_closed(secured: Secured) -> None:
    with superuser(secured) as conn:
        definers = [f for f in functions(conn) if f[1]]
        problems = function_problems(conn)
    assert len(definers) > 20
    assert problems == []


def test_the_users_run_only_the_functions_they_call(secured: Secured) -> None:
    with superuser(secured) as conn:
        runnable = sorted(f[0] for f in functions(conn) if f[7])
    assert runnable == sorted(f.replace(", ", ",") for f in USER_FUNCTIONS)


def test_a_function_the_owner_creates_later_is_not_public(secured: Secured) -> None:
    with superuser(secured) as conn:
        conn.execute("BEGIN")
        conn.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
        conn.execute("CREATE FUNCTION public.later() RETURNS integer LANGUAGE sql AS 'SELECT 1'")
        row = conn.execute(
            "SELECT has_function_privilege('public', 'public.later()', 'EXECUTE'),"
            f" has_function_privilege('{USERS_ROLE}', 'public.later()', 'EXECUTE')"
        ).fetchone()
        conn.execute("ROLLBACK")
    assert row == (False, False)


def test_every_table_is_fenced_and_no_grant_allows_a_strong_lock(secured: Secured) -> None:
    with superuser(secured) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind = 'r'"
        ).fetchone()
        problems = table_problems(conn)
    assert tables is not None and tables[0] >= 15
    assert problems == []


def test_every_id_column_is_bigint(secured: Secured) -> None:
    with superuser(secured) as conn:
        narrow = conn.execute(
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public' AND (column_name = 'id' OR column_name LIKE '%%\\_id')"
            " AND data_type <> 'bigint' ORDER BY 1"
        ).fetchall()
        serial = conn.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
            " AND column_name = 'id' AND is_identity = 'NO'"
        ).fetchall()
    # A queued action's op id (migration 0011) is a UUID the client mints, drawn from no
    # sequence: nothing to exhaust. Every other *_id column is a bigint.
    uuids = {("change.op_id", "character varying"), ("sync_op.op_id", "character varying")}
    assert [row for row in narrow if row not in uuids] == []
    assert serial == []
