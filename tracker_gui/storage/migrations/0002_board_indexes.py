"""Version 2: indexes that keep the board interactive at 100,000 issues.

- issue(status, rank): a column's first/last rank and a card's neighbours (archived cards
  keep their slot) become index look-ups instead of a scan of every card in the status.
- issue(project, archived, status, priority, type, assignee, reporter, due): the quick filters
  and per-column counts read this covering index alone; without it each count visits every
  issue row (descriptions included) and takes hundreds of milliseconds.
"""

INDEXES = {
    "issue_status_id_rank": ("status_id", "rank"),
    "issue_board_filter": (
        "project_id",
        "archived",
        "status_id",
        "priority",
        "type",
        "assignee_id",
        "reporter_id",
        "due",
    ),
}


def up(migrator, db):
    for name, columns in INDEXES.items():
        listed = ", ".join(f'"{c}"' for c in columns)
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "issue" ({listed})')


def down(migrator, db):
    for name in INDEXES:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
