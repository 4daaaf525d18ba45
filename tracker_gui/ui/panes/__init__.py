"""Qt panes of the main window."""
