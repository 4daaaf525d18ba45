"""The board's top bar: project name, issue count, keyboard help and the swimlane switch."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QToolButton, QWidget

from tracker_gui.ui.board.binding import FilterButton
from tracker_gui.ui.board.column_view import MOVE_HINT
from tracker_gui.ui.board.filter_chips import FilterChips
from tracker_gui.ui.board.swimlanes import MODES
from tracker_gui.ui.icons import icon
from tracker_gui.ui.widgets.card_style import board_colours

SHORTCUTS = (
    "Board keys: ↑/↓ select a card · ←/→ the next column · Enter opens it\n"
    + MOVE_HINT
    + "\nShift/Ctrl+click selects several cards; drag them together; Esc cancels a drag"
)
MODE_TEXT = {"none": "None", "assignee": "Assignee", "priority": "Priority"}
SPRINT_TEXT = "Active sprint only"
SPRINT_TIP = "Show only the issues of the project's active sprint (sprint:current)"
NO_ACTIVE = "No active sprint"
NO_ACTIVE_TIP = "No sprint of this project is active: start one in the Backlog pane"


TOGGLE_GAP = 8  # px between the sprint toggle and the swimlane label or buttons
MIN_WIDTH = 420  # px; below what the title, chips and swimlane buttons need, pieces go
TITLE_MIN = 120  # px a long project name keeps, elided, however narrow the board


class BoardHeader(QWidget):
    """Emits `laneModeChosen` when the user picks another swimlane grouping."""

    laneModeChosen = Signal(str)
    sprintOnlyToggled = Signal(bool)

    def __init__(self, mode: str, margin: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = ""  # the project's whole name; the title shows it elided when narrow
        self.title = QLabel()
        self.title.setObjectName("BoardTitle")
        self.summary = QLabel()
        self.summary.setObjectName("BoardSummary")
        self.keys = QToolButton()
        self.keys.setAutoRaise(True)
        self.keys.setToolTip(SHORTCUTS)
        self.keys.setAccessibleName("Board keys")
        self.filter_button = FilterButton()
        self.filter_chips = FilterChips()
        self.sprint_toggle = QToolButton()
        self.sprint_toggle.setObjectName("BoardSprintToggle")
        self.sprint_toggle.setText(SPRINT_TEXT)
        self.sprint_toggle.setCheckable(True)
        self.sprint_toggle.setToolTip(SPRINT_TIP)
        self.sprint_toggle.toggled.connect(self.sprintOnlyToggled)
        self.group_label = QLabel("Swimlanes")
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(margin + 4, 12, margin, 8)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        layout.addWidget(self.filter_chips)
        layout.addWidget(self.filter_button)
        layout.addWidget(self.keys)
        layout.addSpacing(8)
        layout.addWidget(self.sprint_toggle)
        layout.addSpacing(TOGGLE_GAP)  # apart from the lane buttons, which look alike
        layout.addWidget(self.group_label)
        self.lanes = QWidget()  # the segmented swimlane buttons (also in View > Swimlanes)
        segmented = QHBoxLayout(self.lanes)
        segmented.setContentsMargins(0, 0, 0, 0)
        segmented.setSpacing(0)
        for n, name in enumerate(MODES):
            button = QToolButton()
            button.setText(MODE_TEXT[name])
            button.setCheckable(True)
            button.setObjectName("BoardLaneButton")
            button.setToolTip(f"Swimlanes: {MODE_TEXT[name].lower()}")
            self._group.addButton(button, n)
            segmented.addWidget(button)
        layout.addWidget(self.lanes)
        self._group.idClicked.connect(self._on_group_id_clicked)
        # A narrow board (a 1024 px window with docks) drops these, least useful first, rather
        # than making the window wider than the screen.
        self._optional = (
            self.group_label,
            self.keys,
            self.summary,
            self.lanes,
            self.sprint_toggle,
            self.filter_button,
        )
        self.setMinimumWidth(MIN_WIDTH)
        self.set_mode(mode)
        self.restyle()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # the chips changed, or a text
            self._fit()
        return handled

    def _fit(self) -> None:
        """Show the extras that fit beside the title and chips, most useful first.

        Worked out from size hints without showing and hiding to try (which would post
        another layout request, and so on), so visibility changes only when the room does.
        """
        layout = self.layout()
        if layout is None:
            return
        gap = layout.spacing()
        margins = layout.contentsMargins()
        used = margins.left() + margins.right() + 8 + TOGGLE_GAP
        if not self.filter_chips.isHidden():
            used += self.filter_chips.sizeHint().width() + gap
        used += self._fit_title(self.width() - used) + gap
        shown: set[QWidget] = set()
        for widget in reversed(self._optional):  # most useful first
            if widget is self.group_label and self.lanes not in shown:
                continue  # the label only goes with its buttons
            need = widget.sizeHint().width() + gap
            if used + need <= self.width():
                shown.add(widget)
                used += need
        for widget in self._optional:
            if widget.isHidden() == (widget in shown):
                widget.setVisible(widget in shown)

    def _fit_title(self, room: int) -> int:
        """Elide a long project name to the room left (never below TITLE_MIN); its width."""
        metrics = self.title.fontMetrics()
        pad = self.title.sizeHint().width() - metrics.horizontalAdvance(self.title.text())
        width = max(TITLE_MIN, room) - pad
        text = metrics.elidedText(self._name, Qt.TextElideMode.ElideRight, width)
        if text != self.title.text():
            self.title.setText(text)
        return metrics.horizontalAdvance(text) + pad

    def set_mode(self, mode: str) -> None:
        button = self._group.button(MODES.index(mode))
        if button is not None and not button.isChecked():
            button.setChecked(True)

    def set_sprint_only(self, on: bool, sprint: str | None = None) -> None:
        """Show the toggle's state without emitting (the board set it); while on, it names
        the active sprint, or says there is none."""
        self.sprint_toggle.blockSignals(True)
        self.sprint_toggle.setChecked(on)
        self.sprint_toggle.blockSignals(False)
        text = SPRINT_TEXT if not on else f"{sprint} only" if sprint else NO_ACTIVE
        self.sprint_toggle.setText(text)
        self.sprint_toggle.setToolTip(SPRINT_TIP if sprint or not on else NO_ACTIVE_TIP)

    def set_title(self, name: str, key: str) -> None:
        self._name = name
        self.title.setText(name)
        self.title.setToolTip(f"{name} ({key})")
        self._fit()

    def set_total(self, total: int) -> None:
        self.summary.setText(f"{total:,} issue{'s' if total != 1 else ''}")

    def _on_group_id_clicked(self, button_id: int) -> None:
        self.laneModeChosen.emit(MODES[button_id])

    def restyle(self) -> None:
        c = board_colours()
        self.keys.setIcon(icon("info", "muted_text"))
        self.filter_button.restyle()
        self.filter_chips.restyle()
        self.title.setStyleSheet(f"color: {c.text.name()}; font-size: 15pt; font-weight: 600;")
        self.summary.setStyleSheet(f"color: {c.muted.name()};")
        self.group_label.setStyleSheet(f"color: {c.muted.name()};")
        self.sprint_toggle.setStyleSheet(
            "QToolButton {"
            f" color: {c.muted.name()}; background: {c.card.name()};"
            f" border: 1px solid {c.border.name()}; border-radius: 6px; padding: 3px 10px; }}"
            f"QToolButton:hover {{ color: {c.text.name()}; }}"
            "QToolButton:checked {"
            f" color: {c.accent.name()}; background: {c.accent_soft.name()};"
            f" border-color: {c.accent.name()}; }}"
        )
        for n, button in enumerate(self._group.buttons()):
            left, right = (6 if n == 0 else 0), (6 if n == len(MODES) - 1 else 0)
            button.setStyleSheet(
                "QToolButton {"
                f" color: {c.muted.name()}; background: {c.card.name()};"
                f" border: 1px solid {c.border.name()}; padding: 3px 12px;"
                f" border-top-left-radius: {left}px; border-bottom-left-radius: {left}px;"
                f" border-top-right-radius: {right}px; border-bottom-right-radius: {right}px; }}"
                f"QToolButton:hover {{ color: {c.text.name()}; }}"
                "QToolButton:checked {"
                f" color: {c.accent.name()}; background: {c.accent_soft.name()};"
                f" border-color: {c.accent.name()}; }}"
            )
