"""Turn a flat Qt model's rows into new rows by difference: removes, moves, inserts, dataChanged."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex

T = TypeVar("T")


def _by_id(item: Any) -> Hashable:
    return item.id  # type: ignore[no-any-return]


def patch_rows(
    model: QAbstractItemModel,
    rows: list[T],
    fresh: Sequence[T],
    *,
    last_column: int = 0,
    key: Callable[[T], Hashable] = _by_id,
) -> int:
    """Edit `rows` (the list `model` shows) in place until it equals `fresh`; returns the
    number of rows changed in place.

    Rows kept keep their identity in Qt's eyes (persistent indexes, the selection, the
    current card, the scroll position follow them), and a view relayouts and repaints only
    around what was inserted, removed or changed: a reset would throw all of that away and
    repaint every card. Both lists are expected in the same order (one SQL ordering), so
    moves are rare; when one happens it is a real `beginMoveRows`.
    """
    root = QModelIndex()
    wanted = {key(item) for item in fresh}
    # 1. Removes, as contiguous runs from the bottom (rows above a run keep their numbers).
    row = len(rows) - 1
    while row >= 0:
        if key(rows[row]) in wanted:
            row -= 1
            continue
        end = row
        while row > 0 and key(rows[row - 1]) not in wanted:
            row -= 1
        model.beginRemoveRows(root, row, end)
        del rows[row : end + 1]
        model.endRemoveRows()
        row -= 1
    # 2. Walk the new order: keep, move up, or insert runs of new rows.
    present = {key(item) for item in rows}
    changed: list[int] = []
    at = 0
    while at < len(fresh):
        item = fresh[at]
        ident = key(item)
        if at < len(rows) and key(rows[at]) == ident:
            if rows[at] != item:
                rows[at] = item
                changed.append(at)
            at += 1
            continue
        if ident in present:  # further down: move it up to here
            source = next(r for r in range(at + 1, len(rows)) if key(rows[r]) == ident)
            model.beginMoveRows(root, source, source, root, at)
            old = rows.pop(source)
            rows.insert(at, item)
            model.endMoveRows()
            if old != item:
                changed.append(at)
            at += 1
            continue
        end = at + 1
        while end < len(fresh) and key(fresh[end]) not in present:
            end += 1
        model.beginInsertRows(root, at, end - 1)
        rows[at:at] = fresh[at:end]
        model.endInsertRows()
        at = end
    if len(rows) > len(fresh):  # only when `rows` held one key twice
        model.beginRemoveRows(root, len(fresh), len(rows) - 1)
        del rows[len(fresh) :]
        model.endRemoveRows()
    # 3. dataChanged for the rows whose content changed, one signal per contiguous run.
    start = 0
    while start < len(changed):
        stop = start
        while stop + 1 < len(changed) and changed[stop + 1] == changed[stop] + 1:
            stop += 1
        model.dataChanged.emit(
            model.index(changed[start], 0), model.index(changed[stop], last_column)
        )
        start = stop + 1
    return len(changed)
