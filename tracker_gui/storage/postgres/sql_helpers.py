"""SQL of the security helpers: membership table, role look-ups, the history writer and encoders.

Every function here is created by the owner role; those marked SECURITY DEFINER run as the
owner with a fixed search_path. Which of them a user may call is decided in sql_policies.
"""

from __future__ import annotations

from tracker_gui.storage.postgres import SECURITY_VERSION

# pg_temp last: left out, it is searched first, and a caller's temp view named pg_roles (or a
# temp table issue_search, or a temp domain text) would stand in for ours, as the owner.
SEARCH_PATH = "pg_catalog, public, pg_temp"
DEFINER = f"SECURITY DEFINER SET search_path = {SEARCH_PATH}"
# Statement time, not transaction start: a transaction held open cannot backdate its rows.
NOW = "(pg_catalog.clock_timestamp() AT TIME ZONE 'UTC')"
DENY = "USING ERRCODE = 'insufficient_privilege'"


def trigger_function(name: str, body: str, declare: str = "") -> str:
    """CREATE OR REPLACE of a plpgsql trigger function, a definer with its path pinned."""
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql {DEFINER} AS $$\n"
        f"{('DECLARE ' + declare) if declare else ''}\nBEGIN\n{body}\nEND $$"
    )


TABLES = [
    """CREATE TABLE IF NOT EXISTS project_member (
        project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
        username text NOT NULL,
        role text NOT NULL CHECK (role IN ('viewer', 'member', 'admin')),
        PRIMARY KEY (project_id, username))""",
    # What a deferred trigger needs to know at commit: labels before the transaction, a
    # project or issue created in it. Rows live for one transaction; users have no access.
    """CREATE TABLE IF NOT EXISTS history_pending (
        xact xid8 NOT NULL DEFAULT pg_current_xact_id(),
        kind text NOT NULL,
        key bigint NOT NULL,
        old text,
        PRIMARY KEY (xact, kind, key))""",
]

# Functions whose return type became bigint: CREATE OR REPLACE cannot change it, so the old
# one goes first (the policies that call it were dropped before, and are rebuilt after).
RETYPED = [
    f"""DO $$ BEGIN
        IF pg_catalog.pg_get_function_result(
               pg_catalog.to_regprocedure('public.{sig}')) <> '{returns}' THEN
            DROP FUNCTION public.{sig};
        END IF; END $$"""
    for sig, returns in (
        ("tracker_projects(integer)", "bigint[]"),
        ("tracker_my_user_id()", "bigint"),
    )
]

FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION tracker_security_version() RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT {SECURITY_VERSION} $$""",
    # 0 none, 1 viewer, 2 member, 3 admin; a superuser is admin everywhere.
    f"""CREATE OR REPLACE FUNCTION tracker_role_rank(p_project bigint) RETURNS integer
    LANGUAGE sql STABLE {DEFINER} AS $$
        SELECT CASE
            WHEN (SELECT r.rolsuper FROM pg_catalog.pg_roles AS r
                  WHERE r.rolname = session_user) THEN 3
            ELSE coalesce((SELECT CASE m.role WHEN 'viewer' THEN 1 WHEN 'member' THEN 2
                                              WHEN 'admin' THEN 3 END
                           FROM public.project_member AS m
                           WHERE m.project_id = p_project AND m.username = session_user), 0)
        END $$""",
    # Projects where the session user has at least `p_min`: one call per query in policies.
    f"""CREATE OR REPLACE FUNCTION tracker_projects(p_min integer) RETURNS bigint[]
    LANGUAGE sql STABLE {DEFINER} AS $$
        SELECT coalesce(array_agg(m.project_id), '{{}}') FROM public.project_member AS m
        WHERE m.username = session_user
          AND CASE m.role WHEN 'viewer' THEN 1 WHEN 'member' THEN 2 WHEN 'admin' THEN 3 END
              >= p_min $$""",
    f"""CREATE OR REPLACE FUNCTION tracker_my_role(p_project bigint) RETURNS text
    LANGUAGE sql STABLE {DEFINER} AS $$
        SELECT CASE public.tracker_role_rank(p_project)
            WHEN 1 THEN 'viewer' WHEN 2 THEN 'member' WHEN 3 THEN 'admin' END $$""",
    f"""CREATE OR REPLACE FUNCTION tracker_my_user_id() RETURNS bigint
    LANGUAGE sql STABLE {DEFINER} AS $$
        SELECT u.id FROM public.app_user AS u WHERE u.username = session_user $$""",
    f"""CREATE OR REPLACE FUNCTION tracker_set_member(
        p_project bigint, p_username text, p_role text) RETURNS void
    LANGUAGE plpgsql {DEFINER} AS $$
    DECLARE v_old pg_catalog.text;
    BEGIN
        IF public.tracker_role_rank(p_project) < 3 THEN
            RAISE EXCEPTION 'permission denied: only an admin of the project may change members'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        SELECT m.role INTO v_old FROM public.project_member AS m
        WHERE m.project_id = p_project AND m.username = p_username;
        IF p_role IS NULL THEN
            DELETE FROM public.project_member AS m
            WHERE m.project_id = p_project AND m.username = p_username;
            IF v_old IS NOT NULL THEN
                PERFORM public.tracker_log(p_project, NULL, 'member', p_username || ' ' || v_old,
                                           NULL);
            END IF;
            RETURN;
        END IF;
        IF p_role NOT IN ('viewer', 'member', 'admin') THEN
            RAISE EXCEPTION 'unknown role %', p_role USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles AS r
                       JOIN pg_catalog.pg_auth_members AS m ON m.member = r.oid
                       WHERE r.rolname = p_username AND r.rolcanlogin
                         AND m.roleid = 'tracker_users'::pg_catalog.regrole) THEN
            RAISE EXCEPTION 'no tracker login named %', p_username
                USING ERRCODE = 'undefined_object',
                      HINT = 'create it with: tracker-gui admin add-user';
        END IF;
        INSERT INTO public.app_user (username, display_name, email, created_at)
        VALUES (p_username, p_username, '', pg_catalog.clock_timestamp() AT TIME ZONE 'UTC')
        ON CONFLICT (username) DO NOTHING;
        INSERT INTO public.project_member (project_id, username, role)
        VALUES (p_project, p_username, p_role)
        ON CONFLICT (project_id, username) DO UPDATE SET role = EXCLUDED.role;
        -- Who was given which role is history too (the actor is the admin who did it).
        IF v_old IS DISTINCT FROM p_role THEN
            PERFORM public.tracker_log(p_project, NULL, 'member',
                                       p_username || ' ' || v_old, p_username || ' ' || p_role);
        END IF;
    END $$""",
    # The Change rows this transaction wrote so far, in one round trip: deferred history
    # (label sets, a new issue's snapshot, the workflow) is written now, the list is
    # emptied, and deferral is switched back on for whatever the transaction does next.
    # The caller's own rights read the rows (row-level security applies).
    f"""CREATE OR REPLACE FUNCTION tracker_take_changes() RETURNS TABLE (
        id bigint, project_id bigint, issue_id bigint, actor text, "at" timestamp,
        field text, "old" text, "new" text, change_set text, origin text, op_id text)
    LANGUAGE plpgsql SET search_path = {SEARCH_PATH} AS $$
    DECLARE v_ids bigint[];
    BEGIN
        SET CONSTRAINTS ALL IMMEDIATE;
        v_ids := pg_catalog.string_to_array(
            nullif(current_setting('tracker.changes', true), ''), ',')::bigint[];
        PERFORM set_config('tracker.changes', '', true);
        SET CONSTRAINTS ALL DEFERRED;
        IF v_ids IS NULL THEN RETURN; END IF;
        RETURN QUERY
            SELECT c.id::bigint, c.project_id::bigint, c.issue_id::bigint, c.actor::text,
                   c."at", c.field::text, c."old", c."new", c.change_set::text,
                   c.origin::text, c.op_id::text
            FROM public.change AS c WHERE c.id = ANY (v_ids) ORDER BY c.id;
    END $$""",
    # Append one Change row as the session user, and remember its id for this transaction
    # so the app can read back exactly the rows its own call produced.
    f"""CREATE OR REPLACE FUNCTION tracker_log(
        p_project bigint, p_issue bigint, p_field text, p_old text, p_new text) RETURNS void
    LANGUAGE plpgsql {DEFINER} AS $$
    DECLARE v_id bigint;
    BEGIN
        INSERT INTO public.change (project_id, issue_id, actor, "at", field, "old", "new")
        VALUES (p_project, p_issue, session_user,
                pg_catalog.clock_timestamp() AT TIME ZONE 'UTC',
                p_field, p_old, p_new)
        RETURNING id INTO v_id;
        PERFORM set_config('tracker.changes',
            coalesce(nullif(current_setting('tracker.changes', true), '') || ',', '')
            || v_id::pg_catalog.text, true);
    END $$""",
    # Python's json.dumps(ensure_ascii=True) of one string, byte for byte.
    """CREATE OR REPLACE FUNCTION tracker_json(p text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE AS $$
    BEGIN
        IF p IS NULL THEN RETURN 'null'; END IF;
        IF p ~ '^[ -~]*$' THEN
            RETURN '"' || replace(replace(p, '\\', '\\\\'), '"', '\\"') || '"';
        END IF;
        RETURN '"' || (SELECT string_agg(CASE
                WHEN ch = '\\' THEN '\\\\' WHEN ch = '"' THEN '\\"'
                WHEN ch = E'\\n' THEN '\\n' WHEN ch = E'\\r' THEN '\\r'
                WHEN ch = E'\\t' THEN '\\t' WHEN ch = E'\\b' THEN '\\b'
                WHEN ch = E'\\f' THEN '\\f'
                WHEN ascii(ch) BETWEEN 32 AND 126 THEN ch
                WHEN ascii(ch) > 65535 THEN
                    '\\u' || lpad(to_hex(55296 + ((ascii(ch) - 65536) >> 10)), 4, '0')
                    || '\\u' || lpad(to_hex(56320 + ((ascii(ch) - 65536) & 1023)), 4, '0')
                ELSE '\\u' || lpad(to_hex(ascii(ch)), 4, '0') END, '' ORDER BY n)
            FROM regexp_split_to_table(p, '') WITH ORDINALITY AS t (ch, n)) || '"';
    END $$""",
    # Python's repr(float) of an estimate as the app reads it (a float4 column, shortest text).
    """CREATE OR REPLACE FUNCTION tracker_float_text(p real) RETURNS text
    LANGUAGE sql IMMUTABLE SET extra_float_digits = 1 AS $$
        SELECT CASE WHEN p::pg_catalog.text ~ '^-?[0-9]+$' THEN p::pg_catalog.text || '.0'
                    ELSE p::pg_catalog.text END $$""",
    """CREATE OR REPLACE FUNCTION tracker_priority_text(p integer) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE p WHEN 1 THEN 'lowest' WHEN 2 THEN 'low' WHEN 3 THEN 'medium'
                      WHEN 4 THEN 'high' WHEN 5 THEN 'highest' ELSE p::pg_catalog.text END $$""",
    f"""CREATE OR REPLACE FUNCTION tracker_username(p_user bigint) RETURNS text
    LANGUAGE sql STABLE {DEFINER} AS $$
        SELECT u.username FROM public.app_user AS u WHERE u.id = p_user $$""",
    f"""CREATE OR REPLACE FUNCTION tracker_issue_key(p_issue bigint) RETURNS text
    LANGUAGE sql STABLE {DEFINER} AS $$
        SELECT p.key || '-' || i.number FROM public.issue AS i
        JOIN public.project AS p ON p.id = i.project_id WHERE i.id = p_issue $$""",
    f"""CREATE OR REPLACE FUNCTION tracker_labels_text(p_issue bigint) RETURNS text
    LANGUAGE sql STABLE {DEFINER} AS $$
        SELECT coalesce(string_agg(l.name, ',' ORDER BY l.name COLLATE "C"), '')
        FROM public.issue_label AS il JOIN public.label AS l ON l.id = il.label_id
        WHERE il.issue_id = p_issue $$""",
    # The `new` text of a `created` Change: history.snapshot() in SQL, byte for byte: keys
    # sorted, compact, no title or description (the row has them) and no field still empty
    # (history.EMPTY: not archived, no assignee, due, estimate, parent or labels).
    f"""CREATE OR REPLACE FUNCTION tracker_issue_snapshot(p_issue bigint) RETURNS text
    LANGUAGE sql STABLE {DEFINER} AS $$
        SELECT '{{' || concat_ws(',',
            CASE WHEN i.archived THEN '"archived":"true"' END,
            CASE WHEN v.assignee IS NOT NULL
                THEN '"assignee":' || public.tracker_json(v.assignee) END,
            CASE WHEN v.due IS NOT NULL
                THEN '"due":' || public.tracker_json(v.due) END,
            CASE WHEN v.estimate IS NOT NULL
                THEN '"estimate":' || public.tracker_json(v.estimate) END,
            CASE WHEN v.labels IS NOT NULL
                THEN '"labels":' || public.tracker_json(v.labels) END,
            CASE WHEN v.parent IS NOT NULL
                THEN '"parent":' || public.tracker_json(v.parent) END,
            '"priority":' || public.tracker_json(public.tracker_priority_text(i.priority)),
            '"rank":' || public.tracker_json(i.rank),
            '"status":' || public.tracker_json(i.status_id::pg_catalog.text),
            '"type":' || public.tracker_json(i.type)) || '}}'
        FROM public.issue AS i, LATERAL (SELECT
            public.tracker_username(i.assignee_id) AS assignee,
            to_char(i.due, 'YYYY-MM-DD') AS due,
            public.tracker_float_text(i.estimate) AS estimate,
            nullif(public.tracker_labels_text(i.id), '') AS labels,
            i.parent_id::pg_catalog.text AS parent) AS v
        WHERE i.id = p_issue $$""",
    f"""CREATE OR REPLACE FUNCTION tracker_pending(p_kind text, p_key bigint) RETURNS boolean
    LANGUAGE sql STABLE {DEFINER} AS $$
        SELECT EXISTS (SELECT 1 FROM public.history_pending
                       WHERE xact = pg_current_xact_id() AND kind = p_kind AND key = p_key) $$""",
]
