"""Schema migrations, applied in numeric order by playhouse.migrations."""
