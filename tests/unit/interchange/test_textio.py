"""Reading import files: where an encoding breaks, JSON errors by line, CSV rows streamed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker_gui.interchange.report import BadFile
from tracker_gui.interchange.table import open_table
from tracker_gui.interchange.textio import CHUNK, check_bytes, csv_rows, read_json


def test_the_byte_offset_and_line_of_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"Title\nok\nbad \xc3\x28 here\n")
    with pytest.raises(BadFile) as caught:
        check_bytes(path)
    assert caught.value.where == "byte 13 (line 3)"


def test_a_character_split_across_chunks_is_fine_and_a_later_fault_is_exact(
    tmp_path: Path,
) -> None:
    path = tmp_path / "big.csv"
    body = b"x" * (CHUNK - 1) + "é".encode() + b"\n" * 3 + b"\xff"
    path.write_bytes(body)
    with pytest.raises(BadFile) as caught:
        check_bytes(path)
    assert caught.value.where == f"byte {CHUNK + 4:,} (line 4)"


def test_a_truncated_character_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes(b"Title\ncaf\xc3")
    with pytest.raises(BadFile, match="unexpected end of data") as caught:
        check_bytes(path)
    assert caught.value.where == "byte 9 (line 2)"


def test_nul_bytes_and_utf16(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"Title\nA\x00B\n")
    with pytest.raises(BadFile, match="NUL byte; remove it"):
        check_bytes(path)
    wide = tmp_path / "wide.csv"
    wide.write_bytes("Title\nCafé\n".encode("utf-16"))
    with pytest.raises(BadFile, match="looks like UTF-16"):
        check_bytes(wide, "latin-1")
    check_bytes(wide, "utf-16")
    assert [cells for _, cells in csv_rows(wide, "utf-16")] == [["Title"], ["Café"]]


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(BadFile, match="the file is empty"):
        check_bytes(path)
    with pytest.raises(BadFile, match="the file is empty"):
        read_json(path)


def test_json_errors_name_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{\n  "a": 1,\n  "b": ]\n}', "utf-8")
    with pytest.raises(BadFile) as caught:
        read_json(path)
    assert str(caught.value) == "line 3, column 8: not valid JSON: Expecting value"
    path.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(BadFile, match=r"byte 7 \(line 1\): not valid UTF-8"):
        read_json(path)


def test_a_bom_is_skipped_and_rows_are_numbered_as_a_spreadsheet_does(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b'\xef\xbb\xbfTitle,Labels,Labels\r\none,"a\r\nb",c\r\n\r\ntwo,,d\r\n')
    header, rows = open_table(path, "utf-8", ["title"])
    assert header.names == ["Title", "Labels", "Labels"]
    got = [(r.number, header.first(r, "TITLE"), header.every(r, "labels")) for r in rows]
    assert got == [(2, "one", ["a\r\nb", "c"]), (4, "two", ["d"])]


def test_a_stray_quote_is_reported_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('Title,Status\nok,To Do\nbroken "quote,x,y,z\n', "utf-8")
    _, rows = open_table(path, "utf-8", [])
    with pytest.raises(BadFile, match=r"line 3: row 3 has 4 cells but the header names 2 columns"):
        list(rows)
