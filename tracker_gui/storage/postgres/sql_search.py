"""SQL of the search index upkeep on a secured database: owner-run, pinned, a comment at a time.

Migration 0003 made these functions as plain invoker functions; a secured database replaces
them with SECURITY DEFINER ones (the users may not write issue_search) that name every
relation and type with its schema. New comments append their own words to the issue's
document, once per statement, instead of re-reading every comment of the issue; edits and
deletions (rare) rebuild the one document.
"""

from __future__ import annotations

from tracker_gui.storage.postgres.sql_helpers import DEFINER, SEARCH_PATH

ENGLISH = "'english'::pg_catalog.regconfig"

FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION tracker_issue_document(p_issue bigint)
    RETURNS pg_catalog.tsvector
    LANGUAGE sql STABLE SET search_path = {SEARCH_PATH} AS $$
        SELECT pg_catalog.setweight(pg_catalog.to_tsvector({ENGLISH}, i.title), 'A')
            || pg_catalog.setweight(pg_catalog.to_tsvector({ENGLISH}, i.description), 'B')
            || pg_catalog.setweight(pg_catalog.to_tsvector({ENGLISH}, coalesce(
                (SELECT pg_catalog.string_agg(c.body, E'\\n' ORDER BY c.id)
                 FROM public.comment AS c WHERE c.issue_id = i.id), '')), 'C')
        FROM public.issue AS i WHERE i.id = p_issue
    $$""",
    f"""CREATE OR REPLACE FUNCTION tracker_issue_search_issue() RETURNS trigger
    LANGUAGE plpgsql {DEFINER} AS $$
    BEGIN
        INSERT INTO public.issue_search AS s (issue_id, document)
        VALUES (NEW.id, public.tracker_issue_document(NEW.id))
        ON CONFLICT (issue_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION tracker_issue_search_comment() RETURNS trigger
    LANGUAGE plpgsql {DEFINER} AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            RETURN NULL;  -- tracker_issue_search_added, once per statement
        END IF;
        -- A comment deleted with its issue finds no issue row: nothing to refresh.
        UPDATE public.issue_search AS s SET document = public.tracker_issue_document(OLD.issue_id)
        WHERE s.issue_id = OLD.issue_id
          AND EXISTS (SELECT 1 FROM public.issue AS i WHERE i.id = OLD.issue_id);
        IF TG_OP = 'UPDATE' AND NEW.issue_id IS DISTINCT FROM OLD.issue_id THEN
            UPDATE public.issue_search AS s
            SET document = public.tracker_issue_document(NEW.issue_id)
            WHERE s.issue_id = NEW.issue_id;
        END IF;
        RETURN NULL;
    END $$""",
    # New comments, once per statement: each issue's new comments are parsed together and
    # appended, so 4,000 comments in one INSERT cost one append, not 4,000 growing ones.
    f"""CREATE OR REPLACE FUNCTION tracker_issue_search_added() RETURNS trigger
    LANGUAGE plpgsql {DEFINER} AS $$
    BEGIN
        UPDATE public.issue_search AS s
        SET document = s.document
            || pg_catalog.setweight(pg_catalog.to_tsvector({ENGLISH}, a.body), 'C')
        FROM (SELECT n.issue_id, pg_catalog.string_agg(n.body, E'\\n' ORDER BY n.id) AS body
              FROM added AS n GROUP BY n.issue_id) AS a
        WHERE s.issue_id = a.issue_id;
        RETURN NULL;
    END $$""",
]


def triggers() -> list[str]:
    return [
        'DROP TRIGGER IF EXISTS tracker_search_added ON "comment"',
        'CREATE TRIGGER tracker_search_added AFTER INSERT ON "comment"'
        " REFERENCING NEW TABLE AS added FOR EACH STATEMENT"
        " EXECUTE FUNCTION tracker_issue_search_added()",
    ]
