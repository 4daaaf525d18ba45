"""Another program's SQLite file or PostgreSQL database given to `tracker-gui`: refused with one
line, exit 1, not a byte changed; Tracker's own files, new or from before the marks, work."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.e2e.helpers import Cli, assert_one_line_error, run_process
from tests.support.old_schema import undo_migrations
from tests.support.pgcluster import PgCluster
from tracker_gui.storage import database as database_module

TRACKER_ID = 0x54524B47  # "TRKG": the application_id every Tracker SQLite file carries
REPLICA_ID = 0x54524B52  # "TRKR": the offline replica's own mark
REAL_MIGRATIONS = sorted(p.stem for p in database_module.MIGRATIONS_DIR.glob("[0-9]*.py"))


def folder_state(folder: Path) -> dict[str, str]:
    """Every file in the folder with its hash: a -wal, -shm, backup or change shows up."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def header_marks(path: Path) -> tuple[int, int]:
    with path.open("rb") as fh:
        header = fh.read(100)
    return int.from_bytes(header[68:72], "big"), int.from_bytes(header[60:64], "big")


def make_sqlite(path: Path, *statements: str) -> Path:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


FOREIGN_FILES = {
    "users": (
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO users (name) VALUES ('ada')",
    ),
    "clashing": (
        "CREATE TABLE project (id INTEGER PRIMARY KEY, key TEXT)",
        "CREATE TABLE issue (id INTEGER PRIMARY KEY, project_id INTEGER, summary TEXT)",
        "INSERT INTO project (key) VALUES ('OTHER')",
        "INSERT INTO issue (project_id, summary) VALUES (1, 'theirs')",
    ),
}

COMMANDS: list[tuple[str, ...]] = [
    ("init",),
    ("demo", "--issues", "3"),
    ("add", "--project", "TRK", "--title", "x"),
    ("list",),
    ("projects",),
    ("check",),
    ("backup",),
    ("import", "json", "IN"),
    ("export", "json", "OUT"),
]


@pytest.fixture
def theirs(tmp_path: Path) -> Path:
    """A folder that holds only the other program's file (and the data the commands read)."""
    folder = tmp_path / "theirs"
    folder.mkdir()
    return folder


def test_list_on_another_programs_file_is_refused_by_a_real_process(
    tmp_path: Path, theirs: Path, tracker_home: Path
) -> None:
    path = make_sqlite(theirs / "other.sqlite", *FOREIGN_FILES["users"])
    before = folder_state(theirs)

    result = run_process("--db", str(path), "list", cwd=tmp_path)

    line = assert_one_line_error(result)
    assert (
        line
        == f"tracker-gui: error: {path} is not a Tracker database (it belongs to another program)"
    )
    assert folder_state(theirs) == before  # same bytes; no -wal, -shm or journal beside it
    assert not (tracker_home / "data" / "backups").exists()


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: "-".join(a[:2]))
@pytest.mark.parametrize("kind", sorted(FOREIGN_FILES))
def test_every_command_refuses_another_programs_file_twice_alike(
    cli: Cli, tmp_path: Path, theirs: Path, tracker_home: Path, kind: str, argv: tuple[str, ...]
) -> None:
    path = make_sqlite(theirs / "other.sqlite", *FOREIGN_FILES[kind])
    export = tmp_path / "export.json"
    source = tmp_path / "import.json"
    source.write_text('{"format": "tracker-json", "projects": []}\n')
    args = [{"IN": str(source), "OUT": str(export)}.get(a, a) for a in argv]
    before = folder_state(theirs)
    for _attempt in range(2):  # today a retry writes another backup copy each time
        line = assert_one_line_error(cli("--db", str(path), *args))
        assert line.endswith(f"{path} is not a Tracker database (it belongs to another program)")
        assert folder_state(theirs) == before
    assert not (tracker_home / "data" / "backups").exists()
    assert not export.exists()


def test_restore_refuses_another_programs_file_as_the_backup(
    cli: Cli, tmp_path: Path, theirs: Path, tracker_home: Path
) -> None:
    db = tmp_path / "tracker.db"
    assert cli("--db", str(db), "init").code == 0
    assert cli("--db", str(db), "add", "--project", "TRK", "--title", "Keep me").code == 0
    other = make_sqlite(theirs / "other.sqlite", *FOREIGN_FILES["clashing"])
    before = folder_state(theirs)

    line = assert_one_line_error(cli("--db", str(db), "restore", str(other), "--yes"))

    assert "is not a Tracker database (it belongs to another program)" in line
    assert folder_state(theirs) == before
    listed = cli("--db", str(db), "list")
    assert "Keep me" in listed.out
    assert not (tracker_home / "data" / "backups").exists()  # not even the safety copy


