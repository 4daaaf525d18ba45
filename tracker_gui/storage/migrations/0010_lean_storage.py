"""Version 10 (SQLite): the same data in fewer pages.

- The full-text index lists `description` before `title`. FTS5 writes a two-byte column mark
  before every position list outside its first column: most of an issue's words are in its
  description, so with it first most lists need no mark (a quarter of the index at 10,000
  issues). Its triggers name the columns, so they stay; bm25's weights follow the new order
  (storage/search.py). The index is rebuilt from the rows; `migrate` runs VACUUM after.
- An issue's created, updated and resolved times become whole microseconds since 1970 (UTC),
  an INTEGER of 8 bytes instead of 26 characters of text (tables.Timestamp). Issue rows are
  state, so they are converted; the Change log's times stay text (it is never rewritten).
- `issue_project_id` goes: `issue_project_id_number` leads with the same column, and the one
  query that needed (project_id, id), a word search within a project, now reads its hits by
  id straight from the full-text index (`filtering.where` keeps the project test off the
  indexes when the query has words to match).
- `issue_parent_id` keeps only issues that have a parent: the subtask look-ups and the
  foreign key's ON DELETE SET NULL ask `parent_id = ?`, which such a partial index answers,
  and most issues have no parent.

The `created` Change rows written from this version on are smaller too (history.snapshot
leaves out the fields still empty), but that needs no schema change, and older rows stay as
they are: the log is append-only. PostgreSQL's schema is unchanged (a secured database's
snapshot function, re-applied by `admin setup-postgres`, writes the same smaller text).
"""

import peewee

from tracker_gui.storage.tables import from_micros, micros

TIMES = ("created_at", "updated_at", "resolved_at")


def _fts(columns):
    return f"""CREATE VIRTUAL TABLE issue_fts USING fts5(
        {columns}, tokenize = 'porter unicode61',
        content = 'issue_fts_doc', content_rowid = 'id')"""


def _rebuilt(columns):
    return [
        "DROP TABLE IF EXISTS issue_fts",
        _fts(columns),
        "INSERT INTO issue_fts (issue_fts) VALUES ('rebuild')",
        "INSERT INTO issue_fts (issue_fts, rank) VALUES ('automerge', 2)",
    ]


SQLITE = [
    *_rebuilt("description, title, comments"),
    'DROP INDEX IF EXISTS "issue_project_id"',
    'DROP INDEX IF EXISTS "issue_parent_id"',
    'CREATE INDEX "issue_parent_id" ON "issue" ("parent_id") WHERE "parent_id" IS NOT NULL',
]


def _convert_times(db, convert):
    """Every issue's times through `convert` (NULL stays NULL; a value it cannot read is
    left as it is: readers take text or integers)."""

    def one(value):
        if value is None:
            return None
        try:
            return convert(value)
        except (TypeError, ValueError, OverflowError):
            return value

    columns = ", ".join(f'"{c}"' for c in TIMES)
    rows = db.execute_sql(f'SELECT "id", {columns} FROM "issue"').fetchall()
    sets = ", ".join(f'"{c}" = ?' for c in TIMES)
    db.cursor().executemany(
        f'UPDATE "issue" SET {sets} WHERE "id" = ?',
        ([*(one(v) for v in row[1:]), row[0]] for row in rows),
    )


def _to_micros(value):
    return value if type(value) is int else micros(str(value))


def _to_text(value):
    return str(from_micros(value)) if type(value) is int else value


def up(migrator, db):
    if isinstance(db, peewee.SqliteDatabase):
        _convert_times(db, _to_micros)
        for statement in SQLITE:
            db.execute_sql(statement)


def down(migrator, db):
    if not isinstance(db, peewee.SqliteDatabase):
        return
    _convert_times(db, _to_text)
    for statement in _rebuilt("title, description, comments"):
        db.execute_sql(statement)
    db.execute_sql('DROP INDEX IF EXISTS "issue_parent_id"')
    db.execute_sql('CREATE INDEX "issue_parent_id" ON "issue" ("parent_id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "issue_project_id" ON "issue" ("project_id")')
