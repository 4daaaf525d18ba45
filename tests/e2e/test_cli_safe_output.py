"""Text from others (an import, another user) never drives the terminal: controls are shown."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.helpers import Cli, Result
from tracker_gui import cli_format
from tracker_gui.services import open_services

# ESC [31m recolours the terminal, CSI (U+009B) is the one-byte form of ESC [, DEL, and the
# right-to-left override that shows "evil.exe" as "exe.live".
TITLE = "Red\x1b[31m alert\x9b2J \x7f\u202eexe.live\u202c and\ttab"
SHOWN = "Red\\x1b[31m alert\\x9b2J \\x7f\\u202eexe.live\\u202c and\\ttab"
RAW = ("\x1b", "\x9b", "\x7f", "\u202e", "\u202c")


def printed_raw(text: str) -> list[str]:
    return [c for c in RAW if c in text]


@pytest.fixture
def trk(cli: Cli, db: Path) -> Cli:
    assert cli("--db", str(db), "init").code == 0

    def run(*argv: str) -> Result:
        return cli("--db", str(db), *argv)

    return run


def test_a_title_with_escape_sequences_is_shown_escaped_in_list_and_show_and_raw_in_json(
    trk: Cli, db: Path
) -> None:
    added = trk("add", "--project", "TRK", "--title", TITLE, "--label", "ops\x1b[8m")
    assert added.code == 0, added
    services = open_services(str(db))
    try:
        assert services.issues.by_key("TRK-1").title == TITLE  # stored exactly as given
    finally:
        services.close()

    listed = trk("list")
    assert listed.code == 0 and printed_raw(listed.out) == []
    (row,) = [r for r in listed.out.splitlines() if r.startswith("TRK-1")]
    assert row.endswith(SHOWN)

    shown = trk("show", "TRK-1")
    assert shown.code == 0 and printed_raw(shown.out) == []
    assert shown.out.splitlines()[0] == f"TRK-1  {SHOWN}"
    assert "  Labels:    ops\\x1b[8m" in shown.out.splitlines()

    assert json.loads(trk("list", "--format", "json").out)[0]["title"] == TITLE
    detail = json.loads(trk("show", "TRK-1", "--format", "json").out)
    assert (detail["title"], detail["labels"]) == (TITLE, ["ops\x1b[8m"])


def test_descriptions_and_comments_keep_their_lines_and_tabs_but_not_their_controls(
    trk: Cli,
) -> None:
    description = "first line\n\tindented\x1b[2J\nthird\rhidden"
    assert trk("add", "--project", "TRK", "--title", "x", "--description", description).code == 0
    assert trk("comment", "TRK-1", "looks \x1b]0;pwned\x07 fine\nsecond line").code == 0
    lines = trk("show", "TRK-1").out.splitlines()
    at = lines.index("Description:")
    assert lines[at + 1 : at + 4] == [
        "  first line",
        "  \tindented\\x1b[2J",
        "  third\\rhidden",
    ]
    at = lines.index("Comments:")
    assert lines[at + 2 : at + 4] == ["    looks \\x1b]0;pwned\\x07 fine", "    second line"]


def test_a_newline_another_client_put_in_a_title_stays_on_its_row(trk: Cli, db: Path) -> None:
    """The app refuses a newline in a title, but a row it did not write may hold one."""
    assert trk("add", "--project", "TRK", "--title", "one").code == 0
    assert trk("add", "--project", "TRK", "--title", "two").code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE issue SET title = ? WHERE number = 1", ("one\nTRK-9  Done  fake",))
    conn.close()
    rows = trk("list").out.splitlines()
    assert [r.split()[0] for r in rows] == ["KEY", "TRK-1", "TRK-2"]
    assert rows[1].endswith("one\\nTRK-9  Done  fake")


def test_an_error_message_shows_controls_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    cli_format.fail("TRK-1 ('\x1b[31mred\u202e') was changed by someone else")
    err = capsys.readouterr().err
    assert err == (
        "tracker-gui: error: TRK-1 ('\\x1b[31mred\\u202e') was changed by someone else\n"
    )


def test_escaping_covers_every_c0_c1_del_and_bidi_control() -> None:
    controls = [*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F),
                *range(0x2066, 0x206A)]  # fmt: skip
    for code in controls:
        char = chr(code)
        assert char not in cli_format.line(f"a{char}b"), hex(code)
        assert cli_format.line(f"a{char}b").startswith("a\\"), hex(code)
        if char not in "\t\n":
            assert char not in cli_format.block(f"a{char}b"), hex(code)
    assert cli_format.block("a\tb\nc") == "a\tb\nc"
    assert cli_format.line("a\tb\nc") == "a\\tb\\nc"
    # Printable text of any script is left alone, as are the marks that are not overrides.
    text = "Größe \u2013 東京 ✓ عربي \u200f\u200e"
    assert cli_format.line(text) == cli_format.block(text) == text
