"""An export's output written inside a database block, its errors kept as the output's own.

The database's blocks (Database.snapshot) turn any OSError into a StorageError about the
database: a full disk or a closed pipe while writing the file would read "database error on
tracker.db". Writes go through `Guarded`, whose OSError crosses the block wrapped, and
`output_errors` (outside the block) raises the original again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TextIO


class OutputFailed(Exception):
    """Carries an OSError of the output through a block that would translate it."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class Guarded:
    """A text stream's `write` (what csv.writer and the JSON writer call), errors wrapped."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except OSError as exc:
            raise OutputFailed(exc) from exc


@contextlib.contextmanager
def output_errors() -> Iterator[None]:
    """Around the database block: an output error comes out as the OSError it was."""
    try:
        yield
    except OutputFailed as exc:
        raise exc.error from None


__all__ = ["Guarded", "OutputFailed", "output_errors"]
