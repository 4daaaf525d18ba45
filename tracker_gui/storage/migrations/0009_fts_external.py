"""Version 9 (SQLite): the full-text index keeps no copy of the text (FTS5 external content).

Migration 3's `issue_fts` stored every title, description and the issue's comments a second
time beside its index. Here it becomes an external-content table over the view
`issue_fts_doc` (the issue row and its comments joined, as before): only the index is stored,
and the text is read from the rows. An external-content index is told what it indexed when a
document goes away ('delete' with the old values), so the triggers remove a document while
the rows still hold what was indexed (AFTER with old.* for an issue, BEFORE for a comment)
and add it back afterwards. The old table's pages are freed; `migrate` runs VACUUM after this
version to give them back to the file system. Five indexes that a wider index covers go too,
issue_label becomes a WITHOUT ROWID table, and change sets are indexed by their first 6 characters.
PostgreSQL keeps its tsvector table (it holds no copy of the text): nothing changes there.
"""

import peewee

_COMMENTS = """coalesce((SELECT group_concat(c.body, char(10)) FROM comment AS c
                         WHERE c.issue_id = {issue}), '')"""


def _doc(issue):
    return _COMMENTS.format(issue=issue)


# Remove / add the document of the issues named by `where` (over issue_fts_doc) as the rows
# hold it now.
def _drop(where):
    return f"""INSERT INTO issue_fts (issue_fts, rowid, title, description, comments)
        SELECT 'delete', id, title, description, comments FROM issue_fts_doc WHERE {where};"""


def _add(where):
    return f"""INSERT INTO issue_fts (rowid, title, description, comments)
        SELECT id, title, description, comments FROM issue_fts_doc WHERE {where};"""


SET_HEAD = 6  # catalog_repo.changes_in_sets asks the index by the same expression

# name -> the index that covers it. Not issue_project_id: with the rowid every index ends
# in, it is (project_id, id), the plan of a word search (ids from the index, in a project).
REDUNDANT = {
    "issue_status_id": "issue_status_id_rank",
    "issue_assignee_id": "issue_assignee_id_archived",
    "change_project_id": "change_project_id_id",
    "issue_label_issue_id": "issue_label's primary key (issue_id, label_id)",
    "issue_label_label_id": "issue_label_label_id_issue_id",
}
_COLUMNS = {
    "issue_status_id": ("issue", "status_id"),
    "issue_assignee_id": ("issue", "assignee_id"),
    "change_project_id": ("change", "project_id"),
    "issue_label_issue_id": ("issue_label", "issue_id"),
    "issue_label_label_id": ("issue_label", "label_id"),
}

OLD_TRIGGERS = [
    "comment_fts_delete",
    "comment_fts_update",
    "comment_fts_insert",
    "issue_fts_delete",
    "issue_fts_update",
    "issue_fts_insert",
]

