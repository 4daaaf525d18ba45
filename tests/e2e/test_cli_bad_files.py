"""Every subcommand on a file that is not a usable database: one clear line, exit 1, no write."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.e2e.helpers import Cli, assert_one_line_error, run_process

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4

# Every subcommand, with arguments that would be valid on a good database.
COMMANDS: list[tuple[str, ...]] = [
    ("init",),
    ("demo", "--issues", "3"),
    ("add", "--project", "TRK", "--title", "x"),
    ("move", "TRK-1", "Done"),
    ("edit", "TRK-1", "--title", "y"),
    ("comment", "TRK-1", "hello"),
    ("link", "TRK-1", "relates", "TRK-2"),
    ("watch", "TRK-1"),
    ("archive", "TRK-1"),
    ("delete", "TRK-1", "--yes"),
    ("show", "TRK-1"),
    ("list",),
    ("list", "--status", "In Progress", "--format", "json"),
    ("projects",),
    ("statuses", "--project", "TRK"),
    ("check",),
    ("backup", "BACKUP"),
]
CREATING = {"init", "demo"}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> list[str]:
    """Files next to the database besides itself (a -wal, -shm or -journal would be a write)."""
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real database with a few issues, made once through the CLI's own process."""
    folder = tmp_path_factory.mktemp("good")
    path = folder / "good.db"
    assert run_process("--db", str(path), "init", cwd=folder).code == 0
    for title in ("One", "Two", "Three"):
        assert (
            run_process(
                "--db", str(path), "add", "--project", "TRK", "--title", title, cwd=folder
            ).code
            == 0
        )
    return path


def make_bad(kind: str, folder: Path, good_db: Path) -> Path:
    path = folder / f"{kind}.db"
    if kind == "text":
        path.write_text("KEY,TITLE\nTRK-1,not a database\n", encoding="utf-8")
    elif kind == "png":
        path.write_bytes(PNG)
    elif kind == "truncated":
        with good_db.open("rb") as fh:
            path.write_bytes(fh.read(3000))
    elif kind == "folder":
        path.mkdir()
    else:
        raise AssertionError(kind)
    return path


@pytest.mark.parametrize("kind", ["text", "png", "truncated", "folder"])
@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: "-".join(a[:2]))
def test_a_non_database_is_refused_and_left_alone(
    cli: Cli, tmp_path: Path, good_db: Path, kind: str, argv: tuple[str, ...]
) -> None:
    path = make_bad(kind, tmp_path, good_db)
    before = None if path.is_dir() else digest(path)
    args = [str(tmp_path / "backup.db") if a == "BACKUP" else a for a in argv]

    line = assert_one_line_error(cli("--db", str(path), *args))

    wanted = {"text": "not a Tracker database", "png": "not a Tracker database",
              "truncated": "is truncated", "folder": "is a folder"}[kind]  # fmt: skip
    assert wanted in line
    assert str(path) in line
    if before is not None:
        assert digest(path) == before
    else:
        assert list(path.iterdir()) == []
    assert siblings(path) == []
    assert not (tmp_path / "backup.db").exists()


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: "-".join(a[:2]))
@pytest.mark.parametrize("kind", ["empty", "missing"])
def test_no_database_yet_only_init_and_demo_create_one(
    cli: Cli, tmp_path: Path, kind: str, argv: tuple[str, ...]
) -> None:
    path = tmp_path / "new.db"
    if kind == "empty":
        path.write_bytes(b"")
    args = [str(tmp_path / "backup.db") if a == "BACKUP" else a for a in argv]

    result = cli("--db", str(path), *args)

    if argv[0] in CREATING:
        assert result.code == 0, result
        assert path.stat().st_size > 0
        assert cli("--db", str(path), "check").out.strip() == "ok"
        return
    line = assert_one_line_error(result)
    assert "no database at" in line
    assert "tracker-gui init" in line
    if kind == "empty":
        assert path.read_bytes() == b""
    else:
        assert not path.exists()
    assert siblings(path) == []


def test_a_damaged_copy_is_refused_by_a_real_process(tmp_path: Path, good_db: Path) -> None:
    bad = tmp_path / "copy.db"
    shutil.copyfile(good_db, bad)
    with bad.open("r+b") as fh:  # zero the first table page, keep the header
        fh.seek(4096)
        fh.write(b"\x00" * 4096)
    before = digest(bad)

    result = run_process("--db", str(bad), "list", cwd=tmp_path)

    line = assert_one_line_error(result)
    assert str(bad) in line
    assert digest(bad) == before
