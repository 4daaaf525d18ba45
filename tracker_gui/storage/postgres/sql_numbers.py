"""SQL of issue-number blocks: a bulk write (an import, the demo) reserves its numbers at once.

A bulk write plans its keys before it writes (the key map and the keys it prints name them),
so the insert trigger must keep those numbers, yet never a number a login simply chose. The
definer function below checks the caller may create issues in the project, takes `count`
numbers from project.next_number and records the block with the transaction's id in a table
no user can read or write. The issue-insert trigger keeps NEW.number only inside a block of
its own transaction (tracker_number_reserved); any other number is replaced by the next one.
At commit a deferred trigger hands back the unused end of each block (a member's block must
be used in order, so it cannot burn numbers it never wrote: the integer would run out and
nobody could create issues) and deletes the block; a rolled-back transaction takes its block
rows with it. `SET CONSTRAINTS ALL IMMEDIATE` runs that commit step early, so a bulk write
reserves after any such call and writes its issues before the next one (the app reads its
history back only after its inserts).
"""

from __future__ import annotations

from tracker_gui.storage.postgres.sql_helpers import DEFINER, DENY

# The largest block one call may take: the demo's and an import's limits are far below it.
MAX_BLOCK = 1_000_000

TABLES = [
    """CREATE TABLE IF NOT EXISTS issue_number_block (
        xact xid8 NOT NULL DEFAULT pg_current_xact_id(),
        project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
        first_number integer NOT NULL,
        last_number integer NOT NULL,
        PRIMARY KEY (xact, project_id, first_number))""",
]

RESERVE = "tracker_reserve_numbers(bigint, integer)"

FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION tracker_reserve_numbers(p_project bigint, p_count integer)
    RETURNS integer LANGUAGE plpgsql {DEFINER} AS $$
    DECLARE v_first integer;
    BEGIN
        IF public.tracker_role_rank(p_project) < 2 THEN
            RAISE EXCEPTION 'permission denied: only a member of the project may create issues'
                {DENY};
        END IF;
        IF p_count IS NULL OR p_count < 0 OR p_count > {MAX_BLOCK} THEN
            RAISE EXCEPTION 'a block of % issue numbers is out of range (0..{MAX_BLOCK})', p_count
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- The project row stays locked to the end of the transaction: no one else numbers
        -- an issue of this project meanwhile (the same lock a single new issue takes).
        UPDATE public.project AS p SET next_number = p.next_number + p_count
            WHERE p.id = p_project RETURNING p.next_number - p_count INTO v_first;
        IF v_first IS NULL THEN
            RAISE EXCEPTION 'no project with id %', p_project USING ERRCODE = 'no_data_found';
        END IF;
        IF p_count > 0 THEN
            INSERT INTO public.issue_number_block (project_id, first_number, last_number)
            VALUES (p_project, v_first, v_first + p_count - 1);
        END IF;
        RETURN v_first;
    END $$""",
    # Called by the issue-insert trigger (as the owner): no user may execute it.
    f"""CREATE OR REPLACE FUNCTION tracker_number_reserved(p_project bigint, p_number integer)
    RETURNS boolean LANGUAGE sql STABLE {DEFINER} AS $$
        SELECT EXISTS (SELECT 1 FROM public.issue_number_block AS b
                       WHERE b.xact = pg_catalog.pg_current_xact_id()
                         AND b.project_id = p_project
                         AND p_number BETWEEN b.first_number AND b.last_number) $$""",
    # At commit, newest block first: the unused end goes back when nothing was numbered after
    # it (the project row lock guarantees no one else did; this transaction may have). Below a
    # project admin, a block must be used from its start without gaps and its rest must go
    # back, else the commit fails: a member cannot burn numbers it wrote no issue for (a block
    # of a million, one issue at its end or one numbered after it, in a loop, and nobody could
    # create issues in the project any more). An admin may leave gaps (a restore, the keys of
    # a file): it can harm its own project in plainer ways.
    f"""CREATE OR REPLACE FUNCTION tracker_number_block_commit() RETURNS trigger
    LANGUAGE plpgsql {DEFINER} AS $$
    DECLARE r public.issue_number_block; v_used bigint; v_top integer; v_back boolean;
    BEGIN
        FOR r IN SELECT * FROM public.issue_number_block AS b
                 WHERE b.xact = pg_catalog.pg_current_xact_id()
                   AND b.project_id = NEW.project_id
                 ORDER BY b.first_number DESC LOOP
            SELECT pg_catalog.count(*), pg_catalog.max(i.number) INTO v_used, v_top
                FROM public.issue AS i
                WHERE i.project_id = r.project_id
                  AND i.number BETWEEN r.first_number AND r.last_number;
            v_top := coalesce(v_top, r.first_number - 1);
            UPDATE public.project AS p SET next_number = v_top + 1
                WHERE p.id = r.project_id AND p.next_number = r.last_number + 1;
            v_back := FOUND;
            IF public.tracker_role_rank(r.project_id) < 3
               AND (v_top - r.first_number + 1 <> v_used
                    OR (v_top < r.last_number AND NOT v_back)) THEN
                RAISE EXCEPTION 'permission denied: issue numbers % to % were reserved and'
                                ' not used in order', r.first_number, r.last_number {DENY};
            END IF;
            DELETE FROM public.issue_number_block AS b
                WHERE b.xact = r.xact AND b.project_id = r.project_id
                  AND b.first_number = r.first_number;
        END LOOP;
        RETURN NULL;
    END $$""",
]


def triggers() -> list[str]:
    """The commit trigger (constraint triggers have no CREATE OR REPLACE)."""
    return [
        'DROP TRIGGER IF EXISTS tracker_30_commit ON "issue_number_block"',
        'CREATE CONSTRAINT TRIGGER tracker_30_commit AFTER INSERT ON "issue_number_block"'
        " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
        " EXECUTE FUNCTION tracker_number_block_commit()",
    ]
