"""Fuzzed URLs, arguments and import field values: exit 0, 1 or 2 with one line, never a bug (3).

Run in this process through `main()` (no subprocess per example), with a bounded number of
examples per strategy, so the whole file takes seconds.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.e2e.helpers import Cli, Result
from tests.support.fake_keyring import MemoryKeyring
from tracker_gui.cli import EXIT_BUG, main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interchange"
EXAMPLES = 200
BIG = "<a number of 5,000 digits>"
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text of every kind: controls, NUL, surrogates, digits by the thousand, huge and odd numbers.
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.sampled_from(["", "-", "--", "0", "-1", "1e309", "nan", "inf", "9" * 5000, "\x00", "\ud800",
                     "'", '"', "%", "%zz", "\x1b[31m", "2024-02-30", "99999", "65536"]),
    st.integers().map(str),
)  # fmt: skip
JSON_VALUE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.just(BIG),
        st.floats(allow_nan=False),
        TEXT,
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@pytest.fixture
def cli() -> Cli:
    """main() with the standard streams a real process has: UTF-8, strict on stdout, and
    backslashreplace on stderr (Python's own choice for it)."""

    def run(*argv: str) -> Result:
        out, err = io.BytesIO(), io.BytesIO()
        stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", newline="")
        stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", newline="")
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = stdout, stderr
        try:
            code = main(list(argv))
        finally:
            sys.stdout, sys.stderr = saved
            stdout.flush()
            stderr.flush()
        return Result(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))

    return run


def dumps(doc: Any) -> str:
    """JSON text; BIG becomes a number of 5,000 digits (more than Python's int() reads)."""
    return json.dumps(doc).replace(f'"{BIG}"', "9" * 5000)


def assert_clean(result: Any) -> None:
    """What every run must look like: a known exit code, and a failure told in one line."""
    event(f"exit {result.code}")  # --hypothesis-show-statistics: how the runs ended
    assert result.code in (0, 1, 2), result
    assert result.code != EXIT_BUG
    assert "Traceback" not in result.err and "(a bug" not in result.err, result.err
    if result.code == 1:
        assert len(result.err_lines) == 1, result.err


