"""The filter the window applies, shown on each board as chips with a one-click clear.

The board header's "Filter:" button names the saved filter a board is bound to; the filter
pane narrows every board further. Without these chips a board whose cards the filter pane
hides says "Filter: All issues" over empty columns.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from tracker_gui.domain.models import IssueFilter
from tracker_gui.ui.board.grid import CellGrid
from tracker_gui.ui.icons import icon
from tracker_gui.ui.widgets.card_style import board_colours

LONGEST = 28  # characters of a search shown in its chip (the tooltip has all of it)
CHIP_MIN = 48  # px a chip keeps however narrow the board


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def _words(word: str) -> str:
    return word[:1].upper() + word[1:]


def describe(flt: IssueFilter, project_id: int, status_names: Mapping[int, str]) -> list[str]:
    """One short text per part of the filter that can hide cards on this project's board."""
    parts: list[str] = []
    if flt.project_ids and project_id not in flt.project_ids:
        parts.append("Another project")
    if flt.query.strip():
        parts.append(f"Search: {_short(flt.query)}")
    if flt.text.strip():
        parts.append(f"Text: “{_short(flt.text)}”")
    statuses = [status_names.get(i, f"#{i}") for i in flt.status_ids] + list(flt.status_names)
    statuses += [_words(c.label.replace("_", " ")) for c in flt.categories]
    if statuses:
        parts.append("Status: " + ", ".join(statuses))
    people = list(flt.assignees) + (["unassigned"] if flt.unassigned else [])
    if people:
        parts.append("Assignee: " + ", ".join(people))
    if flt.reporters:
        parts.append("Reporter: " + ", ".join(flt.reporters))
    if flt.labels:
        parts.append("Label: " + ", ".join(flt.labels))
    if flt.types:
        parts.append("Type: " + ", ".join(_words(t.label) for t in flt.types))
    if flt.priorities:
        parts.append("Priority: " + ", ".join(_words(p.label) for p in flt.priorities))
    if flt.watched_by:
        parts.append("Watching")
    if flt.due_before is not None:
        parts.append(f"Due before {flt.due_before:%b} {flt.due_before.day}")
    if flt.overdue_on is not None:
        parts.append("Overdue")
    if flt.issue_ids:
        parts.append(f"{len(flt.issue_ids)} chosen issue{'s' if len(flt.issue_ids) != 1 else ''}")
    if flt.include_archived:
        parts.append("With archived")
    return parts


class FilterChips(QWidget):
    """ "Filtered by" chips and a clear button; hidden while nothing is filtered."""

    clearRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BoardFilterChips")
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(4)
        self.chips: list[QLabel] = []  # the chips shown, in order
        self._pool: list[QLabel] = []  # every chip label made so far (shown or hidden)
        self.clear_button = QToolButton()
        self.clear_button.setObjectName("BoardFilterClear")
        self.clear_button.setAutoRaise(True)
        self.clear_button.setText("Clear")
        self.clear_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.clear_button.setToolTip("Clear the filter: show every card of the board")
        self.clear_button.setAccessibleName("Clear the filter")
        self.clear_button.clicked.connect(self.clearRequested)
        self._row.addWidget(self.clear_button)
        self.setVisible(False)

    def texts(self) -> list[str]:
        return [chip.text() for chip in self.chips]

    def show_parts(self, parts: list[str]) -> None:
        """Show `parts` as chips. The labels are kept and refilled, never made anew: a filter
        change then costs no widget churn and no style sheet pass (the sheet set on this row
        by `restyle` styles every chip, old or new)."""
        if parts == self.texts():
            return
        while len(self._pool) < len(parts):
            chip = QLabel()
            chip.setObjectName("BoardFilterChip")
            self._row.insertWidget(len(self._pool), chip)
            self._pool.append(chip)
        for n, chip in enumerate(self._pool):
            if n < len(parts):
                text = parts[n]
                chip.setText(text)
                chip.setToolTip(f"The filter pane hides cards that do not match: {text}")
                # A narrow board squeezes the chips (the tooltip keeps the whole text), not itself.
                chip.setMinimumWidth(0)
                chip.setMinimumWidth(min(CHIP_MIN, chip.sizeHint().width()))
            chip.setVisible(n < len(parts))
        self.chips = self._pool[: len(parts)]
        self.setVisible(bool(parts))

    def restyle(self) -> None:
        c = board_colours()
        self.clear_button.setIcon(icon("close", "accent"))
        self.setStyleSheet(
            "QLabel#BoardFilterChip {"
            f" color: {c.accent.name()}; background: {c.accent_soft.name()};"
            " border-radius: 10px; padding: 2px 9px; }"
            "QToolButton#BoardFilterClear {"
            f" color: {c.accent.name()}; padding: 2px 6px; border-radius: 6px; }}"
            f"QToolButton#BoardFilterClear:hover {{ background: {c.accent_soft.name()}; }}"
        )


def show_hidden(grid: CellGrid, unfiltered: Mapping[int, int] | None) -> None:
    """Empty columns say how many cards the filter hides (`unfiltered`: counts without it).

    The counts are taken when the filter is set: live changes since then leave the number
    as it was (a count per change would cost a query per change while a filter is on).
    """
    for cell in grid:
        hidden = 0
        if unfiltered is not None and cell.lane is None and not cell.model.total():
            hidden = unfiltered.get(cell.status.id, 0)
        cell.view.set_empty_text(f"{hidden:,} hidden by the filter" if hidden else "")
