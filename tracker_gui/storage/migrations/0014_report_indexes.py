"""Version 14: partial indexes on the change log that keep the reports under a second at
100,000 issues and 1,000,000 Change rows (tests/perf/report_bench.py). Each holds only the
rows of one field, whose old/new are short ids: a description's megabyte never enters them
(PostgreSQL refuses index rows over 8 kB).

- change(project_id, field, at, old, new) WHERE field = 'status': a project's status moves in
  time order, covering. The cumulative flow counts each day's moves from it (SQLite: one
  short range per day, no sort of the whole log).
- change(issue_id, field, id, old, new, at) WHERE field = 'status': an issue's status moves
  in order, covering (SQLite counts an index covering only if it holds every column the query
  names, `field` too): its first move (the status it was created in) is one look-up, and cycle
  time reads every issue's moves from it without visiting the log, whose rows lie in time
  order, not issue order (SQLite 0.8 s -> 0.3 s; PostgreSQL per issue, 0.95 s -> 0.35 s).
- change(project_id, issue_id) WHERE field = 'deleted': whether a project has deleted issues
  (whose moves the reports leave out) is one look-up, not a scan of its log.
"""

STATUS = " WHERE \"field\" = 'status'"
INDEXES = {
    "change_report_flow": ('"project_id", "field", "at", "old", "new"', STATUS),
    "change_status_moves": ('"issue_id", "field", "id", "old", "new", "at"', STATUS),
    "change_deletions": ('"project_id", "issue_id"', " WHERE \"field\" = 'deleted'"),
}


def up(migrator, db):
    for name, (columns, where) in INDEXES.items():
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "change" ({columns}){where}')


def down(migrator, db):
    for name in INDEXES:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
