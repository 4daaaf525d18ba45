"""SQL of a secured database's sprint rules: server-decided start/close figures and their history.

Only a project admin writes sprint rows (sql_policies); a member puts issues in them. A sprint
goes planned -> active -> closed and nothing else; when it starts or closes the database
itself counts its issues (`scope_start`, `scope_close`, `done_close`) and stamps the time,
so no client can record other figures, and writes the `sprint_state` Change row (also when a
sprint is added: old NULL). An issue
only joins a sprint of its own project that is not closed.

An issue's `sprint` history rows come from triggers of their own, not from the issue
triggers of sql_triggers: an upgrade defines every function before the migrations run, and
those run the issue triggers on their updates, when `issue.sprint_id` does not exist yet.
These triggers are made after the migrations. Named after `tracker_20_after_update` and
`tracker_30_created`, their rows follow the other fields' and the `created` row, in the
order the services write them on SQLite.
"""

from __future__ import annotations

from tracker_gui.storage.postgres.sql_helpers import DENY, NOW, trigger_function

_fn = trigger_function

IN_SPRINT = "FROM public.issue AS i WHERE i.sprint_id = OLD.id AND NOT i.archived"
DONE = (
    "FROM public.issue AS i JOIN public.status AS s ON s.id = i.status_id"
    " WHERE i.sprint_id = OLD.id AND NOT i.archived AND s.category = 'done'"
)

FUNCTIONS = [
    _fn(
        "tracker_sprint_before",
        f"""
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := {NOW};
        -- A new sprint is planned; an admin restoring a backup may write a past one whole.
        IF NEW.state IS DISTINCT FROM 'planned'
           AND public.tracker_role_rank(NEW.project_id) < 3 THEN
            RAISE EXCEPTION 'permission denied: only a project admin may write sprints' {DENY};
        END IF;
        RETURN NEW;
    END IF;
    NEW.id := OLD.id; NEW.project_id := OLD.project_id; NEW.created_at := OLD.created_at;
    NEW.started_at := OLD.started_at; NEW.closed_at := OLD.closed_at;
    NEW.scope_start := OLD.scope_start; NEW.scope_close := OLD.scope_close;
    NEW.done_close := OLD.done_close;
    IF NEW.state IS DISTINCT FROM OLD.state THEN
        IF OLD.state = 'planned' AND NEW.state = 'active' THEN
            NEW.started_at := {NOW};
            NEW.scope_start := (SELECT count(*) {IN_SPRINT});
        ELSIF OLD.state = 'active' AND NEW.state = 'closed' THEN
            NEW.closed_at := {NOW};
            NEW.scope_close := (SELECT count(*) {IN_SPRINT});
            NEW.done_close := (SELECT count(*) {DONE});
        ELSE
            RAISE EXCEPTION 'a sprint goes from planned to active to closed, not % to %',
                OLD.state, NEW.state USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;""",
    ),
    _fn(
        "tracker_sprint_after",
        """
    -- A new sprint is a project row too (old NULL), so every window lists it live.
    IF TG_OP = 'INSERT' THEN
        PERFORM public.tracker_log(NEW.project_id, NULL, 'sprint_state', NULL, NEW.state);
    ELSIF NEW.state IS DISTINCT FROM OLD.state THEN
        PERFORM public.tracker_log(NEW.project_id, NULL, 'sprint_state', OLD.state, NEW.state);
    END IF;
    RETURN NULL;""",
    ),
    _fn(
        "tracker_issue_sprint_changed",
        """
    IF NEW.sprint_id IS DISTINCT FROM OLD.sprint_id THEN
        PERFORM public.tracker_log(NEW.project_id, NEW.id, 'sprint',
            OLD.sprint_id::pg_catalog.text, NEW.sprint_id::pg_catalog.text);
    END IF;
    RETURN NULL;""",
    ),
    # At commit, after the `created` row: an issue made straight into a sprint.
    _fn(
        "tracker_issue_sprint_created",
        """
    IF NEW.sprint_id IS NOT NULL AND EXISTS (SELECT 1 FROM public.issue WHERE id = NEW.id) THEN
        PERFORM public.tracker_log(NEW.project_id, NEW.id, 'sprint', NULL,
                                   NEW.sprint_id::pg_catalog.text);
    END IF;
    RETURN NULL;""",
    ),
    _fn(
        "tracker_issue_sprint_check",
        """
    IF NEW.sprint_id IS NULL
       OR (TG_OP = 'UPDATE' AND NEW.sprint_id IS NOT DISTINCT FROM OLD.sprint_id) THEN
        RETURN NEW;
    END IF;
    -- Plain columns, not a row of public.sprint: an upgrade defines this function before
    -- the migration that makes that table.
    SELECT s.project_id, s.state, s.name INTO v_project, v_state, v_name
        FROM public.sprint AS s WHERE s.id = NEW.sprint_id;
    IF v_project IS DISTINCT FROM NEW.project_id THEN
        RAISE EXCEPTION 'the sprint must be in the same project' USING ERRCODE = 'check_violation';
    END IF;
    -- A closed sprint's scope is history; an admin's restore may write its issues back.
    IF v_state = 'closed'
       AND (TG_OP = 'UPDATE' OR public.tracker_role_rank(NEW.project_id) < 3) THEN
        RAISE EXCEPTION 'sprint % is closed', v_name USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;""",
        "v_project bigint; v_state pg_catalog.text; v_name pg_catalog.text;",
    ),
]

# (name, table, timing/events, function, deferred)
_TRIGGERS = [
    ("tracker_10_before", "sprint", "BEFORE INSERT OR UPDATE", "tracker_sprint_before", False),
    (
        "tracker_20_state",
        "sprint",
        "AFTER INSERT OR UPDATE OF state",
        "tracker_sprint_after",
        False,
    ),
    # After tracker_10_before_*: the project is the issue's own by then.
    (
        "tracker_11_sprint",
        "issue",
        "BEFORE INSERT OR UPDATE OF sprint_id",
        "tracker_issue_sprint_check",
        False,
    ),
    (
        "tracker_21_sprint",
        "issue",
        "AFTER UPDATE OF sprint_id",
        "tracker_issue_sprint_changed",
        False,
    ),
    ("tracker_31_sprint", "issue", "AFTER INSERT", "tracker_issue_sprint_created", True),
]


def triggers() -> list[str]:
    out = []
    for name, table, events, function, deferred in _TRIGGERS:
        out.append(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
        kind = "CONSTRAINT TRIGGER" if deferred else "TRIGGER"
        when = " DEFERRABLE INITIALLY DEFERRED" if deferred else ""
        out.append(
            f'CREATE {kind} {name} {events} ON "{table}"{when}'
            f" FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    return out
