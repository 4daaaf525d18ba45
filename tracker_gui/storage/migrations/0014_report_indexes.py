"""Version 14: two indexes on the change log that keep the reports under a second at
100,000 issues and 1,000,000 Change rows (tests/perf/report_bench.py).

- change(project_id, field, at, old, new): a project's status moves in time order, covering.
  The cumulative flow counts each day's moves from it (SQLite: one short range per day, no
  sort of the whole log; PostgreSQL: an index-only scan), and sprint moves are found by it.
- change(issue_id, field, id, old, new, at) WHERE field = 'status': an issue's status moves
  in order, covering (SQLite counts an index covering only if it holds every column the query
  names, `field` too): its first move (the status it was created in) is one look-up, and on
  SQLite cycle time reads every issue's moves from it without visiting the log, whose rows lie
  in time order, not issue order (0.8 s -> 0.3 s; PostgreSQL hashes a scan instead).
"""

INDEXES = {
    "change_report_flow": ('"project_id", "field", "at", "old", "new"', ""),
    "change_status_moves": (
        '"issue_id", "field", "id", "old", "new", "at"',
        " WHERE \"field\" = 'status'",
    ),
}


def up(migrator, db):
    for name, (columns, where) in INDEXES.items():
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "change" ({columns}){where}')


def down(migrator, db):
    for name in INDEXES:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
