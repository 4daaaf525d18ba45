"""Import and export: Trello, Jira, CSV and the JSON backup, on both backends."""
