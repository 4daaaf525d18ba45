"""Qt board of the main window."""
