"""Keys that work inside a pane without a menu action, for the shortcuts sheet to list too."""

from __future__ import annotations

# (keys, what they do): the board's own keys (its (i) tooltip says the same) and the editors'.
CONTEXT_KEYS: tuple[tuple[str, str], ...] = (
    ("Up, Down", "Board: select the card above or below"),
    ("Left, Right", "Board: select the card in the next column"),
    ("Enter", "Board: open the selected card"),
    ("Ctrl+Shift+Left, Ctrl+Shift+Right", "Board: move the selected cards to the next column"),
    ("Ctrl+Shift+Up, Ctrl+Shift+Down", "Board: move the selected cards up or down"),
    ("Shift+Click, Ctrl+Click", "Board: select several cards"),
    ("Esc", "Board: cancel a drag"),
    ("Ctrl+Enter", "Detail: send the comment, save the description"),
    ("Esc", "Detail: cancel the comment or description being edited"),
)
