"""The rules of DESIGN.md "Security of the shared database", read from the catalog of a secured
database: a migration that breaks one (a definer function without the pinned search_path, a
table without forced row-level security, a grant that allows LOCK) fails here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured, superuser
from tracker_gui.storage.postgres import OWNER_ROLE, USERS_ROLE
from tracker_gui.storage.postgres.sql_policies import USER_FUNCTIONS

pytestmark = pytest.mark.postgres

PINNED = "search_path=pg_catalog, public, pg_temp"
# Type names the grammar itself turns into pg_catalog types: a temp type cannot shadow them.
KEYWORD_TYPES = {
    "integer", "int", "smallint", "bigint", "real", "float", "double", "numeric", "decimal",
    "boolean", "bool", "char", "character", "varchar", "timestamp", "time", "interval", "bit",
    "national", "dec",
}  # fmt: skip


@pytest.fixture(scope="module")
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster, prefix="cat_")
    yield db
    drop(db)


def _functions(conn: Any) -> list[tuple[Any, ...]]:
    """(signature, definer?, returns trigger?, owner, config, body, PUBLIC may run, users may)."""
    return conn.execute(
        "SELECT p.oid::regprocedure::text, p.prosecdef, p.prorettype = 'trigger'::regtype,"
        " pg_get_userbyid(p.proowner), coalesce(p.proconfig, '{}'), p.prosrc,"
        " has_function_privilege('public', p.oid, 'EXECUTE'),"
        f" has_function_privilege('{USERS_ROLE}', p.oid, 'EXECUTE')"
        " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = 'public' ORDER BY 1"
    ).fetchall()


def unqualified(body: str, relations: set[str]) -> list[str]:
    """Names in a function body that a caller's pg_temp could shadow."""
    text = re.sub(r"--[^\n]*", "", body)
    found = []
    for word in re.findall(r"\b(?:FROM|JOIN|UPDATE|INTO|TABLE)\s+([a-z_][a-z0-9_]*)\b(?!\s*[.(])",
                           text, flags=re.IGNORECASE):  # fmt: skip
        if word.lower() in relations:
            found.append(word)
    for word in re.findall(r"::\s*([a-z_][a-z0-9_]*)\b(?!\s*\.)", text, flags=re.IGNORECASE):
        if word.lower() not in KEYWORD_TYPES:
            found.append("::" + word)
    for declare in re.findall(r"\bDECLARE\b(.*?)\bBEGIN\b", text, flags=re.S | re.I):
        for _name, kind in re.findall(r"([a-z_][a-z0-9_]*)\s+([a-z_][a-z0-9_.]*)", declare):
            if "." not in kind and kind.lower() not in KEYWORD_TYPES:
                found.append(f"DECLARE {kind}")
    found += re.findall(r"(?<![.\w])(tracker_[a-z_]+)\s*\(", text)
    return found


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
        functions = _functions(conn)
        relations = {
            r[0]
            for r in conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname IN ('public', 'pg_catalog') AND c.relkind IN ('r', 'v', 'p')"
            )
        }
    definers = [f for f in functions if f[1]]
    assert len(definers) > 20
    problems = []
    for sig, definer, trigger, owner, config, body, public, _users in functions:
        if (definer or trigger) and PINNED not in config:
            problems.append(f"{sig}: search_path not pinned with pg_temp last ({config})")
        if owner != OWNER_ROLE:
            problems.append(f"{sig}: owned by {owner}")
        if public:
            problems.append(f"{sig}: PUBLIC may execute it")
        if definer and (names := unqualified(body, relations)):
            problems.append(f"{sig}: unqualified {names}")
    assert problems == []


def test_the_users_run_only_the_functions_they_call(secured: Secured) -> None:
    with superuser(secured) as conn:
        runnable = sorted(f[0] for f in _functions(conn) if f[7])
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
        version = conn.execute("SHOW server_version_num").fetchone()
        assert version is not None
        strong = ["UPDATE", "DELETE", "TRUNCATE"] + (
            ["MAINTAIN"] if int(version[0]) >= 170000 else []
        )
        rows = conn.execute(
            "SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity,"
            " pg_get_userbyid(c.relowner),"
            + ", ".join(f"has_table_privilege('{USERS_ROLE}', c.oid, '{p}')" for p in strong)
            + ", has_table_privilege('public', c.oid, 'SELECT')"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1"
        ).fetchall()
        sequences = conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind = 'S' AND"
            f" (has_sequence_privilege('{USERS_ROLE}', c.oid, 'USAGE')"
            f" OR has_sequence_privilege('{USERS_ROLE}', c.oid, 'UPDATE')"
            " OR has_sequence_privilege('public', c.oid, 'USAGE'))"
        ).fetchall()
        database = conn.execute(
            f"SELECT has_database_privilege('{USERS_ROLE}', current_database(), 'TEMPORARY'),"
            " has_database_privilege('public', current_database(), 'TEMPORARY'),"
            f" has_schema_privilege('{USERS_ROLE}', 'public', 'CREATE')"
        ).fetchone()
    assert len(rows) >= 15
    problems = []
    for name, fenced, owner, *grants in rows:
        if not fenced:
            problems.append(f"{name}: row-level security not forced")
        if owner != OWNER_ROLE:
            problems.append(f"{name}: owned by {owner}")
        problems += [
            f"{name}: users hold {p}" for p, held in zip(strong, grants, strict=False) if held
        ]
        if grants[-1]:
            problems.append(f"{name}: PUBLIC may read it")
    assert problems == []
    assert sequences == []
    assert database == (False, False, False)


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
    assert narrow == []
    assert serial == []
