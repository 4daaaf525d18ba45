"""SQL of the triggers: server-set columns, workflow rules, and the Change log written for the app.

The Change rows written here are the ones the services write on SQLite (same field names,
same old/new text, same order), so history, activity and the live feed read them alike.
Rows that sum up a whole statement (a label set, the transitions, the status order, a new
issue's snapshot) are written by deferred constraint triggers at commit, or when the app
says SET CONSTRAINTS ALL IMMEDIATE before reading them back.
"""

from __future__ import annotations

from tracker_gui.domain.link_history import INWARD
from tracker_gui.storage.postgres import sql_workflow
from tracker_gui.storage.postgres.sql_helpers import (
    DEFINER,
    DENY,
    NOW,
    SEARCH_PATH,
    trigger_function,
)

_fn = trigger_function  # the short name the SQL below (and sql_audit) uses


def _inward(kind: str) -> str:
    """SQL for the target's phrase of a link kind, from domain/link_history.INWARD."""
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in INWARD.items())
    return f"(CASE {kind} {whens} ELSE {kind} END)"


FUNCTIONS = [
    # -- issues ------------------------------------------------------------------------------
    _fn(
        "tracker_issue_before_insert",
        f"""
    IF NOT EXISTS (SELECT 1 FROM public.status
                   WHERE id = NEW.status_id AND project_id = NEW.project_id) THEN
        RAISE EXCEPTION 'workflow: that status belongs to another project'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.issue
            WHERE id = NEW.parent_id AND project_id = NEW.project_id) THEN
        RAISE EXCEPTION 'the parent must be in the same project' USING ERRCODE = 'check_violation';
    END IF;
    v_done := (SELECT category FROM public.status WHERE id = NEW.status_id) = 'done';
    NEW.version := 1;
    -- A number from a block this transaction reserved (sql_numbers: an import, the demo) is
    -- kept, so the keys it planned are the keys it wrote. A project admin's bulk write there
    -- also keeps its reporters and times (the history still says who wrote it, and when).
    v_block := public.tracker_number_reserved(NEW.project_id, NEW.number);
    IF v_block AND public.tracker_role_rank(NEW.project_id) >= 3 THEN
        NEW.reporter_id := coalesce(NEW.reporter_id, public.tracker_my_user_id());
        NEW.created_at := least(coalesce(NEW.created_at, v_now), v_now);
        NEW.updated_at := least(greatest(coalesce(NEW.updated_at, NEW.created_at),
                                         NEW.created_at), v_now);
        NEW.archived := coalesce(NEW.archived, false);
        NEW.resolved_at := CASE WHEN v_done THEN least(greatest(coalesce(NEW.resolved_at,
                               NEW.updated_at), NEW.created_at), v_now) END;
        RETURN NEW;
    END IF;
    NEW.reporter_id := coalesce(public.tracker_my_user_id(), NEW.reporter_id);
    IF NOT v_block THEN
        UPDATE public.project SET next_number = next_number + 1 WHERE id = NEW.project_id
            RETURNING next_number - 1 INTO NEW.number;
    END IF;
    NEW.created_at := {NOW};  -- after the project row lock was granted, as before
    NEW.updated_at := NEW.created_at;
    NEW.archived := false;
    NEW.resolved_at := CASE WHEN v_done THEN NEW.created_at END;
    RETURN NEW;""",
        f"v_now timestamp := {NOW}; v_done boolean; v_block boolean;",
    ),
    _fn(
        "tracker_issue_before_update",
        f"""
    NEW.id := OLD.id; NEW.uid := OLD.uid; NEW.project_id := OLD.project_id;
    NEW.number := OLD.number; NEW.reporter_id := OLD.reporter_id;
    NEW.created_at := OLD.created_at;
    NEW.version := OLD.version + 1;
    NEW.updated_at := {NOW};
    NEW.resolved_at := OLD.resolved_at;
    IF NEW.parent_id IS DISTINCT FROM OLD.parent_id AND NEW.parent_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM public.issue
                       WHERE id = NEW.parent_id AND project_id = OLD.project_id) THEN
        RAISE EXCEPTION 'the parent must be in the same project' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.archived IS DISTINCT FROM OLD.archived
       AND public.tracker_role_rank(OLD.project_id) < 3 THEN
        RAISE EXCEPTION 'permission denied: only a project admin may archive issues' {DENY};
    END IF;
    IF NEW.status_id IS DISTINCT FROM OLD.status_id THEN
        SELECT * INTO v_to FROM public.status WHERE id = NEW.status_id;
        SELECT * INTO v_from FROM public.status WHERE id = OLD.status_id;
        IF v_to.project_id IS DISTINCT FROM OLD.project_id THEN
            RAISE EXCEPTION 'workflow: that status belongs to another project'
                USING ERRCODE = 'check_violation';
        END IF;
        IF v_from.id IS NOT NULL
           AND EXISTS (SELECT 1 FROM public.transition WHERE project_id = OLD.project_id)
           AND NOT EXISTS (SELECT 1 FROM public.transition WHERE project_id = OLD.project_id
                           AND from_status_id = OLD.status_id
                           AND to_status_id = NEW.status_id) THEN
            RAISE EXCEPTION 'workflow: moving from % to % is not allowed', v_from.name, v_to.name
                USING ERRCODE = 'check_violation';
        END IF;
        IF v_to.wip_limit IS NOT NULL AND NOT NEW.archived
           AND (SELECT count(*) FROM public.issue WHERE status_id = NEW.status_id
                AND NOT archived) >= v_to.wip_limit THEN
            RAISE EXCEPTION 'workflow: % is at its WIP limit of %', v_to.name, v_to.wip_limit
                USING ERRCODE = 'check_violation';
        END IF;
        IF (v_to.category = 'done') IS DISTINCT FROM (v_from.category = 'done') THEN
            NEW.resolved_at := CASE WHEN v_to.category = 'done' THEN NEW.updated_at END;
        END IF;
    END IF;
    RETURN NEW;""",
        "v_to public.status; v_from public.status;",
    ),
    _fn(
        "tracker_issue_after_insert",
        """
    INSERT INTO public.history_pending (kind, key) VALUES ('created', NEW.id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;""",
    ),
    _fn(
        "tracker_issue_created_commit",
        """
    DELETE FROM public.history_pending
        WHERE xact = pg_current_xact_id() AND kind = 'created' AND key = NEW.id;
    IF FOUND AND EXISTS (SELECT 1 FROM public.issue WHERE id = NEW.id) THEN
        PERFORM public.tracker_log(NEW.project_id, NEW.id, 'created', NULL,
                                   public.tracker_issue_snapshot(NEW.id));
    END IF;
    RETURN NULL;""",
    ),
    _fn(
        "tracker_issue_after_update",
        """
    IF NEW.title IS DISTINCT FROM OLD.title THEN
        PERFORM public.tracker_log(p, i, 'title', OLD.title, NEW.title); END IF;
    IF NEW.description IS DISTINCT FROM OLD.description THEN
        PERFORM public.tracker_log(p, i, 'description', OLD.description, NEW.description);
    END IF;
    IF NEW.type IS DISTINCT FROM OLD.type THEN
        PERFORM public.tracker_log(p, i, 'type', OLD.type, NEW.type); END IF;
    IF NEW.priority IS DISTINCT FROM OLD.priority THEN
        PERFORM public.tracker_log(p, i, 'priority', public.tracker_priority_text(OLD.priority),
                                   public.tracker_priority_text(NEW.priority)); END IF;
    IF NEW.due IS DISTINCT FROM OLD.due THEN
        PERFORM public.tracker_log(p, i, 'due', to_char(OLD.due, 'YYYY-MM-DD'),
                                   to_char(NEW.due, 'YYYY-MM-DD')); END IF;
    IF NEW.estimate IS DISTINCT FROM OLD.estimate THEN
        PERFORM public.tracker_log(p, i, 'estimate', public.tracker_float_text(OLD.estimate),
                                   public.tracker_float_text(NEW.estimate)); END IF;
    IF NEW.assignee_id IS DISTINCT FROM OLD.assignee_id THEN
        PERFORM public.tracker_log(p, i, 'assignee', public.tracker_username(OLD.assignee_id),
                                   public.tracker_username(NEW.assignee_id)); END IF;
    IF NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
        PERFORM public.tracker_log(p, i, 'parent', OLD.parent_id::pg_catalog.text,
                                   NEW.parent_id::pg_catalog.text);
    END IF;
    IF NEW.status_id IS DISTINCT FROM OLD.status_id THEN
        PERFORM public.tracker_log(p, i, 'status', OLD.status_id::pg_catalog.text,
                                   NEW.status_id::pg_catalog.text);
    END IF;
    IF NEW.rank IS DISTINCT FROM OLD.rank THEN
        PERFORM public.tracker_log(p, i, 'rank', OLD.rank, NEW.rank); END IF;
    IF NEW.archived IS DISTINCT FROM OLD.archived THEN
        PERFORM public.tracker_log(p, i, 'archived',
            CASE WHEN OLD.archived THEN 'true' ELSE 'false' END,
            CASE WHEN NEW.archived THEN 'true' ELSE 'false' END); END IF;
    RETURN NULL;""",
        "p bigint := NEW.project_id; i bigint := NEW.id;",
    ),
    _fn(
        "tracker_issue_after_delete",
        """
    PERFORM public.tracker_log(OLD.project_id, OLD.id, 'deleted',
        (SELECT key FROM public.project WHERE id = OLD.project_id) || '-' || OLD.number, NULL);
    RETURN NULL;""",
    ),
    # -- labels of an issue: one `labels` row per issue and transaction ----------------------
    _fn(
        "tracker_issue_label_changed",
        """
    v_issue := CASE WHEN TG_OP = 'DELETE' THEN OLD.issue_id ELSE NEW.issue_id END;
    IF public.tracker_pending('created', v_issue)
       OR NOT EXISTS (SELECT 1 FROM public.issue WHERE id = v_issue) THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    -- BEFORE the first row change of the transaction: the set it started from.
    IF NOT public.tracker_pending('labels', v_issue) THEN
        INSERT INTO public.history_pending (kind, key, old)
        VALUES ('labels', v_issue, public.tracker_labels_text(v_issue));
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;""",
        "v_issue bigint;",
    ),
    _fn(
        "tracker_issue_label_commit",
        """
    v_issue := CASE WHEN TG_OP = 'DELETE' THEN OLD.issue_id ELSE NEW.issue_id END;
    DELETE FROM public.history_pending
        WHERE xact = pg_current_xact_id() AND kind = 'labels' AND key = v_issue
        RETURNING history_pending.old INTO v_old;
    IF FOUND THEN
        v_new := public.tracker_labels_text(v_issue);
        IF v_new IS DISTINCT FROM v_old THEN
            PERFORM public.tracker_log((SELECT project_id FROM public.issue WHERE id = v_issue),
                                       v_issue, 'labels', v_old, v_new);
        END IF;
    END IF;
    RETURN NULL;""",
        "v_issue bigint; v_old pg_catalog.text; v_new pg_catalog.text;",
    ),
    # -- comments, links, watchers, attachments ---------------------------------------------
    _fn(
        "tracker_comment_before",
        f"""
    IF TG_OP = 'INSERT' THEN
        NEW.author_id := coalesce(public.tracker_my_user_id(), NEW.author_id);
        NEW.created_at := {NOW};
        NEW.edited_at := NULL;
    ELSE
        NEW.id := OLD.id; NEW.issue_id := OLD.issue_id; NEW.author_id := OLD.author_id;
        NEW.created_at := OLD.created_at;
        NEW.edited_at := {NOW};
    END IF;
    RETURN NEW;""",
    ),
    _fn(
        "tracker_comment_after",
        """
    IF TG_OP = 'INSERT' THEN
        PERFORM public.tracker_log(v_project(NEW.issue_id), NEW.issue_id, 'comment', NULL,
                                   left(NEW.body, 200));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM public.tracker_log(v_project(NEW.issue_id), NEW.issue_id, 'comment.edited',
                                   left(OLD.body, 200), left(NEW.body, 200));
    ELSIF EXISTS (SELECT 1 FROM public.issue WHERE id = OLD.issue_id) THEN
        PERFORM public.tracker_log(v_project(OLD.issue_id), OLD.issue_id, 'comment.deleted',
                                   left(OLD.body, 200), NULL);
    END IF;
    RETURN NULL;""",
    ).replace("v_project(", "public.tracker_issue_project("),
    _fn(
        "tracker_link_after",
        """
    -- Both ends, naming the other end by id (domain/link_history.py spells the same words):
    -- its key is looked up when read, through the reader's rights, so it never leaks.
    IF TG_OP = 'INSERT' THEN
        v_out := NEW.kind || ' #' || NEW.target_id;
        v_in := {IN_NEW} || ' #' || NEW.source_id;
        PERFORM public.tracker_log(public.tracker_issue_project(NEW.source_id), NEW.source_id,
            'link', NULL, v_out);
        PERFORM public.tracker_log(public.tracker_issue_project(NEW.target_id), NEW.target_id,
            'link', NULL, v_in);
    ELSIF EXISTS (SELECT 1 FROM public.issue WHERE id = OLD.source_id)
          AND EXISTS (SELECT 1 FROM public.issue WHERE id = OLD.target_id) THEN
        v_out := OLD.kind || ' #' || OLD.target_id;
        v_in := {IN_OLD} || ' #' || OLD.source_id;
        PERFORM public.tracker_log(public.tracker_issue_project(OLD.source_id), OLD.source_id,
            'unlink', v_out, NULL);
        PERFORM public.tracker_log(public.tracker_issue_project(OLD.target_id), OLD.target_id,
            'unlink', v_in, NULL);
    END IF;
    RETURN NULL;""".replace("{IN_NEW}", _inward("NEW.kind")).replace(
            "{IN_OLD}", _inward("OLD.kind")
        ),
        "v_out pg_catalog.text; v_in pg_catalog.text;",
    ),
    _fn(
        "tracker_watcher_after",
        """
    IF TG_OP = 'INSERT' THEN
        IF NOT public.tracker_pending('created', NEW.issue_id) THEN
            PERFORM public.tracker_log(public.tracker_issue_project(NEW.issue_id), NEW.issue_id,
                'watch', NULL, public.tracker_username(NEW.user_id));
        END IF;
    ELSIF EXISTS (SELECT 1 FROM public.issue WHERE id = OLD.issue_id)
          AND EXISTS (SELECT 1 FROM public.app_user WHERE id = OLD.user_id) THEN
        PERFORM public.tracker_log(public.tracker_issue_project(OLD.issue_id), OLD.issue_id,
            'unwatch', NULL, public.tracker_username(OLD.user_id));
    END IF;
    RETURN NULL;""",
    ),
    _fn(
        "tracker_attachment_before",
        f"""
    NEW.uploader_id := coalesce(public.tracker_my_user_id(), NEW.uploader_id);
    NEW.created_at := {NOW};
    NEW.size := length(NEW.data);
    RETURN NEW;""",
    ),
    _fn(
        "tracker_attachment_after",
        """
    PERFORM public.tracker_log(public.tracker_issue_project(NEW.issue_id), NEW.issue_id,
                               'attachment', NULL, NEW.name);
    RETURN NULL;""",
    ),
    *sql_workflow.FUNCTIONS,
    # -- the Change log itself: append-only, even for its owner ------------------------------
    f"""CREATE OR REPLACE FUNCTION tracker_change_immutable() RETURNS trigger
    LANGUAGE plpgsql SET search_path = {SEARCH_PATH} AS $$
    BEGIN
        RAISE EXCEPTION 'permission denied: the change history is append-only (% refused)', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"""CREATE OR REPLACE FUNCTION tracker_issue_project(p_issue bigint) RETURNS bigint
    LANGUAGE sql STABLE {DEFINER} AS $$
        SELECT project_id FROM public.issue WHERE id = p_issue $$""",
]

# (name, table, timing/events, function, deferred)
_TRIGGERS = [
    ("tracker_10_before", "app_user", "BEFORE INSERT", "tracker_user_before_insert", False),
    (
        "tracker_11_display_name",
        "app_user",
        "BEFORE INSERT OR UPDATE OF display_name",
        "tracker_user_display_name",
        False,
    ),
    ("tracker_10_before_insert", "issue", "BEFORE INSERT", "tracker_issue_before_insert", False),
    ("tracker_10_before_update", "issue", "BEFORE UPDATE", "tracker_issue_before_update", False),
    ("tracker_20_after_insert", "issue", "AFTER INSERT", "tracker_issue_after_insert", False),
    ("tracker_20_after_update", "issue", "AFTER UPDATE", "tracker_issue_after_update", False),
    ("tracker_20_after_delete", "issue", "AFTER DELETE", "tracker_issue_after_delete", False),
    ("tracker_30_created", "issue", "AFTER INSERT", "tracker_issue_created_commit", True),
    (
        "tracker_05_changed",
        "issue_label",
        "BEFORE INSERT OR DELETE",
        "tracker_issue_label_changed",
        False,
    ),
    (
        "tracker_30_commit",
        "issue_label",
        "AFTER INSERT OR DELETE",
        "tracker_issue_label_commit",
        True,
    ),
    ("tracker_10_before", "comment", "BEFORE INSERT OR UPDATE", "tracker_comment_before", False),
    (
        "tracker_20_after",
        "comment",
        "AFTER INSERT OR UPDATE OR DELETE",
        "tracker_comment_after",
        False,
    ),
    ("tracker_20_after", "issue_link", "AFTER INSERT OR DELETE", "tracker_link_after", False),
    ("tracker_20_after", "watcher", "AFTER INSERT OR DELETE", "tracker_watcher_after", False),
    ("tracker_10_before", "attachment", "BEFORE INSERT", "tracker_attachment_before", False),
    ("tracker_20_after", "attachment", "AFTER INSERT", "tracker_attachment_after", False),
    ("tracker_21_deleted", "attachment", "AFTER DELETE", "tracker_attachment_deleted", False),
    (
        "tracker_20_after",
        "project",
        "AFTER INSERT OR UPDATE OF name, archived",
        "tracker_project_after",
        False,
    ),
    ("tracker_30_commit", "project", "AFTER INSERT", "tracker_project_commit", True),
    (
        "tracker_20_after",
        "status",
        "AFTER INSERT OR UPDATE OR DELETE",
        "tracker_status_after",
        False,
    ),
    ("tracker_21_position", "status", "AFTER UPDATE OF position", "tracker_status_position", False),
    ("tracker_30_order", "status", "AFTER UPDATE OF position", "tracker_status_order_commit", True),
    (
        "tracker_20_changed",
        "transition",
        "AFTER INSERT OR DELETE",
        "tracker_transition_changed",
        False,
    ),
    (
        "tracker_30_commit",
        "transition",
        "AFTER INSERT OR DELETE",
        "tracker_transition_commit",
        True,
    ),
    ("tracker_20_renamed", "label", "AFTER UPDATE OF name", "tracker_label_renamed", False),
    (
        "tracker_10_same_project",
        "transition",
        "BEFORE INSERT OR UPDATE",
        "tracker_transition_same_project",
        False,
    ),
    (
        "tracker_10_immutable",
        "change",
        "BEFORE UPDATE OR DELETE",
        "tracker_change_immutable",
        False,
    ),
]


def triggers() -> list[str]:
    """DROP + CREATE of every trigger (constraint triggers have no CREATE OR REPLACE)."""
    out = []
    for name, table, events, function, deferred in _TRIGGERS:
        out.append(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
        if deferred:
            out.append(
                f'CREATE CONSTRAINT TRIGGER {name} {events} ON "{table}"'
                f" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {function}()"
            )
        else:
            out.append(
                f'CREATE TRIGGER {name} {events} ON "{table}"'
                f" FOR EACH ROW EXECUTE FUNCTION {function}()"
            )
    out.append('DROP TRIGGER IF EXISTS tracker_10_no_truncate ON "change"')
    out.append(
        'CREATE TRIGGER tracker_10_no_truncate BEFORE TRUNCATE ON "change"'
        " FOR EACH STATEMENT EXECUTE FUNCTION tracker_change_immutable()"
    )
    return out
