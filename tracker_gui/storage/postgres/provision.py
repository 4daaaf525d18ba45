"""`admin setup-postgres` and the other admin commands: roles, schema, security, logins."""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass

from tracker_gui.errors import StorageError, UserError
from tracker_gui.storage import database as dbmod
from tracker_gui.storage import ownership
from tracker_gui.storage.errors import translated
from tracker_gui.storage.postgres import (
    OWNER_ROLE,
    USERS_ROLE,
    sql_audit,
    sql_deletes,
    sql_helpers,
    sql_numbers,
    sql_policies,
    sql_search,
    sql_sprints,
    sql_triggers,
    sweep,
)

log = logging.getLogger(__name__)
SEARCH_PATH = sql_helpers.SEARCH_PATH

# Trigger and definer functions that migrations made (this package does not redefine them):
# a trigger runs as whoever fired it, often the owner inside one of our functions, so each
# gets the same pinned search_path.
_PIN_MIGRATION_FUNCTIONS = f"""DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT p.oid::pg_catalog.regprocedure AS sig FROM pg_catalog.pg_proc AS p
             JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public'
               AND (p.prosecdef OR p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype)
               AND NOT coalesce(p.proconfig, '{{}}') @> ARRAY['search_path={SEARCH_PATH}']
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend AS d
                               WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
        EXECUTE pg_catalog.format('ALTER FUNCTION %s SET search_path = {SEARCH_PATH}', r.sig);
    END LOOP; END $$"""


@dataclass(frozen=True)
class SetupReport:
    database: str
    migrations: tuple[str, ...]
    tables: int
    dropped: tuple[str, ...] = ()


# A long-running read of some client holds a lock that the upgrade's DDL waits for: wait a
# little, give up, and try the whole transaction again rather than queue every client behind us.
LOCK_TIMEOUT = "5s"
ATTEMPTS = 5
# Server-side bounds the database carries for every session (DESIGN.md: bounded by settings).
SETTINGS = {
    "idle_in_transaction_session_timeout": "'5min'",
    "temp_file_limit": "'1GB'",
}
LOGIN_CONNECTION_LIMIT = 10


def _quote(db: dbmod.Database, name: str) -> str:
    from psycopg import sql

    return sql.Identifier(name).as_string(db.peewee.connection())


def _literal(db: dbmod.Database, value: str) -> str:
    from psycopg import sql

    return sql.Literal(value).as_string(db.peewee.connection())


def _require_superuser(db: dbmod.Database) -> None:
    row = db.peewee.execute_sql(
        "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user"
    ).fetchone()
    if not (row and row[0]):
        raise UserError(
            "setup-postgres needs a superuser login (for example postgresql://postgres@host/db)"
        )


def _run(db: dbmod.Database, statements: list[str]) -> None:
    # Straight to psycopg: with no parameters it leaves the `%` of format() alone.
    cursor = db.peewee.connection().cursor()
    for statement in statements:
        cursor.execute(statement.encode())


def _our_functions() -> list[str]:
    return (
        sql_helpers.FUNCTIONS
        + sql_triggers.FUNCTIONS
        + sql_search.FUNCTIONS
        + sql_deletes.FUNCTIONS
        + sql_audit.FUNCTIONS
        + sql_numbers.FUNCTIONS
        + sql_sprints.FUNCTIONS
    )


def _our_tables() -> list[str]:
    return sql_helpers.TABLES + sql_numbers.TABLES


def _our_triggers() -> list[str]:
    return (
        sql_triggers.triggers()
        + sql_search.triggers()
        + sql_numbers.triggers()
        + sql_sprints.triggers()
    )


def setup_postgres(url: str) -> SetupReport:
    """Create or upgrade roles, schema, row-level security and triggers in one transaction,
    retried when a client's lock makes it wait longer than LOCK_TIMEOUT."""
    if not dbmod.is_url(url):
        raise UserError("setup-postgres needs a postgresql:// URL")
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _setup_once(url)
        except StorageError as exc:
            if not _lock_timed_out(exc) or attempt == ATTEMPTS:
                raise
            log.warning("setup-postgres waited too long for a lock (attempt %d)", attempt)
            time.sleep(min(2.0 * attempt, 10.0))
    raise AssertionError("unreachable")


def _lock_timed_out(exc: BaseException) -> bool:
    cause: BaseException | None = exc
    while cause is not None:
        if getattr(cause, "sqlstate", None) == "55P03":  # lock_not_available
            return True
        inner = cause.args[0] if cause.args else None
        if isinstance(inner, BaseException) and inner is not cause:
            cause = inner
            continue
        cause = cause.__cause__ or cause.__context__
    return False


