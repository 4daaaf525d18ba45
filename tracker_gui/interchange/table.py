"""A CSV file as a header and rows; repeated column names (Jira's "Labels") are all kept."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tracker_gui.interchange.report import BadFile
from tracker_gui.interchange.textio import check_bytes, csv_records

Tick = Callable[[int, int], None]


def normal(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").casefold().split())


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    cells: list[str]


class Header:
    """Column positions by name, ignoring case and spacing; a name may repeat."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = [n.strip() for n in names]
        self._at: dict[str, list[int]] = {}
        for i, name in enumerate(self.names):
            self._at.setdefault(normal(name), []).append(i)
        self._named: dict[str, Sequence[int]] = {}  # as asked -> positions (asked per cell)

    def has(self, name: str) -> bool:
        return normal(name) in self._at

    def every(self, row: Row, name: str) -> list[str]:
        """The non-empty cells of every column with this name."""
        cells = row.cells
        at = self._named.get(name)
        if at is None:
            at = self._named[name] = self._at.get(normal(name), ())
        found = [cells[i].strip() for i in at if i < len(cells)]
        return [c for c in found if c]

    def first(self, row: Row, name: str) -> str:
        found = self.every(row, name)
        return found[0] if found else ""

    def cell(self, row: Row, index: int) -> str:
        return row.cells[index] if index < len(row.cells) else ""


def open_table(
    path: Path,
    encoding: str,
    required: Sequence[str],
    tick: Tick | None = None,
    *,
    check: bool = True,
) -> tuple[Header, Iterator[Row]]:
    """Check every byte first (encoding, NUL), then stream the records after the header."""
    if check:
        check_bytes(path, encoding, tick)
    records = csv_records(path, encoding, tick)
    try:
        _, _, names = next(records)
    except StopIteration:
        raise BadFile(str(path), "the file is empty") from None
    header = Header(names)
    missing = [name for name in required if not header.has(name)]
    if missing:
        shown = ", ".join(repr(n) for n in header.names[:12])
        raise BadFile(
            "row 1 (the header)",
            f"missing required column {', '.join(repr(m) for m in missing)} (found: {shown})",
        )
    return header, _rows(header, records)


def _rows(header: Header, records: Iterator[tuple[int, int, list[str]]]) -> Iterator[Row]:
    width = len(header.names)
    for number, line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > width:
            raise BadFile(
                f"line {line}",
                f"row {number} has {len(cells)} cells but the header names {width} columns "
                "(a stray quote or comma?)",
            )
        yield Row(number, cells)


def read_table(
    path: Path, encoding: str, required: Sequence[str], tick: Tick | None = None
) -> tuple[Header, list[Row]]:
    header, rows = open_table(path, encoding, required, tick)
    return header, list(rows)
