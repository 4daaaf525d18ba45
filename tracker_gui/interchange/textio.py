"""Reading import files: encodings checked to the byte, JSON errors by line, CSV streamed."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tracker_gui.interchange.report import BadFile

CHUNK = 1 << 20
ENCODING_HINT = "choose the file's encoding, e.g. cp1252 (Windows) or latin-1"
# A description may be 1 MB; the csv module's default field limit is 128 KiB.
csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))
ByteTicker = Callable[[int, int], None]


def codec_name(encoding: str) -> str:
    """The canonical codec name; UTF-8 is read as utf-8-sig so a BOM is skipped."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise BadFile("encoding", f"unknown encoding {encoding!r}") from None
    return "utf-8-sig" if name == "utf-8" else name


def _line_at(path: Path, offset: int) -> int:
    line = 1
    with path.open("rb") as fh:
        done = 0
        while done < offset:
            chunk = fh.read(min(CHUNK, offset - done))
            if not chunk:
                break
            line += chunk.count(b"\n")
            done += len(chunk)
    return line


def _where(path: Path, offset: int) -> str:
    return f"byte {offset:,} (line {_line_at(path, offset)})"


def check_bytes(path: Path, encoding: str = "utf-8", tick: ByteTicker | None = None) -> None:
    """Stream the file once: BadFile at the first byte that does not decode, or a NUL byte."""
    name = codec_name(encoding)
    size = path.stat().st_size
    if size == 0:
        raise BadFile(str(path), "the file is empty")
    nul_is_text = name.startswith(("utf-16", "utf-32"))
    decoder = codecs.getincrementaldecoder(name)(errors="strict")
    offset = 0
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(CHUNK)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                at = offset - pending + exc.start
                raise BadFile(
                    _where(path, at), f"not valid {encoding} text ({exc.reason}); {ENCODING_HINT}"
                ) from None
            if not chunk:
                return
            nul = -1 if nul_is_text else chunk.find(b"\x00")
            if nul >= 0:
                utf16 = chunk[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
                hint = "it looks like UTF-16: pass encoding utf-16" if utf16 else "remove it"
                raise BadFile(_where(path, offset + nul), f"the file contains a NUL byte; {hint}")
            offset += len(chunk)
            if tick is not None:
                tick(offset, size)


_INT64 = 2**63 - 1


class _TooLarge(ValueError):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.shown = text if len(text) <= 24 else f"a number of {len(text.lstrip('-')):,} digits"


def _whole_number(text: str) -> int:
    """Whole numbers a database column can hold (64 bits); Python's int() would refuse more
    than 4,300 digits with a bare ValueError, and SQLite anything past 64 bits."""
    if len(text) > 20 or abs(int(text)) > _INT64:
        raise _TooLarge(text)
    return int(text)


def read_json(path: Path) -> Any:
    """Parse a UTF-8 JSON file; BadFile names the byte, or the line and column, of a fault."""
    data = path.read_bytes()
    if not data.strip():
        raise BadFile(str(path), "the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(
            _where(path, exc.start), f"not valid UTF-8 ({exc.reason}); JSON must be UTF-8"
        ) from None
    try:
        return json.loads(text, parse_int=_whole_number)
    except json.JSONDecodeError as exc:
        raise BadFile(
            f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}"
        ) from None
    except _TooLarge as exc:
        raise BadFile(str(path), f"{exc.shown} is too large for a whole number") from None
    except RecursionError:
        raise BadFile(str(path), "not valid JSON: nested too deeply") from None


def csv_rows(
    path: Path, encoding: str = "utf-8", tick: ByteTicker | None = None
) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cells) for every record; the header is row 1."""
    for number, _line, cells in csv_records(path, encoding, tick):
        yield number, cells


# What the csv module says, and what a person can do about it.
_CSV_FAULTS = {
    "unexpected end of data": "a quoted cell is never closed (a stray quote?)",
    "',' expected after '\"'": (
        'text after a cell\'s closing quote (a quote inside a quoted cell is written twice: "")'
    ),
}


def csv_records(
    path: Path, encoding: str = "utf-8", tick: ByteTicker | None = None
) -> Iterator[tuple[int, int, list[str]]]:
    """(row number, the physical line the record starts on, cells) for every record.

    Strict: a quote never closed (which the csv module otherwise lets run to the end of the
    file, swallowing every row after it) or text after a closing quote is a BadFile naming
    the line where that record starts.
    """
    size = path.stat().st_size
    raw = path.open("rb")
    try:
        text = io.TextIOWrapper(raw, encoding=codec_name(encoding), newline="", errors="strict")
        reader = csv.reader(text, strict=True)
        number = 0
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                fault = _CSV_FAULTS.get(str(exc), f"not valid CSV: {exc}")
                raise BadFile(f"line {start}", f"row {number + 1}: {fault}") from None
            except UnicodeDecodeError as exc:
                raise BadFile(str(path), f"not valid {encoding} text: {exc.reason}") from None
            number += 1
            if tick is not None and number % 256 == 0:
                tick(raw.tell(), size)
            yield number, start, cells
    finally:
        raw.close()


__all__ = ["BadFile", "check_bytes", "codec_name", "csv_records", "csv_rows", "read_json"]
