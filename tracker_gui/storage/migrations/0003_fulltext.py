"""Version 3 (full text): a search index over title, description and comments, kept by triggers."""

# SQLite: the FTS5 table `issue_fts` (porter + unicode61), rowid = issue id, one row per
# issue with its comments joined; triggers on issue and comment keep it current.
# PostgreSQL: `issue_search` (issue id -> tsvector, 'english', title A / description B /
# comments C) with a GIN index, kept by trigger functions. Existing issues are indexed here.

import peewee

SQLITE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS issue_fts USING fts5(
        title, description, comments, tokenize = 'porter unicode61')""",
    """CREATE TRIGGER issue_fts_insert AFTER INSERT ON issue BEGIN
        INSERT INTO issue_fts (rowid, title, description, comments)
        VALUES (new.id, new.title, new.description, '');
    END""",
    """CREATE TRIGGER issue_fts_update AFTER UPDATE OF title, description ON issue BEGIN
        UPDATE issue_fts SET title = new.title, description = new.description
        WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER issue_fts_delete AFTER DELETE ON issue BEGIN
        DELETE FROM issue_fts WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER comment_fts_insert AFTER INSERT ON comment BEGIN
        UPDATE issue_fts SET comments = (
            SELECT coalesce(group_concat(body, char(10)), '') FROM comment
            WHERE issue_id = new.issue_id)
        WHERE rowid = new.issue_id;
    END""",
    """CREATE TRIGGER comment_fts_update AFTER UPDATE OF body, issue_id ON comment BEGIN
        UPDATE issue_fts SET comments = (
            SELECT coalesce(group_concat(body, char(10)), '') FROM comment
            WHERE issue_id = old.issue_id)
        WHERE rowid = old.issue_id;
        UPDATE issue_fts SET comments = (
            SELECT coalesce(group_concat(body, char(10)), '') FROM comment
            WHERE issue_id = new.issue_id)
        WHERE rowid = new.issue_id;
    END""",
    """CREATE TRIGGER comment_fts_delete AFTER DELETE ON comment BEGIN
        UPDATE issue_fts SET comments = (
            SELECT coalesce(group_concat(body, char(10)), '') FROM comment
            WHERE issue_id = old.issue_id)
        WHERE rowid = old.issue_id;
    END""",
    """INSERT INTO issue_fts (rowid, title, description, comments)
        SELECT i.id, i.title, i.description, coalesce(
            (SELECT group_concat(c.body, char(10)) FROM comment AS c WHERE c.issue_id = i.id),
            '')
        FROM issue AS i""",
]

POSTGRES = [
    """CREATE TABLE issue_search (
        issue_id integer PRIMARY KEY REFERENCES issue (id) ON DELETE CASCADE,
        document tsvector NOT NULL)""",
    "CREATE INDEX issue_search_document ON issue_search USING gin (document)",
    """CREATE FUNCTION tracker_issue_document(p_issue integer) RETURNS tsvector
    LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('english', i.title), 'A')
            || setweight(to_tsvector('english', i.description), 'B')
            || setweight(to_tsvector('english', coalesce(
                (SELECT string_agg(c.body, E'\\n' ORDER BY c.id)
                 FROM comment AS c WHERE c.issue_id = i.id), '')), 'C')
        FROM issue AS i WHERE i.id = p_issue
    $$""",
    """CREATE FUNCTION tracker_issue_search_issue() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO issue_search (issue_id, document)
        VALUES (NEW.id, tracker_issue_document(NEW.id))
        ON CONFLICT (issue_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION tracker_issue_search_comment() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        -- A comment deleted with its issue finds no issue row: nothing to refresh.
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE issue_search SET document = tracker_issue_document(OLD.issue_id)
            WHERE issue_id = OLD.issue_id
              AND EXISTS (SELECT 1 FROM issue WHERE id = OLD.issue_id);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE issue_search SET document = tracker_issue_document(NEW.issue_id)
            WHERE issue_id = NEW.issue_id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER issue_search_issue AFTER INSERT OR UPDATE OF title, description
        ON issue FOR EACH ROW EXECUTE FUNCTION tracker_issue_search_issue()""",
    """CREATE TRIGGER issue_search_comment AFTER INSERT OR UPDATE OF body, issue_id OR DELETE
        ON comment FOR EACH ROW EXECUTE FUNCTION tracker_issue_search_comment()""",
    """INSERT INTO issue_search (issue_id, document)
        SELECT id, tracker_issue_document(id) FROM issue""",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS comment_fts_delete",
    "DROP TRIGGER IF EXISTS comment_fts_update",
    "DROP TRIGGER IF EXISTS comment_fts_insert",
    "DROP TRIGGER IF EXISTS issue_fts_delete",
    "DROP TRIGGER IF EXISTS issue_fts_update",
    "DROP TRIGGER IF EXISTS issue_fts_insert",
    "DROP TABLE IF EXISTS issue_fts",
]

POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS issue_search_comment ON comment",
    "DROP TRIGGER IF EXISTS issue_search_issue ON issue",
    "DROP FUNCTION IF EXISTS tracker_issue_search_comment()",
    "DROP FUNCTION IF EXISTS tracker_issue_search_issue()",
    "DROP TABLE IF EXISTS issue_search",
    "DROP FUNCTION IF EXISTS tracker_issue_document(integer)",
]


def _statements(db, sqlite, postgres):
    if isinstance(db, peewee.SqliteDatabase):
        return sqlite
    if isinstance(db, peewee.PostgresqlDatabase):
        return postgres
    raise RuntimeError(f"no full-text search for {type(db).__name__}")


def up(migrator, db):
    for statement in _statements(db, SQLITE, POSTGRES):
        db.execute_sql(statement)


def down(migrator, db):
    for statement in _statements(db, SQLITE_DOWN, POSTGRES_DOWN):
        db.execute_sql(statement)