@pytest.fixture
def quiet_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    """`-` reads standard input: an empty one, as from a closed pipe."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


@pytest.fixture
def no_keychain(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import keyring

    before = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(before)


# -- URLs --------------------------------------------------------------------------------------
# Hosts that fail at once (a closed local port, a socket folder that does not exist): a fuzzed
# URL must never wait for a network.
HOSTS = st.sampled_from(["127.0.0.1", "%2Fnonexistent-tracker-dir", "[::1]", ""])
QUERY_KEYS = st.sampled_from(
    ["sslmode", "connect_timeout", "application_name", "options", "target_session_attrs",
     "keepalives", "gssencmode", "client_encoding", "port", "user", "dbname", "bogus", ""]
)  # fmt: skip


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["postgresql", "postgres", "PostgreSQL", "postgresql+psycopg"]))
    user = draw(st.one_of(st.just(""), TEXT.map(lambda t: t + "@")))
    port = draw(st.one_of(st.just(""), TEXT.map(lambda t: ":" + t)))
    dbname = draw(TEXT)
    pairs = draw(st.lists(st.tuples(QUERY_KEYS, TEXT), max_size=3))
    query = "&".join(f"{k}={v}" for k, v in pairs)
    tail = draw(st.one_of(st.just(""), TEXT))
    return f"{scheme}://{user}{draw(HOSTS)}{port}/{dbname}{'?' + query if query else ''}{tail}"


@FUZZ
@given(url=urls(), command=st.sampled_from(["list", "projects", "show", "check"]))
def test_fuzzed_database_urls(
    cli: Cli, no_keychain: None, quiet_stdin: None, url: str, command: str
) -> None:
    argv = ["--db", url, command]
    if command == "show":
        argv.append("TRK-1")
    assert_clean(cli(*argv))


def test_a_port_that_is_not_a_number_is_one_line(cli: Cli, no_keychain: None) -> None:
    got = cli("--db", "postgresql://h:notaport/db", "list")
    assert got.code == 1 and got.err_lines == [
        "tracker-gui: error: cannot read the database URL: the port 'notaport' is not a number "
        "from 1 to 65535"
    ]


# -- arguments ---------------------------------------------------------------------------------
OPTIONS = {
    "add": ["--project", "--title", "--type", "--priority", "--status", "--assignee", "--label",
            "--description", "--parent", "--due", "--estimate"],
    "edit": ["--title", "--description", "--type", "--priority", "--assignee", "--due",
             "--estimate", "--parent", "--label", "--no-labels"],
    "move": [], "comment": [], "link": [], "watch": ["--user", "--stop"],
    "archive": ["--restore"], "show": [], "statuses": ["--project"], "projects": ["--all"],
    "list": ["--project", "--status", "--assignee", "--unassigned", "--label", "--text", "--type",
             "--priority", "--include-archived", "--query", "--sort", "--limit"],
    "init": ["--project", "--name"],
}  # fmt: skip
POSITIONAL = {"move": 2, "comment": 2, "link": 3, "watch": 1, "archive": 1, "show": 1, "edit": 1}
KNOWN = st.sampled_from(["TRK", "TRK-1", "TRK-2", "To Do", "Done", "blocks", "high", "bug",
                         "alice", "2025-01-31", "3.5", "me", "is:open"])  # fmt: skip
VALUES = st.integers(0, 3).flatmap(lambda n: TEXT if n == 0 else KNOWN)  # a quarter fuzzed


@st.composite
def arguments(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(sorted(OPTIONS)))
    argv = [command] + [draw(VALUES) for _ in range(POSITIONAL.get(command, 0))]
    chosen = (
        draw(st.lists(st.sampled_from(OPTIONS[command]), max_size=4)) if OPTIONS[command] else []
    )
    for option in chosen:
        argv.append(option)
        if option not in ("--no-labels", "--stop", "--restore", "--all", "--unassigned",
                          "--include-archived"):  # fmt: skip
            argv.append(draw(VALUES))
    if draw(st.integers(0, 4)) == 0:
        argv.insert(draw(st.integers(0, len(argv))), draw(VALUES))  # a stray argument
    return argv


@pytest.fixture
def seeded_db(cli: Cli, tmp_path: Path) -> str:
    db = str(tmp_path / "fuzz.db")
    assert cli("--db", db, "init").code == 0
    assert cli("--db", db, "add", "--project", "TRK", "--title", "first").code == 0
    assert cli("--db", db, "add", "--project", "TRK", "--title", "second").code == 0
    return db


@FUZZ
@given(argv=arguments(), json_out=st.booleans())
def test_fuzzed_arguments(cli: Cli, quiet_stdin: None, seeded_db: str, argv: list[str],
                          json_out: bool) -> None:  # fmt: skip
    assert_clean(cli("--db", seeded_db, *(["--format", "json"] if json_out else []), *argv))


# -- import field values -----------------------------------------------------------------------
TRELLO = json.loads((FIXTURES / "trello_board.json").read_text("utf-8"))


def _paths(doc: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON document a value can be swapped."""
    yield at
    if isinstance(doc, dict):
        for key, inner in doc.items():
            yield from _paths(inner, (*at, key))
    elif isinstance(doc, list):
        for n, inner in enumerate(doc[:3]):
            yield from _paths(inner, (*at, n))