def test_restore_refuses_another_programs_file_as_the_target(
    cli: Cli, tmp_path: Path, theirs: Path
) -> None:
    good = tmp_path / "tracker.db"
    assert cli("--db", str(good), "init").code == 0
    backup = tmp_path / "backup.db"
    assert cli("--db", str(good), "backup", str(backup)).code == 0
    other = make_sqlite(theirs / "other.sqlite", *FOREIGN_FILES["users"])
    before = folder_state(theirs)

    line = assert_one_line_error(cli("--db", str(other), "restore", str(backup), "--yes"))

    assert "is not a Tracker database (it belongs to another program)" in line
    assert folder_state(theirs) == before


def test_the_offline_replica_is_refused_as_a_db_target(
    cli: Cli, tmp_path: Path, theirs: Path
) -> None:
    path = make_sqlite(
        theirs / "replica.db",
        "CREATE TABLE issue (id INTEGER)",
        f"PRAGMA application_id = {REPLICA_ID}",
    )
    before = folder_state(theirs)
    line = assert_one_line_error(cli("--db", str(path), "list"))
    assert "is the offline copy of a team database" in line
    assert folder_state(theirs) == before


@pytest.mark.parametrize("kind", ["zero-bytes", "empty-sqlite"])
def test_an_empty_file_is_initialised_and_marked(cli: Cli, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "tracker.db"
    if kind == "zero-bytes":
        path.touch()
    else:
        make_sqlite(path, "CREATE TABLE scratch (x)", "DROP TABLE scratch")
        assert path.stat().st_size > 0
    result = cli("--db", str(path), "init")
    assert result.code == 0, result.err
    assert cli("--db", str(path), "add", "--project", "TRK", "--title", "First").code == 0
    assert header_marks(path) == (TRACKER_ID, len(REAL_MIGRATIONS))


def test_a_file_from_the_tracker_before_the_marks_is_migrated_and_marked(
    cli: Cli, tmp_path: Path, tracker_home: Path
) -> None:
    path = tmp_path / "tracker.db"
    assert cli("--db", str(path), "init").code == 0
    assert cli("--db", str(path), "add", "--project", "TRK", "--title", "Old").code == 0
    undo_migrations(path)  # as the release before the marks left it
    make_sqlite(path, "PRAGMA application_id = 0", "PRAGMA user_version = 0")

    listed = cli("--db", str(path), "list")

    assert listed.code == 0, listed.err
    assert "Old" in listed.out
    assert header_marks(path) == (TRACKER_ID, len(REAL_MIGRATIONS))
    assert len(list((tracker_home / "data" / "backups").glob("*-before-0005_*.db"))) == 1


# -- PostgreSQL ---------------------------------------------------------------------------------
def relations(url: str) -> list[tuple[str, str, str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT n.nspname, c.relname, pg_get_userbyid(c.relowner)"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
            " ORDER BY 1, 2"
        ).fetchall()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


@pytest.fixture
def bare_url(pg_cluster: PgCluster, request: pytest.FixtureRequest) -> Iterator[str]:
    name = f"cli_own_{request.node.name.split('[')[0][-30:]}".lower()
    url = pg_cluster.create_database(name)
    try:
        yield url
    finally:
        pg_cluster.drop_database(name)


@pytest.mark.postgres
@pytest.mark.parametrize("command", ["list", "init"])
def test_another_programs_postgres_database_is_refused_and_gets_no_table(
    cli: Cli, bare_url: str, command: str
) -> None:
    with psycopg.connect(bare_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE users (id int PRIMARY KEY, name text)")
        conn.execute("INSERT INTO users VALUES (1, 'ada')")
    before = relations(bare_url)

    line = assert_one_line_error(cli("--db", bare_url, command))

    assert line.endswith(" is not a Tracker database (it belongs to another program)")
    assert relations(bare_url) == before


@pytest.mark.postgres
def test_an_empty_postgres_database_is_set_up_by_init_only(cli: Cli, bare_url: str) -> None:
    line = assert_one_line_error(cli("--db", bare_url, "list"))
    assert "empty database" in line
    assert "admin setup-postgres" in line
    assert relations(bare_url) == []

    made = cli("--db", bare_url, "init")
    assert made.code == 0, made.err
    assert cli("--db", bare_url, "add", "--project", "TRK", "--title", "First").code == 0
    assert "First" in cli("--db", bare_url, "list").out


@pytest.mark.postgres
def test_setup_postgres_adds_the_marker_to_a_tracker_database_from_before_it(
    cli: Cli, bare_url: str
) -> None:
    assert cli("--db", bare_url, "init").code == 0
    assert cli("--db", bare_url, "add", "--project", "TRK", "--title", "Old").code == 0
    undo_migrations(bare_url)  # as the release before the marker left it
    assert "tracker_meta" not in {name for _, name, _ in relations(bare_url)}

    done = cli("admin", "setup-postgres", "--url", bare_url)

    assert done.code == 0, done.err
    with psycopg.connect(bare_url) as conn:
        marker = conn.execute("SELECT application, schema_version FROM tracker_meta").fetchall()
    assert marker == [("tracker", len(REAL_MIGRATIONS))]
    assert "Old" in cli("--db", bare_url, "list").out
