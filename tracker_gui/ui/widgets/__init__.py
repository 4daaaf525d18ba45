"""The shared widget kit: styles, form widgets and card styling for panes, dialogs and board."""
