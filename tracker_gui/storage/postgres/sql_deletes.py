"""SQL of the deletes a user may make on a secured database: one definer function per kind of row.

The users' group holds no table-level DELETE (nor UPDATE or TRUNCATE): any of them would let
a login take `LOCK ... ACCESS EXCLUSIVE` and freeze every project. Each function finds the
row's project, checks the caller's role there and deletes as the owner. A row the caller
cannot see deletes nothing (0, as row-level security would say); a visible row the caller
may not delete raises insufficient_privilege. Each returns how many rows went.
"""

from __future__ import annotations

from tracker_gui.storage.postgres.sql_helpers import DEFINER

DENY = "USING ERRCODE = 'insufficient_privilege'"


def _delete(name: str, args: str, body: str, declare: str = "") -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}({args}) RETURNS integer LANGUAGE plpgsql {DEFINER}"
        f" AS $$\nDECLARE v_project bigint; v_n integer := 0; {declare}\nBEGIN\n{body}\n"
        "    RETURN v_n;\nEND $$"
    )


def _allowed(minimum: int, what: str) -> str:
    return f"public.tracker_may(v_project, {minimum}, '{what}')"


FUNCTIONS = [
    # false: the project is hidden from the caller (or the row is gone); raises when visible
    # but below `p_min`.
    f"""CREATE OR REPLACE FUNCTION tracker_may(p_project bigint, p_min integer, p_what text)
    RETURNS boolean LANGUAGE plpgsql STABLE {DEFINER} AS $$
    DECLARE v_rank integer;
    BEGIN
        IF p_project IS NULL THEN RETURN false; END IF;
        v_rank := public.tracker_role_rank(p_project);
        IF v_rank = 0 THEN RETURN false; END IF;
        IF v_rank < p_min THEN
            RAISE EXCEPTION 'permission denied: %', p_what {DENY};
        END IF;
        RETURN true;
    END $$""",
    _delete(
        "tracker_delete_issue",
        "p_issue bigint, p_version integer",
        f"""
    SELECT i.project_id INTO v_project FROM public.issue AS i WHERE i.id = p_issue;
    IF {_allowed(3, "only a project admin may delete issues")} THEN
        DELETE FROM public.issue AS i WHERE i.id = p_issue AND i.version = p_version;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;""",
    ),
    _delete(
        "tracker_delete_comment",
        "p_comment bigint",
        f"""
    SELECT i.project_id, c.author_id INTO v_project, v_author
    FROM public.comment AS c JOIN public.issue AS i ON i.id = c.issue_id
    WHERE c.id = p_comment;
    IF {_allowed(2, "commenting needs a project member")} THEN
        IF v_author IS DISTINCT FROM public.tracker_my_user_id() THEN
            RAISE EXCEPTION 'permission denied: only the author can delete a comment' {DENY};
        END IF;
        DELETE FROM public.comment AS c WHERE c.id = p_comment;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;""",
        "v_author bigint;",
    ),
    # A work log: its author, or an admin of the project (migration 0013).
    _delete(
        "tracker_delete_worklog",
        "p_worklog bigint",
        f"""
    SELECT i.project_id, w.user_id INTO v_project, v_user
    FROM public.worklog AS w JOIN public.issue AS i ON i.id = w.issue_id
    WHERE w.id = p_worklog;
    IF {_allowed(2, "time tracking needs a project member")} THEN
        IF v_user IS DISTINCT FROM public.tracker_my_user_id()
           AND public.tracker_role_rank(v_project) < 3 THEN
            RAISE EXCEPTION
                'permission denied: only its author or a project admin removes a work log'
                {DENY};
        END IF;
        DELETE FROM public.worklog AS w WHERE w.id = p_worklog;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;""",
        "v_user bigint;",
    ),
    # Both ends: whoever may not write the other issue must not remove what it says.
    _delete(
        "tracker_delete_link",
        "p_link bigint",
        f"""
    SELECT s.project_id, t.project_id INTO v_project, v_other
    FROM public.issue_link AS l JOIN public.issue AS s ON s.id = l.source_id
    JOIN public.issue AS t ON t.id = l.target_id WHERE l.id = p_link;
    IF public.tracker_role_rank(v_other) = 0 THEN RETURN 0; END IF;
    IF {_allowed(2, "a link is changed by a member of both projects")}
       AND public.tracker_may(v_other, 2, 'a link is changed by a member of both projects') THEN
        DELETE FROM public.issue_link AS l WHERE l.id = p_link;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;""",
        "v_other bigint;",
    ),
    # Watchers: only people with a role in the project watch; a member adds and removes
    # only themselves, an admin anyone. The watcher INSERT policy asks this too.
    f"""CREATE OR REPLACE FUNCTION tracker_may_watch(p_issue bigint, p_user bigint)
    RETURNS boolean LANGUAGE sql STABLE {DEFINER} AS $$
        SELECT coalesce(public.tracker_role_rank(i.project_id) >= CASE
                   WHEN p_user = public.tracker_my_user_id() THEN 2 ELSE 3 END, false)
           AND EXISTS (SELECT 1 FROM public.app_user AS u
                       JOIN public.project_member AS m ON m.username = u.username
                       WHERE u.id = p_user AND m.project_id = i.project_id)
        FROM public.issue AS i WHERE i.id = p_issue $$""",
    _delete(
        "tracker_delete_watcher",
        "p_issue bigint, p_user bigint",
        f"""
    SELECT i.project_id INTO v_project FROM public.issue AS i WHERE i.id = p_issue;
    IF {_allowed(2, "watching needs a project member")} THEN
        IF p_user IS DISTINCT FROM public.tracker_my_user_id()
           AND public.tracker_role_rank(v_project) < 3 THEN
            RAISE EXCEPTION 'permission denied: only an admin removes someone else''s watch'
                {DENY};
        END IF;
        DELETE FROM public.watcher AS w WHERE w.issue_id = p_issue AND w.user_id = p_user;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;""",
    ),
    _delete(
        "tracker_delete_issue_labels",
        "p_issue bigint",
        f"""
    SELECT i.project_id INTO v_project FROM public.issue AS i WHERE i.id = p_issue;
    IF {_allowed(2, "labelling needs a project member")} THEN
        DELETE FROM public.issue_label AS il WHERE il.issue_id = p_issue;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;""",
    ),
    _delete(
        "tracker_delete_issue_label",
        "p_issue bigint, p_label bigint",
        f"""
    SELECT i.project_id INTO v_project FROM public.issue AS i WHERE i.id = p_issue;
    IF {_allowed(2, "labelling needs a project member")} THEN
        DELETE FROM public.issue_label AS il
        WHERE il.issue_id = p_issue AND il.label_id = p_label;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;""",
    ),
    _delete(
        "tracker_delete_transitions",
        "p_project bigint",
        f"""
    v_project := p_project;
    IF {_allowed(3, "changing the workflow needs an admin")} THEN
        DELETE FROM public.transition AS t WHERE t.project_id = p_project;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;""",
    ),
    _delete(
        "tracker_delete_transition",
        "p_transition bigint",
        f"""
    SELECT t.project_id INTO v_project FROM public.transition AS t WHERE t.id = p_transition;
    IF {_allowed(3, "changing the workflow needs an admin")} THEN
        DELETE FROM public.transition AS t WHERE t.id = p_transition;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;""",
    ),
    _delete(
        "tracker_delete_status",
        "p_status bigint",
        f"""
    SELECT s.project_id INTO v_project FROM public.status AS s WHERE s.id = p_status;
    IF {_allowed(3, "changing the workflow needs an admin")} THEN
        DELETE FROM public.status AS s WHERE s.id = p_status;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;""",
    ),
    _delete(
        "tracker_delete_label",
        "p_label bigint",
        f"""
    SELECT l.project_id INTO v_project FROM public.label AS l WHERE l.id = p_label;
    IF {_allowed(3, "deleting a label needs an admin")} THEN
        DELETE FROM public.label AS l WHERE l.id = p_label;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;""",
    ),
    _delete(
        "tracker_delete_attachment",
        "p_attachment bigint",
        f"""
    SELECT i.project_id INTO v_project
    FROM public.attachment AS a JOIN public.issue AS i ON i.id = a.issue_id
    WHERE a.id = p_attachment;
    IF {_allowed(3, "deleting an attachment needs an admin")} THEN
        DELETE FROM public.attachment AS a WHERE a.id = p_attachment;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;""",
    ),
    # One's own filters only; someone else's is as good as absent.
    _delete(
        "tracker_delete_saved_filter",
        "p_filter bigint",
        """
    DELETE FROM public.saved_filter AS f
    WHERE f.id = p_filter AND f.owner_id = public.tracker_my_user_id();
    GET DIAGNOSTICS v_n = ROW_COUNT;""",
    ),
]


# What the users' group may call: signatures as the catalog prints them.
SIGNATURES = (
    "tracker_may_watch(bigint, bigint)",
    "tracker_delete_issue(bigint, integer)",
    "tracker_delete_comment(bigint)",
    "tracker_delete_link(bigint)",
    "tracker_delete_watcher(bigint, bigint)",
    "tracker_delete_issue_labels(bigint)",
    "tracker_delete_issue_label(bigint, bigint)",
    "tracker_delete_transitions(bigint)",
    "tracker_delete_transition(bigint)",
    "tracker_delete_status(bigint)",
    "tracker_delete_label(bigint)",
    "tracker_delete_attachment(bigint)",
    "tracker_delete_saved_filter(bigint)",
    "tracker_delete_worklog(bigint)",
)
