"""An attacker's session: an ordinary login over TCP with its own password, plain psycopg."""

from __future__ import annotations

from typing import Any

import psycopg

from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured

PASSWORD = "attacker's own password"

# Runs whatever it can as whoever calls it; when that is the owner role it plants a function
# and forges the first history row, the two things break 1 of the issue did.
SPY = """CREATE FUNCTION pg_temp.spy() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF current_user <> session_user THEN
        BEGIN
            EXECUTE 'CREATE FUNCTION public.planted() RETURNS integer LANGUAGE sql AS ''SELECT 1''';
        EXCEPTION WHEN OTHERS THEN NULL;
        END;
        BEGIN
            EXECUTE 'ALTER TABLE public.change DISABLE TRIGGER USER';
            EXECUTE 'UPDATE public.change SET new = ''forged'''
                    ' WHERE id = (SELECT min(id) FROM public.change)';
            EXECUTE 'ALTER TABLE public.change ENABLE TRIGGER USER';
        EXCEPTION WHEN OTHERS THEN NULL;
        END;
    END IF;
    RETURN false;
END $$"""


def login(secured: Secured, who: str) -> psycopg.Connection[tuple[Any, ...]]:
    """`who`'s own session over TCP: the server checks the password (scram), autocommit."""
    cluster = secured.cluster
    assert isinstance(cluster, TcpCluster)
    return psycopg.connect(
        host="127.0.0.1",
        port=cluster.port_number,
        dbname=secured.name,
        user=secured.logins.get(who, who),
        password=PASSWORD,
        autocommit=True,
    )


def attempt(conn: psycopg.Connection[Any], statement: str, *args: Any) -> str:
    """Run one statement; 'ok' or the error's class name (the session stays usable)."""
    try:
        conn.execute(statement, args or None)
    except psycopg.Error as exc:
        return type(exc).__name__
    return "ok"


def planted(secured_super: psycopg.Connection[Any]) -> list[str]:
    """Functions named like the spy's plant, as the superuser sees them."""
    rows = secured_super.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p"
        " JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = 'public' AND p.proname = 'planted'"
    ).fetchall()
    return [str(r[0]) for r in rows]
