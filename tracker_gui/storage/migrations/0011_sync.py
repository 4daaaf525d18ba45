"""Version 11 (offline sync): Change rows name the client and queued op that wrote them; applied ops.

`change.origin` (the replica that pushed, a UUID) and `change.op_id` (the UUID of the queued
user action) are NULL for every row written before this version and for direct writes: the
log is never rewritten. On PostgreSQL their DEFAULTs read `tracker.origin` / `tracker.op_id`,
which a push sets with set_config(..., true) for its transaction, so the history triggers
need not name them (as `change_set` in version 6). PostgreSQL also stores the writing
transaction's id (`txid`, xid8): a puller's cursor advances only past transactions older
than `pg_snapshot_xmin(pg_current_snapshot())`, so a transaction that committed late (a
smaller Change id, committed after a larger one) is never skipped. Existing rows keep NULL
there too: the DEFAULT is set after the column is added, so the table is not rewritten.

`sync_op` records each pushed op id per login under a unique key, in the same transaction
as the op's rows: a push interrupted after the server committed is recognised on retry and
never applied twice. Its `result` keeps what the push learnt (fields that conflicted, the
number a new issue got), so a retry after a lost answer tells the replica the same. On a secured database a login inserts only op ids under its own name
and reads only its own (sql_policies).
"""

import peewee

UUID = "'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'"

POSTGRES = [
    """ALTER TABLE "change" ADD COLUMN "origin" varchar(36)
        DEFAULT nullif(current_setting('tracker.origin', true), '')""",
    """ALTER TABLE "change" ADD COLUMN "op_id" varchar(36)
        DEFAULT nullif(current_setting('tracker.op_id', true), '')""",
    f"""ALTER TABLE "change" ADD CONSTRAINT "change_sync_uuids"
        CHECK ((origin IS NULL OR origin ~ {UUID}) AND (op_id IS NULL OR op_id ~ {UUID}))""",
    'ALTER TABLE "change" ADD COLUMN "txid" xid8',
    'ALTER TABLE "change" ALTER COLUMN "txid" SET DEFAULT pg_current_xact_id()',
    'CREATE INDEX IF NOT EXISTS "change_txid" ON "change" ("txid") WHERE txid IS NOT NULL',
    f"""CREATE TABLE IF NOT EXISTS sync_op (
        login text NOT NULL DEFAULT session_user,
        op_id varchar(36) NOT NULL CHECK (op_id ~ {UUID}),
        applied_at timestamp NOT NULL DEFAULT (clock_timestamp() AT TIME ZONE 'UTC'),
        txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        result text CHECK (octet_length(result) <= 1000000),
        PRIMARY KEY (login, op_id))""",
]

SQLITE = [
    'ALTER TABLE "change" ADD COLUMN "origin" VARCHAR(36)',
    'ALTER TABLE "change" ADD COLUMN "op_id" VARCHAR(36)',
    """CREATE TABLE IF NOT EXISTS sync_op (
        login TEXT NOT NULL,
        op_id VARCHAR(36) NOT NULL,
        applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
        result TEXT,
        PRIMARY KEY (login, op_id)) WITHOUT ROWID""",
]

INDEX = 'CREATE INDEX IF NOT EXISTS "change_op_id" ON "change" ("op_id") WHERE op_id IS NOT NULL'


def up(migrator, db):
    statements = POSTGRES if isinstance(db, peewee.PostgresqlDatabase) else SQLITE
    for statement in [*statements, INDEX]:
        db.execute_sql(statement)


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "change_op_id"')
    db.execute_sql("DROP TABLE IF EXISTS sync_op")
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql('DROP INDEX IF EXISTS "change_txid"')
        db.execute_sql('ALTER TABLE "change" DROP CONSTRAINT IF EXISTS "change_sync_uuids"')
        db.execute_sql('ALTER TABLE "change" DROP COLUMN "txid"')
    db.execute_sql('ALTER TABLE "change" DROP COLUMN "op_id"')
    db.execute_sql('ALTER TABLE "change" DROP COLUMN "origin"')
