"""Board colours and metrics, read from the theme so light and dark both stay readable."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor

from tracker_gui.domain.cards import Shown
from tracker_gui.domain.enums import IssueType, Priority
from tracker_gui.ui import theme
from tracker_gui.ui.widgets.provisional import PROVISIONAL_TIP, is_provisional

# Card geometry at 1x (device-independent pixels); the delegate scales nothing by hand.
CARD_WIDTH = 280
CARD_MARGIN_X = 8  # between the card and the column edge
CARD_GAP = 8  # between two cards
CARD_PAD = 10  # inside the card
CARD_RADIUS = 8
STRIP_WIDTH = 3
AVATAR = 22
CHIP_HEIGHT = 18
ICON = 14


@dataclass(frozen=True)
class Density:
    """How roomy the cards are: compact ones are narrower, with a one-line title."""

    name: str
    card_width: int
    pad: int  # inside the card
    gap: int  # between two cards
    title_lines: int

    @property
    def column_width(self) -> int:
        return self.card_width + 2 * CARD_MARGIN_X + 4


COMFORTABLE = Density("comfortable", CARD_WIDTH, CARD_PAD, CARD_GAP, 2)
COMPACT = Density("compact", 192, 7, 6, 1)  # three columns beside the docks at 1024 px
DENSITIES = {d.name: d for d in (COMFORTABLE, COMPACT)}


def density(name: str) -> Density:
    """The density called `name` (an unknown name, from an old settings file: comfortable)."""
    return DENSITIES.get(name, COMFORTABLE)


@dataclass(frozen=True)
class BoardColours:
    """Every colour the board paints with."""

    dark: bool
    board: QColor
    column: QColor
    column_header: QColor
    card: QColor
    card_hover: QColor
    card_selected: QColor
    border: QColor
    border_hover: QColor
    border_selected: QColor
    shadow: QColor
    text: QColor
    muted: QColor
    faint: QColor
    accent: QColor
    accent_soft: QColor
    danger: QColor
    danger_soft: QColor
    warning: QColor
    avatar_text: QColor


_cache: dict[bool, BoardColours] = {}


def board_colours() -> BoardColours:
    """The board colours of the active scheme (cached per scheme)."""
    dark = theme.is_dark()
    if dark not in _cache:
        c = theme.palette_colours()
        _cache[dark] = BoardColours(
            dark=dark,
            board=c["window_bg"],
            column=c["column_bg"],
            column_header=c["column_header"],
            card=c["card_bg"],
            card_hover=c["card_bg"] if dark else c["alt_bg"],
            card_selected=c["accent_soft"],
            border=c["card_border"],
            border_hover=c["card_hover_border"],
            border_selected=c["card_selected_border"],
            shadow=c["card_shadow"],
            text=c["text"],
            muted=c["muted_text"],
            faint=c["faint_text"],
            accent=c["accent"],
            accent_soft=c["accent_soft"],
            danger=c["danger"],
            danger_soft=c["danger_soft"],
            warning=c["warning"],
            avatar_text=c["avatar_text"],
        )
    return _cache[dark]


def priority_colour(priority: Priority) -> QColor:
    return theme.colour(f"priority_{priority.label}" if priority.known else "warning")


def card_tooltip(issue: Shown, assignee: str | None = None) -> str:
    """A card's tooltip; `assignee` is how to show the assignee (default: the bare login)."""
    parts = [f"{issue.key}: {issue.title}", f"Priority: {issue.priority.label}"]
    if is_provisional(issue.key):
        parts.insert(1, PROVISIONAL_TIP)
    shown = assignee or issue.assignee
    parts.append(f"Assignee: {shown}" if issue.assignee else "Unassigned")
    if issue.due:
        parts.append(f"Due: {issue.due.isoformat()}")
    if issue.labels:
        parts.append("Labels: " + ", ".join(issue.labels))
    return "\n".join(parts)


# A value the app did not write (raw SQL; see domain.enums.stored) gets the warning sign.
def priority_icon_name(priority: Priority) -> str:
    return f"priority-{priority.label}" if priority.known else "warning"


def type_icon_name(kind: IssueType) -> str:
    return f"type-{kind.value}" if kind.known else "warning"


def label_chip(name: str, stored: str = "") -> tuple[QColor, QColor]:
    """(background, text) of a label pill: the project's own colour when it has one."""
    colour = QColor(stored) if stored else QColor()
    if not colour.isValid():
        return theme.label_colours(name)
    dark = theme.is_dark()
    background = QColor(colour)
    background.setAlphaF(0.28 if dark else 0.14)
    hue, saturation = max(colour.hslHueF(), 0.0), colour.hslSaturationF()
    text = QColor.fromHslF(hue, saturation, 0.80 if dark else min(colour.lightnessF(), 0.32))
    return background, text
