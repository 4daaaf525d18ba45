"""Opening databases: migrations, backups, and every kind of bad file refused without a write."""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.pgcluster import PgCluster
from tests.unit.helpers import bulk_issues, row_counts
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.errors import NotADatabaseError, StorageError
from tracker_gui.services import Services, open_services
from tracker_gui.storage import database as database_module
from tracker_gui.storage.database import NoDatabaseYet, migrate, open_database
from tracker_gui.storage.tables import ALL_TABLES

TABLE_NAMES = {t._meta.table_name for t in ALL_TABLES}
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
# The real migrations, and a test-only one numbered after the last of them.
REAL_MIGRATIONS = sorted(p.stem for p in database_module.MIGRATIONS_DIR.glob("[0-9]*.py"))
EXTRA_NAME = f"{int(REAL_MIGRATIONS[-1][:4]) + 1:04d}_test"
EXTRA_MIGRATION = '''"""Test-only migration: one new nullable column."""

from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("issue", "test_note", TextField(null=True)))
'''


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def applied_migrations(db: database_module.Database) -> list[str]:
    with db.reading():
        rows = db.peewee.execute_sql("SELECT name FROM schema_migration ORDER BY name").fetchall()
    return [r[0] for r in rows]


def columns_of(db: database_module.Database, table: str) -> set[str]:
    with db.reading():
        return {c.name for c in db.peewee.get_columns(table)}


# -- migrations ------------------------------------------------------------------------------
def test_create_on_an_empty_target_makes_every_table_and_records_0001(
    new_target: Callable[..., str], tracker_home: Path
) -> None:
    target = new_target(migrated=False)
    db = open_database(target, create=True)
    try:
        with db.reading():
            tables = set(db.peewee.get_tables())
        assert TABLE_NAMES | {"schema_migration"} <= tables
        assert applied_migrations(db) == REAL_MIGRATIONS
        assert REAL_MIGRATIONS[0] == "0001_initial"
    finally:
        db.close()

    again = open_database(target)
    try:
        assert migrate(again) == []
        assert applied_migrations(again) == REAL_MIGRATIONS
    finally:
        again.close()
    # A first migration of a new database has nothing to back up.
    assert not (tracker_home / "data" / "backups").exists()


@pytest.fixture
def add_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it to make the migrations folder a copy of the real one plus EXTRA_NAME."""

    def install() -> None:
        folder = tmp_path / "migrations"
        shutil.copytree(
            database_module.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__py*")
        )
        (folder / f"{EXTRA_NAME}.py").write_text(EXTRA_MIGRATION)
        monkeypatch.setattr(database_module, "MIGRATIONS_DIR", folder)

    return install


def test_a_pending_migration_on_a_sqlite_file_is_preceded_by_a_backup(
    tmp_path: Path, tracker_home: Path, add_migration: Callable[[], None]
) -> None:
    path = tmp_path / "tracker.db"
    services = open_services(path, create=True, actor="alice")
    bulk_issues(services, "TRK", 300)
    services.issues.create(NewIssue("TRK", "Made through the service"))
    before = services.issues.count(IssueFilter())
    services.close()

    add_migration()
    db = open_database(path)
    try:
        assert applied_migrations(db) == [*REAL_MIGRATIONS, EXTRA_NAME]
        assert "test_note" in columns_of(db, "issue")
    finally:
        db.close()

    backups = list((tracker_home / "data" / "backups").iterdir())
    assert len(backups) == 1
    assert backups[0].name.startswith("tracker-")
    assert backups[0].name.endswith(f"-before-{EXTRA_NAME}.db")
    assert backups[0].read_bytes()[:16] == b"SQLite format 3\x00"
    conn = sqlite3.connect(backups[0])
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT count(*) FROM issue").fetchone()[0] == before == 301
        applied = conn.execute("SELECT name FROM schema_migration ORDER BY name").fetchall()
        assert [name for (name,) in applied] == REAL_MIGRATIONS
        columns = {row[1] for row in conn.execute("PRAGMA table_info(issue)")}
        assert "test_note" not in columns
    finally:
        conn.close()

    # Reopening applies nothing more and makes no second backup.
    open_database(path).close()
    assert len(list((tracker_home / "data" / "backups").iterdir())) == 1


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_a_pending_migration_on_postgres_applies_without_a_file_backup(
    services: Services, db_target: str, tracker_home: Path, add_migration: Callable[[], None]
) -> None:
    bulk_issues(services, "TRK", 20)
    add_migration()
    db = open_database(db_target)
    try:
        assert applied_migrations(db) == [*REAL_MIGRATIONS, EXTRA_NAME]
        assert "test_note" in columns_of(db, "issue")
    finally:
        db.close()
    assert services.issues.count(IssueFilter()) == 20
    assert not (tracker_home / "data" / "backups").exists()


def test_backup_to_refuses_an_existing_file(services: Services, tmp_path: Path) -> None:
    dest = tmp_path / "copy.db"
    dest.write_bytes(b"keep me")
    with pytest.raises(StorageError):
        services.database.backup_to(dest)
    assert dest.read_bytes() == b"keep me"


def test_a_healthy_database_reports_no_integrity_problems(services: Services) -> None:
    bulk_issues(services, "TRK", 30)
    assert services.database.integrity_problems() == []


# -- bad files -------------------------------------------------------------------------------
def make_real_database(path: Path, issues: int = 400) -> None:
    """A real Tracker database with enough data to span many pages."""
    services = open_services(path, create=True, actor="alice")
    try:
        bulk_issues(services, "TRK", issues, description="Lorem ipsum dolor sit amet. " * 12)
    finally:
        services.close()
    assert not Path(str(path) + "-wal").exists(), "closing must checkpoint the WAL"


# SQLite b-tree page types (first byte of a page): table leaf and index leaf.
TABLE_LEAF = 0x0D
INDEX_LEAF = 0x0A


def corrupt_middle_page(path: Path, page_type: int) -> None:
    """Overwrite the middle page of one b-tree kind with garbage, as a bad sector would."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    pages = [n for n in range(1, len(data) // page_size) if data[n * page_size] == page_type]
    assert len(pages) > 10, "the database is too small to pick a page in the middle"
    middle = pages[len(pages) // 2]
    data[middle * page_size : (middle + 1) * page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))


