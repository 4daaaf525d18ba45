"""Queries compiled to SQL once and re-run with new values: the hot single-row reads.

Building SQL from peewee's expression tree costs more than SQLite takes to run a keyed read
(~1-2 ms against ~0.05 ms for an issue by id), and a board move reads the issue, the
workflow and the column's last rank each time. A Prepared query is compiled on first use
with marker values in place of its inputs; later calls send the same text with the real
values put where the markers were. Only the values change, so nothing typed reaches the SQL.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from tracker_gui.storage.database import Database

# Integers no id or value ever takes: where one shows up among the compiled parameters is
# where the caller's value goes.
_MARK = -7_319_000_000_000


class Prepared:
    """`Prepared(db, lambda a, b: <peewee query using a and b>)`; `run(a, b)` -> cursor."""

    def __init__(self, database: Database, build: Callable[..., Any], arity: int = 1) -> None:
        self.db = database
        self.build = build
        self.arity = arity
        self._sql: str | None = None
        self._params: list[Any] = []
        self._slots: list[tuple[int, int]] = []  # (parameter position, argument index)

    def _compile(self) -> None:
        marks = [_MARK - n for n in range(self.arity)]
        sql, params = self.build(*marks).sql()
        slots = [(pos, marks.index(p)) for pos, p in enumerate(params) if p in marks]
        if sorted({arg for _, arg in slots}) != list(range(self.arity)):
            raise AssertionError("a prepared query must use each of its arguments")
        self._sql, self._params, self._slots = sql, list(params), slots

    def statement(self, *values: Any) -> tuple[str, list[Any]]:
        """The SQL text and its parameters for `values` (compiled on first use)."""
        if self._sql is None:
            self._compile()
        assert self._sql is not None
        params = list(self._params)
        for pos, arg in self._slots:
            params[pos] = values[arg]
        return self._sql, params

    def run(self, *values: Any) -> Any:
        """Execute with `values` (call inside the database's reading/transaction block)."""
        return self.db.peewee.execute_sql(*self.statement(*values))

    def rows(self, *values: Any) -> Sequence[tuple[Any, ...]]:
        return list(self.run(*values).fetchall())


class CompiledCache:
    """SQL text compiled from peewee, kept by what it was compiled from (an LRU).

    A filter and its options fully decide the SQL: compiling reads nothing from the database.
    So a board that reloads, recounts or toggles back to an earlier filter sends the text it
    already has instead of walking peewee's expression tree again.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()  # services may be shared with a worker thread

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        entry = build()
        with self._lock:
            self._entries[key] = entry
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return entry
