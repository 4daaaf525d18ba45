"""Version 6 (change sets): each Change row names the user action that wrote it.

`change.change_set` holds the UUID a service transaction mints (a multi-card drop, a bulk
edit, an import: one action, one set), so the notifier and the activity pane tell what was
done together as one. On PostgreSQL a secured database's triggers write the history: the
app hands them the id with `set_config('tracker.change_set', id, true)` at the start of each
transaction, and the column's DEFAULT reads it back, so trigger-written rows carry it
without the triggers naming the column. Outside such a transaction the setting is empty
(or unset): nullif turns that into NULL. Rows written before this version stay NULL.
"""

import peewee

DEFAULT = "nullif(current_setting('tracker.change_set', true), '')"
# Partial: generated and pre-version-6 history (NULL) costs the index nothing.
INDEX = 'CREATE INDEX IF NOT EXISTS "change_change_set" ON "change" ("change_set")' + (
    " WHERE change_set IS NOT NULL"
)


# Any login may set tracker.change_set for its own transactions: the database keeps what it
# stores a UUID (a login can still tag its own rows with an id it has seen; see the docs).
UUID_CHECK = (
    "change_set IS NULL OR change_set ~ "
    "'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'"
)


def up(migrator, db):
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql(
            f'ALTER TABLE "change" ADD COLUMN "change_set" varchar(36) DEFAULT {DEFAULT}'
            f' CONSTRAINT "change_change_set_uuid" CHECK ({UUID_CHECK})'
        )
    else:
        db.execute_sql('ALTER TABLE "change" ADD COLUMN "change_set" VARCHAR(36)')
    db.execute_sql(INDEX)


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "change_change_set"')
    db.execute_sql('ALTER TABLE "change" DROP COLUMN "change_set"')