def _text_file(path: Path) -> None:
    path.write_text("Shopping list\n- milk\n- bread\n" * 20)


def _png(path: Path) -> None:
    path.write_bytes(PNG_BYTES)


def _truncated(path: Path) -> None:
    real = path.with_name("real.db")
    make_real_database(real)
    path.write_bytes(real.read_bytes()[:3000])
    real.unlink()


def _corrupt_table_page(path: Path) -> None:
    make_real_database(path)
    corrupt_middle_page(path, TABLE_LEAF)


def _corrupt_index_page(path: Path) -> None:
    make_real_database(path)
    corrupt_middle_page(path, INDEX_LEAF)


def _short_header(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\x10\x00")


BAD_FILES: dict[str, tuple[Callable[[Path], None], type[StorageError], str]] = {
    "text": (_text_file, NotADatabaseError, "not a Tracker database"),
    "png": (_png, NotADatabaseError, "not a Tracker database"),
    "truncated": (_truncated, NotADatabaseError, "truncated"),
    "short-header": (_short_header, NotADatabaseError, "truncated"),
    "corrupt-table-page": (_corrupt_table_page, NotADatabaseError, "damaged"),
    "corrupt-index-page": (_corrupt_index_page, NotADatabaseError, "damaged"),
}


@pytest.fixture(params=sorted(BAD_FILES))
def bad_file(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "tracker.db"
    BAD_FILES[request.param][0](path)
    yield path, request.param


@pytest.mark.parametrize("create", [False, True], ids=["open", "create"])
def test_bad_files_are_refused_with_one_line_and_left_unchanged(
    bad_file: tuple[Path, str], create: bool
) -> None:
    path, kind = bad_file
    _, error, words = BAD_FILES[kind]
    digest = sha256(path)
    size = path.stat().st_size
    with pytest.raises(StorageError) as info:
        open_database(path, create=create)
    assert type(info.value) is error
    message = str(info.value)
    assert words in message
    assert str(path) in message
    assert "\n" not in message, f"message spans lines: {message!r}"
    assert sha256(path) == digest
    assert path.stat().st_size == size


def test_refusing_a_bad_file_leaves_nothing_beside_it(bad_file: tuple[Path, str]) -> None:
    """The check is read-only: no -wal / -shm / journal files appear next to a refused file."""
    path, _ = bad_file
    before = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(StorageError):
        open_database(path)
    assert sorted(p.name for p in path.parent.iterdir()) == before


def test_a_zero_byte_file_is_no_database_yet_and_create_makes_it_one(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(NoDatabaseYet) as info:
        open_database(path)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == b""

    services = open_services(path, create=True, actor="alice")
    try:
        services.projects.ensure_project("TRK")
        services.issues.create(NewIssue("TRK", "First"))
    finally:
        services.close()
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    reopened = open_services(path, actor="alice")
    try:
        assert [i.title for i in reopened.issues.search(IssueFilter())] == ["First"]
    finally:
        reopened.close()


def test_a_missing_file_without_create_is_no_database_yet_and_creates_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "sub" / "tracker.db"
    with pytest.raises(NoDatabaseYet) as info:
        open_database(path)
    assert isinstance(info.value, StorageError)
    assert "\n" not in str(info.value)
    assert "init" in info.value.hint
    assert not path.exists()
    assert not path.parent.exists()


@pytest.mark.parametrize("create", [False, True], ids=["open", "create"])
def test_a_folder_is_refused(tmp_path: Path, create: bool) -> None:
    folder = tmp_path / "tracker.db"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a database")
    with pytest.raises(NotADatabaseError, match="is a folder") as info:
        open_database(folder, create=create)
    assert "\n" not in str(info.value)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_a_healthy_file_is_accepted_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    make_real_database(path, issues=50)
    services = open_services(path, actor="alice")
    try:
        assert services.issues.count(IssueFilter()) == 50
        assert row_counts(services)["issue"] == 50
    finally:
        services.close()


# -- read-only folder ------------------------------------------------------------------------
OpenAsNobody = Callable[..., tuple[str, str]]


@pytest.fixture
def open_as_nobody(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAsNobody]:
    """Run open_database(target, create=...) in a child that cannot write the folder.

    Root ignores permission bits, so as root the child drops to `nobody` first. The call
    returns (outcome, message): outcome is the exception class name, or "opened".

    The child must not need to read the checkout: a clone in a folder only its owner may
    enter (a mode-700 home or `mktemp -d`) is closed to `nobody`. So the migrations it runs
    come from a world-readable copy, and the parent makes the same open once beforehand, so
    every module that path imports lazily is already loaded when the child forks.
    """
    code = Path(tempfile.mkdtemp(prefix="tracker-code-", dir="/tmp"))
    try:
        code.chmod(0o755)
        migrations = code / "migrations"
        shutil.copytree(
            database_module.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__py*")
        )
        for path in [migrations, *migrations.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        monkeypatch.setattr(database_module, "MIGRATIONS_DIR", migrations)
        warm_up = code / "warm-up.db"
        open_database(warm_up, create=True).close()
        open_database(warm_up).close()
        yield _open_as_unprivileged_user
    finally:
        shutil.rmtree(code)


def _open_as_unprivileged_user(target: Path, *, create: bool = True) -> tuple[str, str]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        status = 0
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                nobody = pwd.getpwnam("nobody")
                os.setgroups([])
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)
            if os.geteuid() == 0 or os.access("/root", os.W_OK):
                raise RuntimeError("the child still has root's powers")
            try:
                open_database(target, create=create).close()
                result = "opened\t"
            except StorageError as exc:
                result = f"{type(exc).__name__}\t{exc}"
            os.write(write_end, result.encode())
        except BaseException as exc:  # report anything, never run the parent's pytest
            os.write(write_end, f"child-crash\t{exc!r}".encode())
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    outcome, _, message = b"".join(chunks).decode().partition("\t")
    return outcome, message


@pytest.fixture
def read_only_folder() -> Iterator[Path]:
    # Not under pytest's tmp folders: those are 0700 root-only, so `nobody` could not even
    # reach the folder and the test would pass for the wrong reason.
    base = Path(tempfile.mkdtemp(prefix="tracker-ro-", dir="/tmp"))
    base.chmod(0o755)
    folder = base / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(base)


def test_creating_a_database_in_a_read_only_folder_is_a_storage_error(
    read_only_folder: Path, open_as_nobody: OpenAsNobody
) -> None:
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("nobody")
        except KeyError:
            pytest.fail("running as root needs a `nobody` user to test a read-only folder")
    target = read_only_folder / "tracker.db"
    outcome, message = open_as_nobody(target)
    assert outcome == "StorageError", message
    assert "read-only" in message
    assert "\n" not in message
    assert list(read_only_folder.iterdir()) == []


def test_an_existing_database_in_a_read_only_folder_is_not_called_damaged(
    read_only_folder: Path, open_as_nobody: OpenAsNobody
) -> None:
    """A healthy file the user may read but not write: say so, never "restore a backup"."""
    read_only_folder.chmod(0o755)
    path = read_only_folder / "tracker.db"
    make_real_database(path, issues=20)
    path.chmod(0o644)
    read_only_folder.chmod(0o555)
    digest = sha256(path)
    outcome, message = open_as_nobody(path, create=False)
    assert outcome != "NotADatabaseError", f"a healthy file was called damaged: {message}"
    assert "read-only" in message, message
    assert "restore a backup" not in message
    assert sha256(path) == digest
    assert [p.name for p in read_only_folder.iterdir()] == ["tracker.db"]


def test_the_read_only_child_can_create_where_it_may_write(open_as_nobody: OpenAsNobody) -> None:
    """Control for the test above: the same child succeeds in a folder it can write."""
    base = Path(tempfile.mkdtemp(prefix="tracker-rw-", dir="/tmp"))
    try:
        base.chmod(0o777)
        outcome, message = open_as_nobody(base / "tracker.db")
        assert outcome == "opened", message
        assert (base / "tracker.db").read_bytes()[:16] == b"SQLite format 3\x00"
    finally:
        shutil.rmtree(base)


# -- PostgreSQL targets ----------------------------------------------------------------------
@pytest.mark.postgres
def test_a_missing_postgres_database_is_named_not_blamed_on_the_network(
    pg_cluster: PgCluster,
) -> None:
    cluster = pg_cluster
    with pytest.raises(StorageError) as info:
        open_database(cluster.url("no_such_db"))
    message = str(info.value)
    assert "\n" not in message
    assert "no_such_db" in message
    assert "does not exist" in message
    assert "network" not in message, f"a wrong database name is not a network problem: {message}"


def test_an_unreachable_postgres_server_is_a_one_line_storage_error(tmp_path: Path) -> None:
    url = f"postgresql://postgres@/tracker?host={tmp_path}&port=5999&connect_timeout=2"
    with pytest.raises(StorageError) as info:
        open_database(url)
    assert "\n" not in str(info.value)
    assert info.value.hint


_LAZY_DRIVER_SCRIPT = """
import sys
from tracker_gui.domain.models import NewIssue
from tracker_gui.services import open_services

assert "psycopg" not in sys.modules, "peewee pulled psycopg in on import"
services = open_services(sys.argv[1], create=True, actor="alice")
services.projects.ensure_project("TRK", "Tracker")
issue = services.issues.create(NewIssue("TRK", "Made through the lazily given driver"))
flow = services.projects.workflow(issue.project_id)
moved = services.issues.move(issue.id, issue.version, flow.statuses[1].id)
print("ok", moved.key, flow.status(moved.status_id).name)
"""


@pytest.mark.postgres
def test_postgres_works_when_peewee_was_imported_without_psycopg(pg_cluster: PgCluster) -> None:
    """Local files never load psycopg; opening PostgreSQL hands it to peewee on demand."""
    url = pg_cluster.create_database("lazy_driver")
    try:
        done = subprocess.run(
            [sys.executable, "-c", _LAZY_DRIVER_SCRIPT, url],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=Path(__file__).resolve().parents[3],
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["ok", "TRK-1", "In", "Progress"]
    finally:
        pg_cluster.drop_database("lazy_driver")


def test_a_local_file_never_loads_the_postgres_driver(tmp_path: Path) -> None:
    """Once migrated, opening and reading a file imports neither psycopg nor asyncio."""
    target = tmp_path / "local.db"
    services = open_services(str(target), create=True)
    services.projects.ensure_project("TRK", "Tracker")
    services.close()
    code = (
        "import sys\n"
        "from tracker_gui.services import open_services\n"
        "s = open_services(sys.argv[1])\n"
        "print(len(s.projects.projects()), 'psycopg' in sys.modules, 'asyncio' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[3],
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "False", "False"]
