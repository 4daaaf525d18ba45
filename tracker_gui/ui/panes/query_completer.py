"""Completion for a query box: field names, then the values of the field under the cursor."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QStringListModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit

from tracker_gui.domain.query_fields import FIELDS, Cursor, at_cursor, quote

Values = Callable[[str], Iterable[str]]


def candidates(field: str | None, values: Values) -> list[str]:
    """What may stand at the cursor: `name:` for every field, or the values of `field`."""
    if field is None:
        return [f"{name}:" for name in sorted(FIELDS)]
    spec = FIELDS.get(field)
    fixed = spec.words if spec is not None else ()
    return list(dict.fromkeys([*values(field), *fixed]))


class QueryCompleter(QObject):
    """Completes the token under the cursor of `edit` (QLineEdit's own completer would
    replace the whole text). `values(field)` gives the project's statuses, labels, users..."""

    def __init__(self, edit: QLineEdit, values: Values) -> None:
        super().__init__(edit)
        self._edit = edit
        self._values = values
        self._cursor: Cursor | None = None
        self._model = QStringListModel(self)
        self.completer = QCompleter(self._model, self)
        self.completer.setWidget(edit)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.completer.activated.connect(self._on_completer_activated)
        edit.textEdited.connect(self._on_edit_text_edited)

    def popup(self) -> QAbstractItemView:
        popup = self.completer.popup()
        assert popup is not None  # QCompleter makes its popup on first use
        return popup

    def suggestions(self) -> list[str]:
        """What the popup offers now, in order."""
        model = self.completer.completionModel()
        return [str(model.index(row, 0).data()) for row in range(model.rowCount())]

    def update(self) -> None:
        """Offer completions for the token at the text cursor (or hide the popup)."""
        text = self._edit.text()
        cursor = at_cursor(text, self._edit.cursorPosition())
        self._cursor = cursor
        prefix = cursor.prefix.lstrip('"')
        if cursor.field is None and not prefix:
            self.popup().hide()
            return
        self._model.setStringList(candidates(cursor.field, self._values))
        self.completer.setCompletionPrefix(prefix)
        exact = self.suggestions() == [prefix]
        if self.completer.completionCount() == 0 or exact:
            self.popup().hide()
            return
        self.popup().setCurrentIndex(self.completer.completionModel().index(0, 0))
        rect = self._edit.cursorRect()
        rect.setWidth(max(220, self.popup().sizeHintForColumn(0) + 24))
        self.completer.complete(rect)

    def accept(self, chosen: str) -> None:
        """Put `chosen` in place of the token under the cursor."""
        cursor = self._cursor
        if cursor is None:
            return
        text = self._edit.text()
        insert = chosen if cursor.field is None else quote(chosen)
        self._edit.setText(text[: cursor.start] + insert + text[cursor.end :])
        self._edit.setCursorPosition(cursor.start + len(insert))
        if cursor.field is None:
            self.update()  # a field name was chosen: offer its values at once
        else:
            self.popup().hide()

    def _on_edit_text_edited(self, _text: str) -> None:
        self.update()

    def _on_completer_activated(self, chosen: str) -> None:
        self.accept(chosen)
