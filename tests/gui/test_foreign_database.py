"""The window's open path on another program's database: told so, and nothing is written;
on an empty PostgreSQL database it says so and points to `admin setup-postgres`."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.support.pgcluster import PgCluster
from tracker_gui import app
from tracker_gui.ui.dialogs.message import MessageDialog


class Boxes:
    """Stands in for MessageDialog.exec: records (title, text, detail), presses Quit."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[tuple[str, str, str]] = []

        def exec_(box: MessageDialog) -> int:
            self.shown.append((box.windowTitle(), box.text(), box.detail()))
            box.clicked = "quit"
            return 0

        monkeypatch.setattr(MessageDialog, "exec", exec_)


def folder_state(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def test_opening_another_programs_file_in_the_window_changes_nothing(
    qapp: object, tmp_path: Path, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir()
    path = folder / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE project (id INTEGER PRIMARY KEY, key TEXT)")
    conn.execute("CREATE TABLE issue (id INTEGER PRIMARY KEY, project_id INTEGER, summary TEXT)")
    conn.execute("INSERT INTO issue (project_id, summary) VALUES (1, 'theirs')")
    conn.commit()
    conn.close()
    before = folder_state(folder)
    boxes = Boxes(monkeypatch)

    for _attempt in range(2):
        assert app.open_target(str(path)) is None

    assert boxes.shown[0] == (
        "Not a Tracker database",
        f"{path} is not a Tracker database (it belongs to another program)",
        "",
    )
    assert folder_state(folder) == before
    assert not (tracker_home / "data" / "backups").exists()


def _tables(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        ).fetchall()
    return [(str(s), str(n)) for s, n in rows]


@pytest.fixture
def bare_url(pg_cluster: PgCluster, request: pytest.FixtureRequest) -> Iterator[str]:
    name = f"gui_own_{request.node.name[-30:]}".lower()
    url = pg_cluster.create_database(name)
    try:
        yield url
    finally:
        pg_cluster.drop_database(name)


@pytest.mark.postgres
def test_the_window_on_an_empty_postgres_database_points_to_setup_postgres(
    qapp: object, bare_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes = Boxes(monkeypatch)

    assert app.open_target(bare_url) is None

    title, text, hint = boxes.shown[0]
    assert title == "Cannot open"
    assert "is an empty database" in text
    assert "admin setup-postgres" in hint
    assert _tables(bare_url) == []


@pytest.mark.postgres
def test_the_window_on_another_programs_postgres_database_creates_no_table(
    qapp: object, bare_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with psycopg.connect(bare_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE users (id int PRIMARY KEY, name text)")
    boxes = Boxes(monkeypatch)

    assert app.open_target(bare_url) is None

    assert boxes.shown[0][0] == "Not a Tracker database"
    assert "it belongs to another program" in boxes.shown[0][1]
    assert _tables(bare_url) == [("public", "users")]
