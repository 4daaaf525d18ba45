"""Version 5 (ownership): a PostgreSQL database carries Tracker's marker, `tracker_meta`.

One row: the application's name and the schema version (the number of applied migrations,
kept current by every later migrate). Before opening a PostgreSQL database the app looks for
this table and leaves alone any database of another program. Logins of a secured database
may read it (the users' role gets SELECT when it exists already; setup-postgres creates the
role otherwise). A SQLite file carries the same mark in its header instead, so nothing is
created there.
"""

import peewee

CREATE = """CREATE TABLE IF NOT EXISTS tracker_meta (
    application text PRIMARY KEY CHECK (application = 'tracker'),
    schema_version integer NOT NULL CHECK (schema_version >= 0)
)"""

GRANT_TO_USERS = """DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tracker_users') THEN
        GRANT SELECT ON tracker_meta TO tracker_users;
    END IF; END $$"""


def up(migrator, db):
    if not isinstance(db, peewee.PostgresqlDatabase):
        return
    db.execute_sql(CREATE)
    # This migration's own row is written right after it, in the same transaction.
    done = db.execute_sql("SELECT count(*) FROM schema_migration").fetchone()[0]
    db.execute_sql(
        "INSERT INTO tracker_meta (application, schema_version) VALUES ('tracker', %s)"
        " ON CONFLICT (application) DO UPDATE SET schema_version = EXCLUDED.schema_version",
        (int(done) + 1,),
    )
    db.execute_sql(GRANT_TO_USERS)


def down(migrator, db):
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql("DROP TABLE IF EXISTS tracker_meta")
