"""SQL of row-level security, column grants and function privileges for the users' group role.

Roles by rank: 1 viewer reads; 2 member creates, edits, moves and comments; 3 admin also
deletes, archives (checked in the issue trigger) and changes the workflow. Membership
changes only through tracker_set_member(). The owner role gets an explicit all-rows policy
because FORCE ROW LEVEL SECURITY applies to it too (its definer triggers need it).
"""

from __future__ import annotations

from tracker_gui.storage.postgres import OWNER_ROLE, USERS_ROLE, sql_deletes, sql_numbers

U = USERS_ROLE


# `(SELECT public.tracker_projects(n))`: a sub-select runs once per statement (an init plan),
# where a bare call to the function runs for every row the policy looks at.
def _in(rank: int) -> str:
    return f"project_id = ANY ((SELECT public.tracker_projects({rank}))::bigint[])"


def _issue_in(rank: int, column: str = "issue_id") -> str:
    # Correlated on the issue's primary key: a read of a few issues' labels or comments
    # probes the issue index once per row. The `IN (SELECT id ...)` form made every such
    # read hash the ids of every issue the user may see first (3-5 ms at 10,000 issues).
    return (
        f"EXISTS (SELECT 1 FROM public.issue AS v WHERE v.id = {column}"
        f" AND v.project_id = ANY ((SELECT public.tracker_projects({rank}))::bigint[]))"
    )


ME = "(SELECT public.tracker_my_user_id())"
SAME_PROJECT_LABEL = (
    "EXISTS (SELECT 1 FROM public.issue AS i JOIN public.label AS l ON l.project_id = i.project_id"
    " WHERE i.id = issue_id AND l.id = label_id"
    " AND i.project_id = ANY ((SELECT public.tracker_projects(2))::bigint[]))"
)

# table -> [(command, USING, WITH CHECK)]; None leaves the clause out.
POLICIES: dict[str, list[tuple[str, str | None, str | None]]] = {
    "app_user": [
        ("SELECT", "true", None),
        ("INSERT", None, "username = session_user"),
        ("UPDATE", "username = session_user", "username = session_user"),
    ],
    "project": [
        ("SELECT", "id = ANY ((SELECT public.tracker_projects(1))::bigint[])", None),
        (
            "UPDATE",
            "id = ANY ((SELECT public.tracker_projects(3))::bigint[])",
            "id = ANY ((SELECT public.tracker_projects(3))::bigint[])",
        ),
    ],
    "project_member": [("SELECT", _in(1), None)],
    "status": [
        ("SELECT", _in(1), None),
        ("INSERT", None, _in(3)),
        ("UPDATE", _in(3), _in(3)),
    ],
    "transition": [("SELECT", _in(1), None), ("INSERT", None, _in(3))],
    "label": [
        ("SELECT", _in(1), None),
        ("INSERT", None, _in(2)),
        ("UPDATE", _in(3), _in(3)),
    ],
    # Sprints (migration 0012): planned, started and closed by admins, as the workflow is.
    "sprint": [
        ("SELECT", _in(1), None),
        ("INSERT", None, _in(3)),
        ("UPDATE", _in(3), _in(3)),
    ],
    "issue": [
        ("SELECT", _in(1), None),
        ("INSERT", None, _in(2)),
        ("UPDATE", _in(2), _in(2)),
    ],
    "issue_label": [
        ("SELECT", _issue_in(1), None),
        # Only a label of the issue's own project: another's names would show through.
        ("INSERT", None, SAME_PROJECT_LABEL),
    ],
    "watcher": [
        ("SELECT", _issue_in(1), None),
        ("INSERT", None, "public.tracker_may_watch(issue_id, user_id)"),
    ],
    "comment": [
        ("SELECT", _issue_in(1), None),
        ("INSERT", None, f"{_issue_in(2)} AND author_id = {ME}"),
        ("UPDATE", f"{_issue_in(2)} AND author_id = {ME}", f"author_id = {ME}"),
    ],
    "issue_link": [
        ("SELECT", f"{_issue_in(1, 'source_id')} AND {_issue_in(1, 'target_id')}", None),
        # Both ends: a link writes into the history of both issues.
        ("INSERT", None, f"{_issue_in(2, 'source_id')} AND {_issue_in(2, 'target_id')}"),
    ],
    "attachment": [
        ("SELECT", _issue_in(1), None),
        ("INSERT", None, f"{_issue_in(2)} AND uploader_id = {ME}"),
    ],
    "saved_filter": [
        ("SELECT", f"owner_id = {ME}", None),
        ("INSERT", None, f"owner_id = {ME}"),
        ("UPDATE", f"owner_id = {ME}", f"owner_id = {ME}"),
    ],
    # Work logs (migration 0013): read with the issue; written by members, as themselves.
    "worklog": [
        ("SELECT", _issue_in(1), None),
        ("INSERT", None, f"{_issue_in(2)} AND user_id = {ME}"),
    ],
    "change": [("SELECT", _in(1), None)],
    "issue_search": [("SELECT", _issue_in(1), None)],
    "schema_migration": [("SELECT", "true", None)],
    # The ownership marker (migration 0005): which program and schema version this is.
    "tracker_meta": [("SELECT", "true", None)],
    "history_pending": [],
    # Applied op ids of offline pushes (migration 0011): each login records and reads only
    # its own, so none can claim or learn another's.
    "sync_op": [
        ("SELECT", "login = session_user", None),
        ("INSERT", None, "login = session_user"),
    ],
    "issue_number_block": [],
}