def _swap(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(doc)
    inner = out
    for step in path[:-1]:
        inner = inner[step]
    inner[path[-1]] = value
    return out


TRELLO_PATHS = [p for p in _paths(TRELLO) if p]


@pytest.fixture
def import_db(cli: Cli, tmp_path: Path) -> str:
    db = str(tmp_path / "imports.db")
    assert cli("--db", db, "init").code == 0
    return db


@FUZZ
@given(path=st.sampled_from(TRELLO_PATHS), value=JSON_VALUE)
def test_fuzzed_trello_fields(
    cli: Cli, import_db: str, tmp_path: Path, path: tuple[Any, ...], value: Any
) -> None:
    target = tmp_path / "board.json"
    target.write_text(dumps(_swap(TRELLO, path, value)), "utf-8")
    assert_clean(cli("--db", import_db, "import", "trello", str(target), "--dry-run"))


@pytest.fixture(scope="module")
def backup_doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tracker_gui.interchange import export_json, import_trello
    from tracker_gui.services import open_services

    folder = tmp_path_factory.mktemp("backup")
    services = open_services(str(folder / "source.db"), create=True, actor="alice")
    try:
        import_trello(services, FIXTURES / "trello_board.json", project="WEB")
        export_json(services, folder / "backup.json")
    finally:
        services.close()
    doc: dict[str, Any] = json.loads((folder / "backup.json").read_text("utf-8"))
    return doc


@FUZZ
@given(data=st.data(), value=JSON_VALUE)
def test_fuzzed_backup_fields(
    cli: Cli, import_db: str, tmp_path: Path, backup_doc: dict[str, Any], data: st.DataObject,
    value: Any,
) -> None:  # fmt: skip
    path = data.draw(st.sampled_from([p for p in _paths(backup_doc) if p]))
    target = tmp_path / "backup.json"
    target.write_text(dumps(_swap(backup_doc, path, value)), "utf-8")
    assert_clean(cli("--db", import_db, "import", "json", str(target), "--dry-run"))


JIRA_ROWS = list(csv.reader(io.StringIO((FIXTURES / "jira_export.csv").read_text("utf-8"))))


@FUZZ
@given(
    kind=st.sampled_from(["jira", "csv"]),
    row=st.integers(0, len(JIRA_ROWS) - 1),
    column=st.integers(0, len(JIRA_ROWS[0]) - 1),
    value=TEXT,
    raw=st.one_of(st.just(""), st.sampled_from(['"', '"x', 'a"b', ",,,,", "\r", "\n\n"])),
)
def test_fuzzed_csv_cells(
    cli: Cli, import_db: str, tmp_path: Path, kind: str, row: int, column: int, value: str,
    raw: str,
) -> None:  # fmt: skip
    rows = [list(r) for r in JIRA_ROWS]
    rows[row][column] = value
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    target = tmp_path / "issues.csv"
    target.write_text(text.getvalue() + raw, "utf-8", errors="surrogatepass")
    argv = ["--db", import_db, "import", kind, str(target), "--dry-run"]
    assert_clean(cli(*argv, *(["--project", "FZ"] if kind == "csv" else [])))


def test_a_trello_pos_of_5000_digits_is_one_line(cli: Cli, import_db: str, tmp_path: Path) -> None:
    board = copy.deepcopy(TRELLO)
    board["cards"][0]["pos"] = BIG
    target = tmp_path / "board.json"
    target.write_text(dumps(board), "utf-8")
    got = cli("--db", import_db, "import", "trello", str(target))
    assert got.code == 1 and got.err_lines == [
        f"tracker-gui: error: {target} was not imported: 1 problem"
    ]
    assert f"error: {target}: a number of 5,000 digits is too large for a whole number" in got.out


def test_a_missing_import_file_is_one_line(cli: Cli, import_db: str, tmp_path: Path) -> None:
    got = cli("--db", import_db, "import", "csv", str(tmp_path / "nope.csv"), "--project", "X")
    assert got.code == 1
    assert got.err_lines == [f"tracker-gui: error: no file at {tmp_path / 'nope.csv'}"]


def test_a_database_path_too_long_for_the_file_system_is_one_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / ("x" * 5000)
    got = cli("--db", str(path), "list")
    assert got.code == 1 and len(got.err_lines) == 1
    assert got.err_lines[0].endswith(": File name too long")