def _setup_once(url: str) -> SetupReport:
    db = dbmod._open_postgres(url)
    try:
        with translated(db.label), db.peewee.atomic():
            _require_superuser(db)
            # Before any role, grant or owner changes: another program's database is refused
            # untouched (an empty one or Tracker's own, marked or from before the marker, passes).
            ownership.postgres_owner(db)
            db.peewee.execute_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            dbname = str(db.peewee.execute_sql("SELECT current_database()").fetchone()[0])
            quoted = _quote(db, dbname)
            _run(db, _role_statements())
            _run(
                db,
                [
                    f"GRANT USAGE, CREATE ON SCHEMA public TO {OWNER_ROLE}",
                    _reassign_sql(),
                    # Not `IN SCHEMA`: a per-schema default can only add to the global one,
                    # so only this form stops PUBLIC from executing the owner's new functions.
                    f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER_ROLE}"
                    " REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
                    # Policies pin the column types a migration may change; all are rebuilt.
                    sql_policies.DROP_USER_POLICIES,
                    *(f"ALTER DATABASE {quoted} SET {k} = {v}" for k, v in SETTINGS.items()),
                    f"SET LOCAL ROLE {OWNER_ROLE}",
                ],
            )
            if db.peewee.execute_sql("SELECT to_regclass('public.issue')").fetchone()[0]:
                # An upgrade: the old triggers would run during the migrations' own updates
                # and call functions by the old id types. Ours accept either; put them first.
                _run(db, _our_tables() + sql_helpers.RETYPED + _our_functions())
            applied = dbmod.migrate(db)
            _run(db, _our_tables() + sql_helpers.RETYPED + _our_functions())
            _run(db, _our_triggers())
            _run(db, [_PIN_MIGRATION_FUNCTIONS])
            db.peewee.execute_sql("RESET ROLE")
            want = sweep.expected(_our_tables() + _our_functions() + _our_triggers())
            dropped = sweep.sweep(db.peewee.connection().cursor(), want)
            for item in dropped:
                log.warning("setup-postgres dropped %s: the app does not define it", item)
            _run(db, sql_policies.statements(quoted) + sql_policies.closed_builtins())
            tables = db.peewee.execute_sql(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind = 'r'"
            ).fetchone()[0]
    finally:
        db.close()
    return SetupReport(dbname, tuple(applied), int(tables), tuple(dropped))


def _role_statements() -> list[str]:
    return [
        f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
                CREATE ROLE {role} NOLOGIN;
            END IF; END $$"""
        for role in (OWNER_ROLE, USERS_ROLE)
    ]


def _reassign_sql() -> str:
    """Hand every object of the public schema to the owner role (tables a plain open made)."""
    return f"""DO $$ DECLARE r record; BEGIN
        FOR r IN SELECT c.relname, c.relkind FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
                   AND pg_get_userbyid(c.relowner) <> '{OWNER_ROLE}' LOOP
            EXECUTE format('ALTER %s public.%I OWNER TO {OWNER_ROLE}',
                           CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                          ELSE 'TABLE' END, r.relname);
        END LOOP;
        FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
                 JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '{OWNER_ROLE}' LOOP
            EXECUTE format('ALTER FUNCTION %s OWNER TO {OWNER_ROLE}', r.sig);
        END LOOP; END $$"""


# -- logins and membership (as a superuser, or a role with CREATEROLE) ----------------------
def add_user(db: dbmod.Database, name: str, password: str | None) -> str:
    """Create a login role in the users' group; returns the password (generated if None)."""
    chosen = password if password is not None else secrets.token_urlsafe(18)
    if not chosen:
        raise UserError("the password must not be empty")
    with db.transaction():
        exists = db.peewee.execute_sql(
            "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = %s", (name,)
        ).fetchone()
        if exists:
            raise UserError(f"a database role named {name!r} already exists")
        db.peewee.execute_sql(
            f"CREATE ROLE {_quote(db, name)} LOGIN PASSWORD {_literal(db, chosen)}"
            f" CONNECTION LIMIT {LOGIN_CONNECTION_LIMIT} IN ROLE {USERS_ROLE}"
        )
    return chosen


def grant(db: dbmod.Database, name: str, project_key: str, role: str | None) -> None:
    """Give `name` a role in a project (None revokes), through tracker_set_member()."""
    if not db.server_managed:
        raise StorageError(
            "this database is not secured yet", "run `tracker-gui admin setup-postgres` first"
        )
    with db.transaction():
        row = db.peewee.execute_sql(
            "SELECT id FROM project WHERE key = %s", (project_key.strip().upper(),)
        ).fetchone()
        if row is None:
            raise UserError(f"no project with key {project_key!r}")
        db.peewee.execute_sql("SELECT tracker_set_member(%s, %s, %s)", (row[0], name, role))
