"""What the app's schema may hold: anything else (a planted function, view, trigger, rule) goes.

`admin setup-postgres` rebuilds every function, trigger and policy it defines; this module
names what the migrations define besides (read from their source) and removes every other
function, view, trigger and rule of the schema, so code planted by someone who once ran as
the owner does not outlive the upgrade. An unknown table holds data: it is never dropped,
the upgrade refuses and lists it instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tracker_gui.errors import UserError
from tracker_gui.storage import tables
from tracker_gui.storage.database import MIGRATION_TABLE, MIGRATIONS_DIR

_NAME = r"(?:public\.)?\"?(\w+)\"?"
_FUNCTION = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+" + _NAME + r"\s*\(([^)]*)\)", re.I
)
_TRIGGER = re.compile(r"CREATE\s+(?:CONSTRAINT\s+)?TRIGGER\s+" + _NAME, re.I)
_VIEW = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:MATERIALIZED\s+)?VIEW\s+" + _NAME, re.I)
_RULE = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?RULE\s+" + _NAME, re.I)
_TABLE = re.compile(r"CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?" + _NAME, re.I)
_TABLE_NAME = re.compile(r"table_name\s*=\s*[\"'](\w+)[\"']")


# An extension an administrator installed into public (pg_trgm, say) is theirs, not planted.
_NOT_EXTENSION = (
    " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend AS d"
    " WHERE d.objid = c.oid AND d.deptype = 'e')"
)


@dataclass
class Expected:
    """Names the migrations and this package define; `signatures` pins our own functions."""

    functions: set[str] = field(default_factory=set)
    signatures: set[tuple[str, str]] = field(default_factory=set)
    triggers: set[str] = field(default_factory=set)
    views: set[str] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)


def _args(text: str) -> str:
    """`p_issue bigint, p_x text` as pg_get_function_identity_arguments() prints it."""
    return ", ".join(" ".join(part.split()) for part in text.split(",") if part.strip())


def expected(ours: Iterable[str]) -> Expected:
    """What may exist: `ours` (this package's statements) plus what the migrations mention."""
    out = Expected()
    for statement in ours:
        for name, args in _FUNCTION.findall(statement):
            out.signatures.add((name, _args(args)))
        out.triggers.update(_TRIGGER.findall(statement))
        out.tables.update(_TABLE.findall(statement))
    mine = {name for name, _ in out.signatures}
    for path in sorted(MIGRATIONS_DIR.glob("[0-9]*.py")):
        text = path.read_text(encoding="utf-8")
        out.functions.update(n for n, _ in _FUNCTION.findall(text) if n not in mine)
        out.triggers.update(_TRIGGER.findall(text))
        out.views.update(_VIEW.findall(text))
        out.rules.update(_RULE.findall(text))
        out.tables.update(_TABLE.findall(text))
        out.tables.update(_TABLE_NAME.findall(text))
    stack: list[type[Any]] = [tables.Base]
    while stack:
        model = stack.pop()
        stack.extend(model.__subclasses__())
        if model is not tables.Base:
            out.tables.add(model._meta.table_name)
    out.tables.add(MIGRATION_TABLE)
    return out


def sweep(cursor: Any, want: Expected) -> list[str]:
    """Drop every foreign function, view, trigger and rule of schema public; refuse (UserError,
    nothing changed) when a foreign table is there. Returns what was dropped."""
    found = cursor.execute(
        "SELECT c.relname FROM pg_catalog.pg_class AS c"
        " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'f')"
        + _NOT_EXTENSION
        + " ORDER BY 1"
    ).fetchall()
    strangers = [r[0] for r in found if r[0] not in want.tables]
    if strangers:
        raise UserError(
            "setup-postgres found tables the app does not define in schema public: "
            + ", ".join(strangers)
            + "; move or drop them (they may hold data), then run it again"
        )
    dropped: list[str] = []
    for name, kind in cursor.execute(
        "SELECT c.relname, c.relkind FROM pg_catalog.pg_class AS c"
        " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')" + _NOT_EXTENSION + " ORDER BY 1"
    ).fetchall():
        if name not in want.views:
            what = "MATERIALIZED VIEW" if kind == "m" else "VIEW"
            cursor.execute(f'DROP {what} IF EXISTS public."{name}" CASCADE')
            dropped.append(f"view {name}")
    for rule, table in cursor.execute(
        "SELECT r.rulename, c.relname FROM pg_catalog.pg_rewrite AS r"
        " JOIN pg_catalog.pg_class AS c ON c.oid = r.ev_class"
        " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND r.rulename <> '_RETURN' ORDER BY 1, 2"
    ).fetchall():
        if rule not in want.rules:
            cursor.execute(f'DROP RULE IF EXISTS "{rule}" ON public."{table}"')
            dropped.append(f"rule {rule} on {table}")
    for trigger, table in cursor.execute(
        "SELECT t.tgname, c.relname FROM pg_catalog.pg_trigger AS t"
        " JOIN pg_catalog.pg_class AS c ON c.oid = t.tgrelid"
        " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY 1, 2"
    ).fetchall():
        if trigger not in want.triggers:
            cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}" ON public."{table}"')
            dropped.append(f"trigger {trigger} on {table}")
    for oid, name, args, kind in cursor.execute(
        "SELECT p.oid::pg_catalog.regprocedure::pg_catalog.text, p.proname,"
        " pg_catalog.pg_get_function_identity_arguments(p.oid), p.prokind"
        " FROM pg_catalog.pg_proc AS p JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace"
        " WHERE n.nspname = 'public'" + _NOT_EXTENSION.replace("c.oid", "p.oid") + " ORDER BY 1"
    ).fetchall():
        if (name, args) in want.signatures or name in want.functions:
            continue
        what = {"p": "PROCEDURE", "a": "AGGREGATE"}.get(kind, "FUNCTION")
        cursor.execute(f"DROP {what} IF EXISTS {oid} CASCADE")
        dropped.append(f"function {oid}")
    return dropped
