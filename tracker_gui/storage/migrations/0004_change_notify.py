"""Version 4 (live feed): on PostgreSQL, every insert into the Change log sends a NOTIFY.

The payload is the smallest Change id the statement inserted, as text: ids only, never
titles or text, because any login may LISTEN on any channel. A client that hears it reads
the rows back through the normal queries (and so through row-level security). One notify
per statement, not per row, so a 100,000-row import does not queue 100,000 messages.
SQLite has no NOTIFY: its clients poll `PRAGMA data_version`, so nothing is created there.
"""

import peewee

CHANNEL = "tracker_change"

POSTGRES = [
    f"""CREATE FUNCTION tracker_notify_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE first_id bigint;
    BEGIN
        SELECT min(id) INTO first_id FROM inserted_changes;
        IF first_id IS NOT NULL THEN
            PERFORM pg_notify('{CHANNEL}', first_id::text);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER change_notify AFTER INSERT ON change
        REFERENCING NEW TABLE AS inserted_changes
        FOR EACH STATEMENT EXECUTE FUNCTION tracker_notify_change()""",
]

POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS change_notify ON change",
    "DROP FUNCTION IF EXISTS tracker_notify_change()",
]


def up(migrator, db):
    if isinstance(db, peewee.PostgresqlDatabase):
        for statement in POSTGRES:
            db.execute_sql(statement)


def down(migrator, db):
    if isinstance(db, peewee.PostgresqlDatabase):
        for statement in POSTGRES_DOWN:
            db.execute_sql(statement)
