"""The security rules of DESIGN.md read back from a database's catalog: what breaks them."""

from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg.rows import TupleRow

from tracker_gui.storage.postgres import OWNER_ROLE, USERS_ROLE

PINNED = "search_path=pg_catalog, public, pg_temp"
# Type names the grammar itself turns into pg_catalog types: a temp type cannot shadow them.
KEYWORD_TYPES = {
    "integer", "int", "smallint", "bigint", "real", "float", "double", "numeric", "decimal",
    "boolean", "bool", "char", "character", "varchar", "timestamp", "time", "interval", "bit",
    "national", "dec",
}  # fmt: skip


def functions(conn: psycopg.Connection[TupleRow]) -> list[TupleRow]:
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


def function_problems(conn: Any) -> list[str]:
    """Definer and trigger functions: pinned search_path, owner, closed to PUBLIC, qualified."""
    relations = {
        r[0]
        for r in conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname IN ('public', 'pg_catalog') AND c.relkind IN ('r', 'v', 'p')"
        )
    }
    problems = []
    for sig, definer, trigger, owner, config, body, public, _users in functions(conn):
        if (definer or trigger) and PINNED not in config:
            problems.append(f"{sig}: search_path not pinned with pg_temp last ({config})")
        if owner != OWNER_ROLE:
            problems.append(f"{sig}: owned by {owner}")
        if public:
            problems.append(f"{sig}: PUBLIC may execute it")
        if definer and (names := unqualified(body, relations)):
            problems.append(f"{sig}: unqualified {names}")
    return problems


def table_problems(conn: Any) -> list[str]:
    """Every app table: forced row-level security, owned by the owner, no grant that allows a
    strong LOCK, nothing for PUBLIC; no sequence USAGE; no TEMPORARY or CREATE for users."""
    version = conn.execute("SHOW server_version_num").fetchone()
    strong = ["UPDATE", "DELETE", "TRUNCATE"] + (["MAINTAIN"] if int(version[0]) >= 170000 else [])
    rows = conn.execute(
        "SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity,"
        " pg_get_userbyid(c.relowner), has_table_privilege('public', c.oid, 'SELECT'),"
        + ", ".join(f"has_table_privilege('{USERS_ROLE}', c.oid, '{p}')" for p in strong)
        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1"
    ).fetchall()
    problems = []
    for name, fenced, owner, public, *grants in rows:
        if not fenced:
            problems.append(f"{name}: row-level security not forced")
        if owner != OWNER_ROLE:
            problems.append(f"{name}: owned by {owner}")
        if public:
            problems.append(f"{name}: PUBLIC may read it")
        problems += [
            f"{name}: users hold {p}" for p, held in zip(strong, grants, strict=True) if held
        ]
    for (name,) in conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind = 'S' AND"
        f" (has_sequence_privilege('{USERS_ROLE}', c.oid, 'USAGE')"
        f" OR has_sequence_privilege('{USERS_ROLE}', c.oid, 'UPDATE')"
        " OR has_sequence_privilege('public', c.oid, 'USAGE'))"
    ).fetchall():
        problems.append(f"sequence {name}: users may draw from it")
    temp, public_temp, create = conn.execute(
        f"SELECT has_database_privilege('{USERS_ROLE}', current_database(), 'TEMPORARY'),"
        " has_database_privilege('public', current_database(), 'TEMPORARY'),"
        f" has_schema_privilege('{USERS_ROLE}', 'public', 'CREATE')"
    ).fetchone()
    if temp or public_temp:
        problems.append("users may create temporary objects")
    if create:
        problems.append("users may create objects in schema public")
    return problems


def later_function_is_open(conn: Any) -> bool:
    """Whether a function the owner creates from now on could be run by PUBLIC or the users."""
    conn.execute("BEGIN")
    conn.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    conn.execute("CREATE FUNCTION public.later() RETURNS integer LANGUAGE sql AS 'SELECT 1'")
    row = conn.execute(
        "SELECT has_function_privilege('public', 'public.later()', 'EXECUTE')"
        f" OR has_function_privilege('{USERS_ROLE}', 'public.later()', 'EXECUTE')"
    ).fetchone()
    conn.execute("ROLLBACK")
    return bool(row[0])