SQLITE = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in OLD_TRIGGERS),
    "DROP TABLE IF EXISTS issue_fts",
    f"""CREATE VIEW issue_fts_doc (id, title, description, comments) AS
        SELECT i.id, i.title, i.description, {_doc("i.id")} FROM issue AS i""",
    """CREATE VIRTUAL TABLE issue_fts USING fts5(
        title, description, comments, tokenize = 'porter unicode61',
        content = 'issue_fts_doc', content_rowid = 'id')""",
    """CREATE TRIGGER issue_fts_insert AFTER INSERT ON issue BEGIN
        INSERT INTO issue_fts (rowid, title, description, comments)
        VALUES (new.id, new.title, new.description, '');
    END""",
    # Only a real change of the text: a status change that writes every column costs nothing.
    f"""CREATE TRIGGER issue_fts_update AFTER UPDATE OF title, description ON issue
        WHEN old.title IS NOT new.title OR old.description IS NOT new.description BEGIN
        INSERT INTO issue_fts (issue_fts, rowid, title, description, comments)
        VALUES ('delete', old.id, old.title, old.description, {_doc("old.id")});
        {_add("id = new.id")}
    END""",
    # BEFORE: the comments are still there (a cascade deletes them after the row is gone;
    # their triggers then find no issue and leave the index alone).
    f"""CREATE TRIGGER issue_fts_delete BEFORE DELETE ON issue BEGIN
        {_drop("id = old.id")}
    END""",
    f"""CREATE TRIGGER comment_fts_insert_before BEFORE INSERT ON comment BEGIN
        {_drop("id = new.issue_id")}
    END""",
    f"""CREATE TRIGGER comment_fts_insert AFTER INSERT ON comment BEGIN
        {_add("id = new.issue_id")}
    END""",
    f"""CREATE TRIGGER comment_fts_update_before BEFORE UPDATE OF body, issue_id ON comment
        WHEN old.body IS NOT new.body OR old.issue_id IS NOT new.issue_id BEGIN
        {_drop("id IN (old.issue_id, new.issue_id)")}
    END""",
    f"""CREATE TRIGGER comment_fts_update AFTER UPDATE OF body, issue_id ON comment
        WHEN old.body IS NOT new.body OR old.issue_id IS NOT new.issue_id BEGIN
        {_add("id IN (old.issue_id, new.issue_id)")}
    END""",
    f"""CREATE TRIGGER comment_fts_delete_before BEFORE DELETE ON comment BEGIN
        {_drop("id = old.issue_id")}
    END""",
    f"""CREATE TRIGGER comment_fts_delete AFTER DELETE ON comment BEGIN
        {_add("id = old.issue_id")}
    END""",
    "INSERT INTO issue_fts (issue_fts) VALUES ('rebuild')",
    # Merge the index's segments sooner (FTS5's default waits for 4 of a level): a new
    # issue costs a little more work, the index a little less room.
    "INSERT INTO issue_fts (issue_fts, rank) VALUES ('automerge', 2)",
    # Indexes another index leads with the same column(s): each query they served is served
    # by the wider one, and every insert paid for both.
    *(f'DROP INDEX IF EXISTS "{name}"' for name in REDUNDANT),
    # (issue, label) pairs are their own key: WITHOUT ROWID keeps them once, in the primary
    # key's tree, not in a rowid table and again in its index.
    """CREATE TABLE "issue_label_v9" ("issue_id" INTEGER NOT NULL, "label_id" INTEGER NOT NULL,
        PRIMARY KEY ("issue_id", "label_id"),
        FOREIGN KEY ("issue_id") REFERENCES "issue" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("label_id") REFERENCES "label" ("id") ON DELETE CASCADE) WITHOUT ROWID""",
    'INSERT INTO "issue_label_v9" SELECT "issue_id", "label_id" FROM "issue_label"',
    'DROP TABLE "issue_label"',
    'ALTER TABLE "issue_label_v9" RENAME TO "issue_label"',
    'CREATE INDEX "issue_label_label_id_issue_id" ON "issue_label" ("label_id", "issue_id")',
    # A change set's rows are found by the first SET_HEAD characters of its UUID (24 random
    # bits: a namesake set shares them about once in 16 million; the full value is compared
    # on the rows found): a third of the index's size, and fewer pages written per action.
    'DROP INDEX IF EXISTS "change_change_set"',
    f"""CREATE INDEX "change_change_set_head" ON "change" (substr("change_set", 1, {SET_HEAD}))
        WHERE "change_set" IS NOT NULL""",
]

NEW_TRIGGERS = [
    "comment_fts_delete",
    "comment_fts_delete_before",
    "comment_fts_update",
    "comment_fts_update_before",
    "comment_fts_insert",
    "comment_fts_insert_before",
    "issue_fts_delete",
    "issue_fts_update",
    "issue_fts_insert",
]


def up(migrator, db):
    if isinstance(db, peewee.SqliteDatabase):
        for statement in SQLITE:
            db.execute_sql(statement)


def down(migrator, db):
    if not isinstance(db, peewee.SqliteDatabase):
        return
    import importlib

    v3 = importlib.import_module("tracker_gui.storage.migrations.0003_fulltext")
    for name in NEW_TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    db.execute_sql("DROP TABLE IF EXISTS issue_fts")
    db.execute_sql("DROP VIEW IF EXISTS issue_fts_doc")
    for statement in v3.SQLITE:
        db.execute_sql(statement)
    db.execute_sql('DROP INDEX IF EXISTS "change_change_set_head"')
    db.execute_sql(
        'CREATE INDEX "change_change_set" ON "change" ("change_set") WHERE change_set IS NOT NULL'
    )
    for name, (table, column) in _COLUMNS.items():
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")')
