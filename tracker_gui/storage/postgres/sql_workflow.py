"""SQL of the triggers on projects, their workflow (statuses, transitions) and labels."""

from __future__ import annotations

from tracker_gui.storage.postgres.sql_helpers import NOW
from tracker_gui.storage.postgres.sql_helpers import trigger_function as _fn

FUNCTIONS = [
    # -- projects and their workflow ---------------------------------------------------------
    _fn(
        "tracker_project_after",
        """
    IF TG_OP = 'INSERT' THEN
        PERFORM public.tracker_log(NEW.id, NULL, 'project', NULL, NEW.key);
        INSERT INTO public.history_pending (kind, key) VALUES ('project', NEW.id)
            ON CONFLICT DO NOTHING;
    ELSE
        IF NEW.name IS DISTINCT FROM OLD.name THEN
            PERFORM public.tracker_log(NEW.id, NULL, 'project.name', OLD.name, NEW.name);
        END IF;
        IF NEW.archived IS DISTINCT FROM OLD.archived THEN
            PERFORM public.tracker_log(NEW.id, NULL, 'project.archived',
                CASE WHEN OLD.archived THEN 'true' ELSE 'false' END,
                CASE WHEN NEW.archived THEN 'true' ELSE 'false' END);
        END IF;
    END IF;
    RETURN NULL;""",
    ),
    _fn(
        "tracker_project_commit",
        """
    DELETE FROM public.history_pending
        WHERE xact = pg_current_xact_id() AND kind = 'project' AND key = NEW.id;
    RETURN NULL;""",
    ),
    _fn(
        "tracker_status_after",
        """
    IF TG_OP = 'INSERT' THEN
        IF NOT public.tracker_pending('project', NEW.project_id) THEN
            PERFORM public.tracker_log(NEW.project_id, NULL, 'status.added', NULL, NEW.name);
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF NEW.name IS DISTINCT FROM OLD.name THEN
            PERFORM public.tracker_log(NEW.project_id, NULL, 'status.name', OLD.name, NEW.name);
        END IF;
        IF NEW.category IS DISTINCT FROM OLD.category THEN
            PERFORM public.tracker_log(NEW.project_id, NULL, 'status.category',
                                       OLD.category, NEW.category);
        END IF;
        IF NEW.wip_limit IS DISTINCT FROM OLD.wip_limit THEN
            PERFORM public.tracker_log(NEW.project_id, NULL, 'status.wip_limit',
                                       OLD.wip_limit::pg_catalog.text,
                                       NEW.wip_limit::pg_catalog.text);
        END IF;
        IF NEW.colour IS DISTINCT FROM OLD.colour THEN
            PERFORM public.tracker_log(NEW.project_id, NULL, 'status.colour',
                                       OLD.colour, NEW.colour);
        END IF;
    ELSIF EXISTS (SELECT 1 FROM public.project WHERE id = OLD.project_id) THEN
        PERFORM public.tracker_log(OLD.project_id, NULL, 'status.deleted', OLD.name, NULL);
    END IF;
    RETURN NULL;""",
    ),
    _fn(
        "tracker_status_position",
        """
    INSERT INTO public.history_pending (kind, key) VALUES ('order', NEW.project_id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;""",
    ),
    _fn(
        "tracker_status_order_commit",
        """
    DELETE FROM public.history_pending
        WHERE xact = pg_current_xact_id() AND kind = 'order' AND key = NEW.project_id;
    IF FOUND THEN
        PERFORM public.tracker_log(NEW.project_id, NULL, 'status.order', NULL,
            (SELECT string_agg(id::pg_catalog.text, ',' ORDER BY position, id) FROM public.status
             WHERE project_id = NEW.project_id));
    END IF;
    RETURN NULL;""",
    ),
    _fn(
        "tracker_transition_changed",
        """
    v_row := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    -- Transitions removed with their status or project are not a workflow edit.
    IF EXISTS (SELECT 1 FROM public.status WHERE id = v_row.from_status_id)
       AND EXISTS (SELECT 1 FROM public.status WHERE id = v_row.to_status_id) THEN
        INSERT INTO public.history_pending (kind, key)
        VALUES ('transitions', v_row.project_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;""",
        "v_row public.transition;",
    ),
    _fn(
        "tracker_transition_commit",
        """
    v_row := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    DELETE FROM public.history_pending
        WHERE xact = pg_current_xact_id() AND kind = 'transitions' AND key = v_row.project_id;
    IF FOUND THEN
        PERFORM public.tracker_log(v_row.project_id, NULL, 'transitions', NULL,
            (SELECT coalesce(string_agg(from_status_id || '>' || to_status_id, ';'
                                        ORDER BY from_status_id, to_status_id), '')
             FROM public.transition WHERE project_id = v_row.project_id));
    END IF;
    RETURN NULL;""",
        "v_row public.transition;",
    ),
    _fn(
        "tracker_label_renamed",
        """
    PERFORM public.tracker_log(NEW.project_id, NULL, 'label.renamed', OLD.name, NEW.name);
    RETURN NULL;""",
    ),
    _fn("tracker_user_before_insert", f"NEW.created_at := {NOW};\n    RETURN NEW;"),
]
