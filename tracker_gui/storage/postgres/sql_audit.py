"""SQL of the audit, identity and same-project triggers: what the database itself writes down or
refuses (an attachment removed, a display name that would pass for someone else, a transition
between another project's statuses)."""

from __future__ import annotations

from tracker_gui.storage.postgres.sql_helpers import DEFINER
from tracker_gui.storage.postgres.sql_triggers import _fn

# Deleting an attachment is history: who removed which file (not when its issue goes).
FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION tracker_attachment_deleted() RETURNS trigger
    LANGUAGE plpgsql {DEFINER} AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM public.issue AS i WHERE i.id = OLD.issue_id) THEN
            PERFORM public.tracker_log(public.tracker_issue_project(OLD.issue_id), OLD.issue_id,
                                       'attachment.deleted', OLD.name, NULL);
        END IF;
        RETURN NULL;
    END $$""",
    # A display name is shown beside comments and history: it may be one's own login, but
    # never another person's login or display name (break 8, impersonation).
    _fn(
        "tracker_user_display_name",
        """
    IF NEW.display_name <> '' AND pg_catalog.lower(NEW.display_name)
                                  <> pg_catalog.lower(NEW.username)
       AND (EXISTS (SELECT 1 FROM public.app_user AS u
                    WHERE u.id IS DISTINCT FROM NEW.id
                      AND pg_catalog.lower(NEW.display_name)
                          IN (pg_catalog.lower(u.username), pg_catalog.lower(u.display_name)))
            OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles AS r
                       WHERE pg_catalog.lower(r.rolname) = pg_catalog.lower(NEW.display_name))) THEN
        RAISE EXCEPTION 'permission denied: the display name % belongs to someone else',
            NEW.display_name USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;""",
    ),
    # Row-level security lets an admin name only their project, not that the statuses are in
    # it: a transition to another project's status later broke `export json` (break 9).
    _fn(
        "tracker_transition_same_project",
        """
    IF NOT EXISTS (SELECT 1 FROM public.status AS s
                   WHERE s.id = NEW.from_status_id AND s.project_id = NEW.project_id)
       OR NOT EXISTS (SELECT 1 FROM public.status AS s
                      WHERE s.id = NEW.to_status_id AND s.project_id = NEW.project_id) THEN
        RAISE EXCEPTION 'workflow: a transition joins two statuses of its own project'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;""",
    ),
]
