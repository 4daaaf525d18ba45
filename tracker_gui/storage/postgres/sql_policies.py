"""SQL of row-level security, column grants and function privileges for the users' group role.

Roles by rank: 1 viewer reads; 2 member creates, edits, moves and comments; 3 admin also
deletes, archives (checked in the issue trigger) and changes the workflow. Membership
changes only through tracker_set_member(). The owner role gets an explicit all-rows policy
because FORCE ROW LEVEL SECURITY applies to it too (its definer triggers need it).
"""

from __future__ import annotations

from tracker_gui.storage.postgres import OWNER_ROLE, USERS_ROLE

U = USERS_ROLE


def _in(rank: int) -> str:
    return f"project_id = ANY (public.tracker_projects({rank}))"


def _issue_in(rank: int, column: str = "issue_id") -> str:
    return (
        f"{column} IN (SELECT id FROM public.issue"
        f" WHERE project_id = ANY (public.tracker_projects({rank})))"
    )


ME = "public.tracker_my_user_id()"
SAME_PROJECT_LABEL = (
    "EXISTS (SELECT 1 FROM public.issue AS i JOIN public.label AS l ON l.project_id = i.project_id"
    " WHERE i.id = issue_id AND l.id = label_id"
    " AND i.project_id = ANY (public.tracker_projects(2)))"
)

# table -> [(command, USING, WITH CHECK)]; None leaves the clause out.
POLICIES: dict[str, list[tuple[str, str | None, str | None]]] = {
    "app_user": [
        ("SELECT", "true", None),
        ("INSERT", None, "username = session_user"),
        ("UPDATE", "username = session_user", "username = session_user"),
    ],
    "project": [
        ("SELECT", "id = ANY (public.tracker_projects(1))", None),
        (
            "UPDATE",
            "id = ANY (public.tracker_projects(3))",
            "id = ANY (public.tracker_projects(3))",
        ),
    ],
    "project_member": [("SELECT", _in(1), None)],
    "status": [
        ("SELECT", _in(1), None),
        ("INSERT", None, _in(3)),
        ("UPDATE", _in(3), _in(3)),
        ("DELETE", _in(3), None),
    ],
    "transition": [("SELECT", _in(1), None), ("INSERT", None, _in(3)), ("DELETE", _in(3), None)],
    "label": [
        ("SELECT", _in(1), None),
        ("INSERT", None, _in(2)),
        ("UPDATE", _in(3), _in(3)),
        ("DELETE", _in(3), None),
    ],
    "issue": [
        ("SELECT", _in(1), None),
        ("INSERT", None, _in(2)),
        ("UPDATE", _in(2), _in(2)),
        ("DELETE", _in(3), None),
    ],
    "issue_label": [
        ("SELECT", _issue_in(1), None),
        # Only a label of the issue's own project: another's names would show through.
        ("INSERT", None, SAME_PROJECT_LABEL),
        ("DELETE", _issue_in(2), None),
    ],
    "watcher": [
        ("SELECT", _issue_in(1), None),
        ("INSERT", None, _issue_in(2)),
        ("DELETE", _issue_in(2), None),
    ],
    "comment": [
        ("SELECT", _issue_in(1), None),
        ("INSERT", None, f"{_issue_in(2)} AND author_id = {ME}"),
        ("UPDATE", f"{_issue_in(2)} AND author_id = {ME}", f"author_id = {ME}"),
        ("DELETE", f"{_issue_in(2)} AND author_id = {ME}", None),
    ],
    "issue_link": [
        ("SELECT", f"{_issue_in(1, 'source_id')} AND {_issue_in(1, 'target_id')}", None),
        ("INSERT", None, f"{_issue_in(2, 'source_id')} AND {_issue_in(1, 'target_id')}"),
        ("DELETE", _issue_in(2, "source_id"), None),
    ],
    "attachment": [
        ("SELECT", _issue_in(1), None),
        ("INSERT", None, f"{_issue_in(2)} AND uploader_id = {ME}"),
        ("DELETE", _issue_in(3), None),
    ],
    "saved_filter": [("ALL", f"owner_id = {ME}", f"owner_id = {ME}")],
    "change": [("SELECT", _in(1), None)],
    "issue_search": [("SELECT", _issue_in(1), None)],
    "schema_migration": [("SELECT", "true", None)],
    "history_pending": [],
}

# table -> (SELECT?, INSERT columns, UPDATE columns, DELETE?). Ids, versions, numbers,
# reporters/authors and timestamps are never the client's: the triggers set them.
GRANTS: dict[str, tuple[bool, str, str, bool]] = {
    "app_user": (True, "username, display_name, email", "display_name, email", False),
    "project": (True, "", "name, description, archived", False),
    "project_member": (True, "", "", False),
    "status": (
        True,
        "project_id, name, category, position, wip_limit, colour",
        "name, category, position, wip_limit, colour",
        True,
    ),
    "transition": (True, "project_id, from_status_id, to_status_id", "", True),
    "label": (True, "project_id, name, colour", "name, colour", True),
    "issue": (
        True,
        "uid, project_id, type, title, description, status_id, priority, assignee_id,"
        " parent_id, rank, due, estimate",
        "type, title, description, status_id, priority, assignee_id, parent_id, rank, due,"
        " estimate, archived",
        True,
    ),
    "issue_label": (True, "issue_id, label_id", "", True),
    "watcher": (True, "issue_id, user_id", "", True),
    "comment": (True, "issue_id, body", "body", True),
    "issue_link": (True, "kind, source_id, target_id", "", True),
    "attachment": (True, "issue_id, name, size, sha256, data", "", True),
    "saved_filter": (True, "owner_id, name, query", "name, query", True),
    "change": (True, "", "", False),
    "issue_search": (True, "", "", False),
    "schema_migration": (True, "", "", False),
    "history_pending": (False, "", "", False),
}

# What a user's session calls directly (policies call tracker_projects / tracker_my_user_id).
USER_FUNCTIONS = (
    "tracker_projects(integer)",
    "tracker_my_user_id()",
    "tracker_my_role(integer)",
    "tracker_set_member(integer, text, text)",
    "tracker_security_version()",
)


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
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, {U}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {U}",
        f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC, {U}",
        # Functions a later migration creates (run as the owner) start closed too. Not
        # `IN SCHEMA`: a per-schema default can only add to the global one, never revoke.
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER_ROLE} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
        # Drop every policy first so a re-run never keeps a stale one.
        """DO $$ DECLARE r record; BEGIN
            FOR r IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'public'
            LOOP EXECUTE format('DROP POLICY %I ON public.%I', r.policyname, r.tablename);
            END LOOP; END $$""",
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
    for table, (select, insert, update, delete) in GRANTS.items():
        if select:
            out.append(f'GRANT SELECT ON "{table}" TO {U}')
        if insert:
            out.append(f'GRANT INSERT ({insert}) ON "{table}" TO {U}')
        if update:
            out.append(f'GRANT UPDATE ({update}) ON "{table}" TO {U}')
        if delete:
            out.append(f'GRANT DELETE ON "{table}" TO {U}')
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
