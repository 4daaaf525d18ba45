"""The first-run empty state: on a database with no project or no issue, what to do first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.models import IssueFilter
from tracker_gui.ui import theme
from tracker_gui.ui.actions import Actions
from tracker_gui.ui.store import Store

# Added by the File > New Project work; found by object name so that neither module needs
# the other: without it, the button opens Project Settings.
NO_PROJECTS, NO_ISSUES = "no-projects", "no-issues"
TEXTS = {
    NO_PROJECTS: (
        "No projects yet",
        "A project holds your issues and their board. Create one, or import issues from a "
        "Trello board, a Jira export or a CSV file.",
        "New Project…",
    ),
    NO_ISSUES: (
        "No issues yet",
        "Add the first issue (the board's + does it too), or import issues from a Trello "
        "board, a Jira export or a CSV file.",
        "New Issue…",
    ),
}
WIDTH = 440


class EmptyState(QFrame):
    """A card over the centre of the window while the database is empty; gone once it is not."""

    def __init__(
        self,
        window: QMainWindow,
        store: Store,
        actions: Actions,
        centre: Callable[[], QWidget | None],
        new_project: QAction,
    ) -> None:
        super().__init__(window)
        self.setObjectName("EmptyState")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._window = window
        self._store = store
        self._new_issue = actions.new_issue
        self._new_project = new_project  # File > New Project
        self._centre = centre
        self._state = ""
        self.title = QLabel()
        self.title.setObjectName("EmptyTitle")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.text = QLabel()
        self.text.setObjectName("EmptyText")
        self.text.setWordWrap(True)
        self.primary = QPushButton()
        self.primary.setObjectName("EmptyPrimary")
        self.primary.setDefault(True)
        self.primary.clicked.connect(self._on_primary_clicked)
        self.import_button = QPushButton("Import…")
        self.import_button.setObjectName("EmptyImport")
        self.import_button.setMenu(actions.import_menu)
        self.import_button.setAccessibleName("Import issues")
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.primary)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addSpacing(4)
        layout.addLayout(buttons)
        self.setFixedWidth(WIDTH)
        self.restyle()
        store.projectsChanged.connect(self.refresh)
        store.issuesChanged.connect(self._on_store_issues_changed)
        theme.notifier.changed.connect(self._on_theme_changed)
        window.installEventFilter(self)
        self.hide()
        self.refresh()

    def state(self) -> str:
        """NO_PROJECTS, NO_ISSUES or "" (nothing to say: the card is hidden)."""
        return self._state

    def refresh(self) -> None:
        if not self._store.projects():
            state = NO_PROJECTS
        elif self._store.count(IssueFilter(include_archived=True)) == 0:
            state = NO_ISSUES
        else:
            state = ""
        self._state = state
        if not state:
            self.hide()
            return
        title, text, primary = TEXTS[state]
        self.title.setText(title)
        self.text.setText(text)
        self.primary.setText(primary)
        self.primary.setAccessibleName(primary.removesuffix("…"))
        self.adjustSize()
        self.reposition()
        self.show()
        self.raise_()

    def reposition(self) -> None:
        """In the middle of the board (or the list), or of the window when it floats."""
        centre = self._centre()
        area = self._window.rect()
        if centre is not None and centre.isVisible() and not centre.isWindow():
            area = QRect(centre.mapTo(self._window, QPoint(0, 0)), centre.size())
        self.move(area.center() - self.rect().center())

    def restyle(self) -> None:
        c = theme.palette_colours()
        self.setStyleSheet(
            f"QFrame#EmptyState {{ background: {c['base_bg'].name()};"
            f" border: 1px solid {c['separator'].name()}; border-radius: 10px; }}"
            f"QLabel#EmptyTitle {{ color: {c['text'].name()}; }}"
            f"QLabel#EmptyText {{ color: {c['muted_text'].name()}; }}"
            f"QPushButton#EmptyPrimary {{ background: {c['accent'].name()};"
            f" color: {c['accent_text'].name()}; border: none; border-radius: 6px;"
            " padding: 6px 14px; font-weight: 600; }"
            f"QPushButton#EmptyPrimary:hover {{ background: {c['accent_hover'].name()}; }}"
            f"QPushButton#EmptyImport {{ background: {c['base_bg'].name()};"
            f" color: {c['text'].name()}; border: 1px solid {c['separator'].name()};"
            " border-radius: 6px; padding: 6px 14px; }"
            f"QPushButton#EmptyImport:hover {{ background: {c['hover_bg'].name()}; }}"
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        moved = (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LayoutRequest)
        if watched is self._window and event.type() in moved and self.isVisible():
            self.reposition()
        return False

    def _on_primary_clicked(self) -> None:
        if self._state == NO_PROJECTS:
            self._new_project.trigger()
        else:
            self._new_issue.trigger()

    def _on_store_issues_changed(self, _updates: object) -> None:
        if self._state:
            self.refresh()

    def _on_theme_changed(self, _dark: bool) -> None:
        self.restyle()