# table -> (SELECT?, INSERT columns, UPDATE columns). Ids, versions, numbers, reporters/authors
# and timestamps are never the client's: the triggers set them. No table-level UPDATE, DELETE
# or TRUNCATE (each would allow LOCK ... ACCESS EXCLUSIVE): deletes go through sql_deletes.
GRANTS: dict[str, tuple[bool, str, str]] = {
    "app_user": (True, "username, display_name, email", "display_name, email"),
    "project": (True, "", "name, description, archived, work_day_minutes, week_days"),
    "project_member": (True, "", ""),
    "status": (
        True,
        "project_id, name, category, position, wip_limit, colour",
        "name, category, position, wip_limit, colour",
    ),
    "transition": (True, "project_id, from_status_id, to_status_id", ""),
    "label": (True, "project_id, name, colour", "name, colour"),
    # Figures and times of a start or close are the trigger's (sql_sprints); an admin's
    # restore may insert them for a past sprint.
    "sprint": (
        True,
        "project_id, name, start_date, end_date, goal, state, scope_start, scope_close,"
        " done_close, started_at, closed_at",
        "name, start_date, end_date, goal, state",
    ),
    # number, reporter, times and archived may be named, never decided: the insert trigger
    # keeps them only inside a block reserved by tracker_reserve_numbers (reporter, times and
    # archived only for a project admin) and sets them itself otherwise.
    "issue": (
        True,
        "uid, project_id, type, title, description, status_id, priority, assignee_id,"
        " parent_id, rank, due, estimate, number, reporter_id, created_at, updated_at,"
        " resolved_at, archived, sprint_id",
        "type, title, description, status_id, priority, assignee_id, parent_id, rank, due,"
        " estimate, archived, remaining_minutes, sprint_id",
    ),
    # Not user_id or created_at: the trigger sets them from the session and the clock.
    "worklog": (True, "issue_id, on_date, minutes, note", ""),
    "issue_label": (True, "issue_id, label_id", ""),
    "watcher": (True, "issue_id, user_id", ""),
    "comment": (True, "issue_id, body", "body"),
    "issue_link": (True, "kind, source_id, target_id", ""),
    "attachment": (True, "issue_id, name, size, sha256, data", ""),
    "saved_filter": (True, "owner_id, name, query", "name, query"),
    "change": (True, "", ""),
    "issue_search": (True, "", ""),
    "schema_migration": (True, "", ""),
    "tracker_meta": (True, "", ""),
    "history_pending": (False, "", ""),
    # Not `login`: it is the column's DEFAULT session_user, never the client's.
    "sync_op": (True, "op_id, result", ""),
    "issue_number_block": (False, "", ""),
}

