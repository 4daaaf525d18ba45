"""The detail pane's field grid: every field of an issue, edited in place through callbacks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from tracker_gui.domain.enums import IssueType, Priority
from tracker_gui.domain.models import IssueDetail, User
from tracker_gui.domain.workflow import Workflow
from tracker_gui.ui.ops.sprints import SprintChoice
from tracker_gui.ui.panes.detail_saving import PICK, Save, same
from tracker_gui.ui.panes.detail_sprint import SprintCombo
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style
from tracker_gui.ui.widgets.fields import (
    DueEdit,
    HoursSpin,
    TokenCompleter,
    combo_username,
    fill_users,
    split_labels,
    status_icon,
    user_text,
)


class FieldGrid(QWidget):
    """Label / editor rows; each editor saves itself through `save` when it commits.

    Each editor remembers the value it last showed from the store (`bases`): a save starts
    from it, and a refresh never replaces what the user is choosing or typing.
    """

    issueClicked = Signal(int)

    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FieldGrid")
        self._save = save
        self._detail: IssueDetail | None = None
        self._users: list[User] = []
        self._listed_users: list[User] = []  # whom the assignee combo lists
        self.bases: dict[str, Any] = {}

        self.status_combo = QComboBox()
        self.status_combo.setObjectName("StatusField")
        self.status_combo.activated.connect(self._on_status_combo_activated)
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("TypeField")
        for kind in IssueType:
            self.type_combo.addItem(ui.type_icon(kind), kind.value.capitalize(), kind.value)
        self.type_combo.activated.connect(self._on_type_combo_activated)
        self.priority_combo = QComboBox()
        self.priority_combo.setObjectName("PriorityField")
        for level in sorted(Priority, reverse=True):
            self.priority_combo.addItem(
                ui.priority_icon(level), level.label.capitalize(), level.label
            )
        self.priority_combo.activated.connect(self._on_priority_combo_activated)
        self.assignee_combo = QComboBox()
        self.assignee_combo.setObjectName("AssigneeField")
        self.assignee_combo.setEditable(True)
        self.assignee_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.assignee_combo.activated.connect(self._on_assignee_combo_activated)
        for combo in (self.status_combo, self.assignee_combo):  # long names: elided, not wider
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
        line = self.assignee_combo.lineEdit()
        assert line is not None
        line.editingFinished.connect(self._on_assignee_edit_finished)
        self.labels_edit = QLineEdit()
        self.labels_edit.setObjectName("LabelsField")
        self.labels_edit.setPlaceholderText("Add labels, separated by commas")
        self._completer = TokenCompleter([], self.labels_edit)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.labels_edit.setCompleter(self._completer)
        self.labels_edit.editingFinished.connect(self._on_labels_edit_finished)
        self.sprint_combo = SprintCombo()
        self.sprint_combo.chosen.connect(self._on_sprint_combo_chosen)
        self.due_edit = DueEdit()
        self.due_edit.committed.connect(self._on_due_edit_committed)
        self.estimate_spin = HoursSpin()
        self.estimate_spin.setObjectName("EstimateField")
        self.estimate_spin.setRange(0.0, 100_000.0)
        self.estimate_spin.setDecimals(2)
        self.estimate_spin.setSingleStep(0.5)
        self.estimate_spin.setSuffix(" h")
        self.estimate_spin.setSpecialValueText("—")
        self.estimate_spin.editingFinished.connect(self._on_estimate_spin_finished)
        self.parent_edit = QLineEdit()
        self.parent_edit.setObjectName("ParentField")
        self.parent_edit.setAccessibleName("Parent")
        self.parent_edit.setPlaceholderText("None (type a key like TRK-3)")
        self.parent_edit.editingFinished.connect(self._on_parent_edit_finished)
        self.parent_link = ui.LinkLabel()
        self.parent_link.issueClicked.connect(self.issueClicked)
        self.reporter_label = QLabel()
        self.reporter_label.setObjectName("ReporterField")
        self.created_label = QLabel()
        self.created_label.setObjectName("CreatedField")
        self.updated_label = QLabel()
        self.updated_label.setObjectName("UpdatedField")
        for label in (self.reporter_label, self.created_label, self.updated_label):
            label.setWordWrap(True)  # "7 Dec 2026, 19:19 · just now" wraps in a narrow pane

        parent_row = QWidget()
        prow = QHBoxLayout(parent_row)
        prow.setContentsMargins(0, 0, 0, 0)
        prow.setSpacing(8)
        prow.addWidget(self.parent_edit, 1)
        prow.addWidget(self.parent_link)
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        rows: Sequence[tuple[str, QWidget]] = (
            ("Status", self.status_combo),
            ("Type", self.type_combo),
            ("Priority", self.priority_combo),
            ("Assignee", self.assignee_combo),
            ("Labels", self.labels_edit),
            ("Sprint", self.sprint_combo),
            ("Due", self.due_edit),
            ("Estimate", self.estimate_spin),
            ("Parent", parent_row),
            ("Reporter", self.reporter_label),
            ("Created", self.created_label),
            ("Updated", self.updated_label),
        )
        for row, (name, editor) in enumerate(rows):
            label = style.muted(QLabel(name))
            label.setBuddy(editor)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(editor, row, 1)

    # -- showing -----------------------------------------------------------------------------
    def show_detail(
        self,
        detail: IssueDetail,
        flow: Workflow,
        users: list[User],
        labels: list[str],
        reset: bool = True,
        sprint: SprintChoice | None = None,
    ) -> None:
        """Show the issue; on a refresh (`reset` False) an editor in use keeps the user's value."""
        self._detail = detail
        self._users = users
        issue = detail.issue
        if reset or not _busy(self.status_combo):
            self.status_combo.clear()
            allowed = [flow.status(issue.status_id)] if issue.status_id in _ids(flow) else []
            allowed += flow.targets(issue.status_id)
            for status in sorted(allowed, key=lambda s: (s.position, s.id)):
                self.status_combo.addItem(status_icon(status), status.name, status.id)
            self.status_combo.setCurrentIndex(self.status_combo.findData(issue.status_id))
            self.status_combo.setToolTip(
                "Only the moves the workflow allows are listed" if flow.restricted else ""
            )
            self.bases["status"] = issue.status_id
        if reset or not _busy(self.type_combo):
            self._show("type", issue.type.value)
        if reset or not _busy(self.priority_combo):
            self._show("priority", issue.priority.label)
        # A value the app did not write matches no item: the empty combo says what it is.
        self.type_combo.setPlaceholderText(issue.type.label.capitalize())
        self.priority_combo.setPlaceholderText(issue.priority.label.capitalize())
        line = self.assignee_combo.lineEdit()
        if reset or not (_busy(self.assignee_combo) or (line is not None and _typing(line))):
            # Built once per set of users (an avatar each), again only when it changed or
            # holds an unknown assignee added for the issue shown before.
            listed = users == self._listed_users
            if not listed or self.assignee_combo.count() != len(users) + 1:
                fill_users(self.assignee_combo, users)
                self._listed_users = list(users)
            self._show("assignee", issue.assignee)
        if reset or not _typing(self.labels_edit):
            self._show("labels", issue.labels)
        self._completer.model().setStringList(labels)  # type: ignore[attr-defined]
        if reset or not _busy(self.sprint_combo):
            self.sprint_combo.show_choice(sprint)
            if sprint is not None:
                self.bases["sprint"] = sprint.current.name if sprint.current else None
            else:
                self.bases.pop("sprint", None)  # unreadable: nothing to save from
        if reset or not self.due_edit.date_edit.hasFocus():
            self._show("due", issue.due)
        if reset or not self.estimate_spin.hasFocus():
            self._show("estimate", issue.estimate)
        if reset or not _typing(self.parent_edit):
            self._show("parent", detail.parent_key)
        self.parent_link.setVisible(bool(issue.parent_id))
        if issue.parent_id and detail.parent_key:
            self.parent_link.setText(ui.issue_anchor(issue.parent_id, "Open"))
        reporter = next((u for u in users if u.username == issue.reporter), None)
        self.reporter_label.setText(user_text(reporter) if reporter else issue.reporter)
        for label, moment in (
            (self.created_label, issue.created_at),
            (self.updated_label, issue.updated_at),
        ):
            relative = ui.ago(moment)  # past a week this is just the date again
            recent = relative.endswith(("ago", "now", "yesterday"))
            label.setText(
                f"{ui.full_time(moment)}  ·  {relative}" if recent else ui.full_time(moment)
            )

    def _show(self, field: str, value: Any) -> None:
        """Put a stored value in the field's editor; the next save of it starts from there."""
        if field == "type":
            self.type_combo.setCurrentIndex(self.type_combo.findData(str(value)))
        elif field == "priority":
            label = str(getattr(value, "label", value))
            self.priority_combo.setCurrentIndex(self.priority_combo.findData(label))
        elif field == "assignee":
            self._show_assignee(value)
        elif field == "labels":
            self.labels_edit.setText(", ".join(value or ()))
            self.labels_edit.setCursorPosition(0)  # show the first labels, not a cut tail
        elif field == "due":
            self.due_edit.set_due(value)
        elif field == "estimate":
            self.estimate_spin.setValue(value or 0.0)
        elif field == "parent":
            self.parent_edit.setText(value or "")
        elif field == "sprint":
            self.sprint_combo.show_value(value)
        self.bases[field] = value

    def _show_assignee(self, username: str | None) -> None:
        index = self.assignee_combo.findData(username or "")
        if index < 0:
            self.assignee_combo.addItem(username or "", username or "")
            index = self.assignee_combo.count() - 1
        self.assignee_combo.setCurrentIndex(index)
        line = self.assignee_combo.lineEdit()
        if line is not None:
            line.setModified(False)

    # -- committing --------------------------------------------------------------------------
    def _commit(self, field: str, mine: Any, editor: QWidget) -> None:
        """Save `mine` if it differs from where the editor started; then show what is stored."""
        if self._detail is None or field not in self.bases:
            return
        base = self.bases[field]
        if same(field, base, mine):
            return
        saved = self._save(field, base, mine)
        if not saved.settled:
            return
        if field == "status":
            self.bases[field] = saved.value  # the pane's reload rebuilds the allowed moves
        else:
            self._show(field, saved.value)
        if saved.outcome == PICK:
            editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_status_combo_activated(self, index: int) -> None:
        self._commit("status", self.status_combo.itemData(index), self.status_combo)

    def _on_sprint_combo_chosen(self, name: str | None) -> None:
        self._commit("sprint", name, self.sprint_combo)

    def _on_type_combo_activated(self, index: int) -> None:
        self._commit("type", self.type_combo.itemData(index), self.type_combo)

    def _on_priority_combo_activated(self, index: int) -> None:
        self._commit("priority", self.priority_combo.itemData(index), self.priority_combo)

    def _commit_assignee(self) -> None:
        value = combo_username(self.assignee_combo, self._users)
        self._commit("assignee", value, self.assignee_combo)

    def _on_assignee_combo_activated(self, _index: int) -> None:
        self._commit_assignee()

    def _on_assignee_edit_finished(self) -> None:
        self._commit_assignee()

    def _on_labels_edit_finished(self) -> None:
        self._commit("labels", split_labels(self.labels_edit.text()), self.labels_edit)

    def _on_due_edit_committed(self) -> None:
        self._commit("due", self.due_edit.due(), self.due_edit.date_edit)

    def _on_estimate_spin_finished(self) -> None:
        self._commit("estimate", self.estimate_spin.value() or None, self.estimate_spin)

    def _on_parent_edit_finished(self) -> None:
        key = self.parent_edit.text().strip().upper() or None
        self._commit("parent", key, self.parent_edit)


def _busy(combo: QComboBox) -> bool:
    """A combo whose list is open: the user is choosing."""
    return combo.view().isVisible()


def _typing(line: QLineEdit) -> bool:
    """A line edit with the focus or with text the user typed and has not saved."""
    return line.hasFocus() or line.isModified()


def _ids(flow: Workflow) -> set[int]:
    return {s.id for s in flow.statuses}
