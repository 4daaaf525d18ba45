"""Accessible names: which controls a screen reader could not name, and naming icon buttons."""

from __future__ import annotations

from typing import cast

from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

# What a person operates: buttons, fields, pickers, lists, tables, tabs.
INTERACTIVE: tuple[type[QWidget], ...] = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
    QTabBar,
)


def accessible_name(widget: QWidget) -> str:
    """The name assistive technology reads for `widget` (its own, its text or its buddy's)."""
    # PySide6's stub says never None; Qt returns None for a widget with no interface.
    interface = cast("QAccessibleInterface | None", QAccessible.queryAccessibleInterface(widget))
    if interface is None:
        return widget.accessibleName()
    return interface.text(QAccessible.Text.Name).strip()


def _is_part_of_another(widget: QWidget) -> bool:
    """Pieces Qt builds inside a control (a combo's line edit, a spin box's field, a line
    edit's clear button, a table's header): assistive technology reads them with it."""
    parent = widget.parentWidget()
    if isinstance(parent, (QLineEdit, QAbstractItemView)):
        return True
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox)):
            return True
        parent = parent.parentWidget()
    return False


def interactive_widgets(root: QWidget) -> list[QWidget]:
    """Visible controls under `root` a person can operate."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisible():
            continue
        if _is_part_of_another(widget) or widget.objectName().startswith("qt_"):
            continue
        found.append(widget)
    return found


def unnamed(root: QWidget) -> list[QWidget]:
    """Visible controls under `root` that assistive technology cannot name."""
    return [w for w in interactive_widgets(root) if not accessible_name(w)]


def describe(widget: QWidget) -> str:
    """For a failing test: what the control is and where it sits."""
    chain: list[str] = []
    parent: QWidget | None = widget
    while parent is not None and len(chain) < 4:
        chain.append(f"{type(parent).__name__}#{parent.objectName()}")
        parent = parent.parentWidget()
    return f"{' < '.join(chain)} tip={widget.toolTip()!r}"
