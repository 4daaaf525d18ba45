"""`tracker-gui backup`, `backups` and `restore` as real processes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.helpers import Cli, assert_one_line_error, run_process


def _titles(db: Path, cwd: Path) -> list[str]:
    out = run_process("--db", str(db), "list", "--format", "json", cwd=cwd)
    assert out.code == 0, out
    return sorted(i["title"] for i in json.loads(out.out))


def test_backup_list_and_restore_round_trip(tmp_path: Path, tracker_home: Path) -> None:
    db = tmp_path / "tracker.db"
    assert run_process("--db", str(db), "init", cwd=tmp_path).code == 0
    run_process("--db", str(db), "add", "--project", "TRK", "--title", "keep", cwd=tmp_path)

    made = run_process("--db", str(db), "--format", "json", "backup", cwd=tmp_path)
    assert made.code == 0, made
    saved = Path(json.loads(made.out)["backup"])
    assert saved.parent == tracker_home / "data" / "backups" and saved.exists()

    listed = run_process("--db", str(db), "backups", cwd=tmp_path)
    assert listed.code == 0
    assert str(saved) in listed.out and "1 issues" in listed.out

    run_process("--db", str(db), "add", "--project", "TRK", "--title", "later", cwd=tmp_path)
    assert _titles(db, tmp_path) == ["keep", "later"]

    # No --yes and nothing on standard input: refused, nothing changed.
    refused = run_process("--db", str(db), "restore", str(saved), cwd=tmp_path, stdin="")
    assert "confirm with --yes" in assert_one_line_error(refused)
    assert _titles(db, tmp_path) == ["keep", "later"]
    # Answered no: nothing changed either.
    no = run_process("--db", str(db), "restore", str(saved), cwd=tmp_path, stdin="n\n")
    assert "restore cancelled; nothing was changed" in assert_one_line_error(no)
    assert _titles(db, tmp_path) == ["keep", "later"]

    done = run_process("--db", str(db), "restore", str(saved), "--yes", cwd=tmp_path)
    assert done.code == 0, done
    assert "what was there before is in" in done.out
    assert _titles(db, tmp_path) == ["keep"]
    yes = run_process("--db", str(db), "restore", str(saved), cwd=tmp_path, stdin="y\n")
    assert yes.code == 0, yes


def test_backup_to_a_path_and_restore_a_damaged_file(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    run_process("--db", str(db), "init", cwd=tmp_path)
    dest = tmp_path / "copy.db"
    assert run_process("--db", str(db), "backup", "--to", str(dest), cwd=tmp_path).code == 0
    assert dest.exists()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    bad = run_process("--db", str(db), "restore", str(junk), "--yes", cwd=tmp_path)
    line = assert_one_line_error(bad)
    assert "is damaged" in line and "pick another backup" in line


def test_backups_of_postgres_are_refused(tmp_path: Path) -> None:
    # A URL nobody answers would take the connect timeout; the message is decided first.
    db = tmp_path / "tracker.db"
    run_process("--db", str(db), "init", cwd=tmp_path)
    none = run_process("--db", str(db), "backups", cwd=tmp_path)
    assert none.code == 0 and "no backups of" in none.out


def test_a_database_too_damaged_to_open_is_restored_and_kept(
    tmp_path: Path, tracker_home: Path
) -> None:
    db = tmp_path / "tracker.db"
    run_process("--db", str(db), "init", cwd=tmp_path)
    run_process("--db", str(db), "add", "--project", "TRK", "--title", "saved", cwd=tmp_path)
    made = run_process("--db", str(db), "--format", "json", "backup", cwd=tmp_path)
    saved = Path(json.loads(made.out)["backup"])
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xa5" * (len(data) - page)  # every page after the first is garbage
    db.write_bytes(bytes(data))
    damaged = bytes(data)
    refused = assert_one_line_error(run_process("--db", str(db), "list", cwd=tmp_path))
    assert "restore a backup" in refused

    done = run_process("--db", str(db), "restore", str(saved), "--yes", cwd=tmp_path)
    assert done.code == 0, done
    assert "the damaged file was kept as" in done.out
    assert _titles(db, tmp_path) == ["saved"]
    (kept,) = (tracker_home / "data" / "backups").glob("tracker-*-damaged.db")
    assert kept.read_bytes() == damaged
    assert not list(tmp_path.glob("*.restoring"))


def test_restoring_the_oldest_of_ten_backups_keeps_it(
    cli: Cli, db: Path, tracker_home: Path
) -> None:
    assert cli("--db", str(db), "init").code == 0
    assert cli("--db", str(db), "add", "--project", "TRK", "--title", "oldest").code == 0
    made = []
    for _ in range(10):  # the default keep limit
        out = cli("--db", str(db), "--format", "json", "backup")
        assert out.code == 0, out
        made.append(Path(json.loads(out.out)["backup"]))
    cli("--db", str(db), "add", "--project", "TRK", "--title", "later")

    done = cli("--db", str(db), "restore", str(made[0]), "--yes")
    assert done.code == 0, done
    assert "no backup at" not in done.err
    assert made[0].exists()
    listed = cli("--db", str(db), "--format", "json", "backups")
    paths = [Path(b["path"]) for b in json.loads(listed.out)]
    assert made[0] in paths and paths[0].name.endswith("-before-restore.db")
    assert made[1] not in paths  # the keep limit still prunes the others, after the restore
    titles = json.loads(cli("--db", str(db), "--format", "json", "list").out)
    assert [i["title"] for i in titles] == ["oldest"]