# What a user's session calls directly (policies call tracker_projects / tracker_my_user_id).
USER_FUNCTIONS = (
    "tracker_projects(integer)",
    "tracker_my_user_id()",
    "tracker_my_role(bigint)",
    "tracker_set_member(bigint, text, text)",
    "tracker_security_version()",
    "tracker_take_changes()",
    sql_numbers.RESERVE,
    *sql_deletes.SIGNATURES,
)

_DROP = """DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT policyname, tablename FROM pg_catalog.pg_policies
             WHERE schemaname = 'public' AND policyname <> '{keep}'
    LOOP EXECUTE format('DROP POLICY %I ON public.%I', r.policyname, r.tablename);
    END LOOP; END $$"""
DROP_POLICIES = _DROP.format(keep="")
# Before an upgrade: the users' policies name columns (whose types a migration may change);
# the owner's `true` policy names none and lets the owner's migrations see their own rows.
DROP_USER_POLICIES = _DROP.format(keep="owner_all")

# Built-ins no login needs: large objects (unbounded storage outside every table and policy)
# and advisory locks (a shared lock table any session can fill or hold). Per database.
CLOSED_BUILTINS = r"""DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT p.oid::pg_catalog.regprocedure AS sig FROM pg_catalog.pg_proc AS p
             WHERE p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace
               AND (p.proname ~ '^lo_' OR p.proname IN ('loread', 'lowrite')
                    OR p.proname ~ '^pg_(try_)?advisory_') LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', r.sig);
    END LOOP; END $$"""


def closed_builtins() -> list[str]:
    return [CLOSED_BUILTINS]


def statements(dbname_sql: str) -> list[str]:
    """Every statement that (re)applies the policies and privileges; idempotent."""
    out = [
        f"REVOKE ALL ON DATABASE {dbname_sql} FROM PUBLIC",
        # No TEMPORARY: temp objects are what shadowed catalog names in break 1.
        f"REVOKE ALL ON DATABASE {dbname_sql} FROM {U}",
        f"GRANT CONNECT ON DATABASE {dbname_sql} TO {U}",
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {U}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {U}",
        # Identity columns draw ids as the owner: no nextval() for anyone else.
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, {U}",
        f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC, {U}",
        # Functions a later migration creates (run as the owner) start closed too. Not
        # `IN SCHEMA`: a per-schema default can only add to the global one, never revoke.
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER_ROLE} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
        # Drop every policy first so a re-run never keeps a stale one.
        DROP_POLICIES,
        # Every table of the schema, including ones this module does not know yet.
        f"""DO $$ DECLARE r record; BEGIN
            FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') LOOP
                EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', r.relname);
                EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', r.relname);
                EXECUTE format('CREATE POLICY owner_all ON public.%I TO {OWNER_ROLE}'
                               ' USING (true) WITH CHECK (true)', r.relname);
            END LOOP; END $$""",
    ]
    for table, policies in POLICIES.items():
        for command, using, check in policies:
            name = f"users_{command.lower()}"
            sql = f'CREATE POLICY {name} ON "{table}" FOR {command} TO {U}'
            if using is not None:
                sql += f" USING ({using})"
            if check is not None:
                sql += f" WITH CHECK ({check})"
            out.append(sql)
    for table, (select, insert, update) in GRANTS.items():
        if select:
            out.append(f'GRANT SELECT ON "{table}" TO {U}')
        if insert:
            out.append(f'GRANT INSERT ({insert}) ON "{table}" TO {U}')
        if update:
            out.append(f'GRANT UPDATE ({update}) ON "{table}" TO {U}')
    out += [f"GRANT EXECUTE ON FUNCTION {fn} TO {U}" for fn in USER_FUNCTIONS]
    # Views see rows as the caller, never as their owner.
    out.append(
        """DO $$ DECLARE r record; BEGIN
            FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relkind = 'v' LOOP
                EXECUTE format('ALTER VIEW public.%I SET (security_invoker = true)', r.relname);
            END LOOP; END $$"""
    )
    return out
