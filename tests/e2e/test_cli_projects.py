"""`tracker-gui init --workflow`, `project rename` and `project archive` as real processes,
on a SQLite file and on a secured PostgreSQL database (where the project's role decides)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.e2e.helpers import Result, assert_one_line_error, run_process
from tests.support.pgcluster import PgCluster


def _json(result: Result) -> Any:
    assert result.code == 0, result
    return json.loads(result.out)


def _statuses(db: str, key: str, cwd: Path) -> list[tuple[str, str]]:
    rows = _json(run_process("--db", db, "statuses", "--project", key, "--format", "json", cwd=cwd))
    assert isinstance(rows, list)
    return [(r["name"], r["category"]) for r in rows]


def test_init_with_each_workflow_on_sqlite(tmp_path: Path) -> None:
    db = str(tmp_path / "tracker.db")

    basic = run_process("--db", db, "init", "--project", "KAN", "--name", "Kanban",
                        "--workflow", "basic", cwd=tmp_path)  # fmt: skip
    review = run_process("--db", db, "init", "--project", "APP", "--name", "App",
                         "--workflow", "review", cwd=tmp_path)  # fmt: skip
    triage = run_process("--db", db, "init", "--project", "BUG", "--name", "Bugs",
                         "--workflow", "TRIAGE", "--format", "json", cwd=tmp_path)  # fmt: skip

    assert basic.code == 0, basic
    assert "created project KAN (Kanban) with statuses: To Do, In Progress, Done" in basic.out
    assert "with statuses: To Do, In Progress, In Review, Done" in review.out
    assert _json(triage) == {
        "database": db, "created_database": False, "project": "BUG", "created_project": True,
        "workflow": "triage",
    }  # fmt: skip
    assert _statuses(db, "BUG", tmp_path) == [
        ("Triage", "todo"), ("Confirmed", "todo"), ("In Progress", "in_progress"),
        ("Fixed", "done"), ("Won't Fix", "done"),
    ]  # fmt: skip
    # The triage preset's moves hold for the CLI too: a new report cannot jump to Fixed.
    assert run_process("--db", db, "add", "--project", "BUG", "--title", "crash",
                       cwd=tmp_path).code == 0  # fmt: skip
    jump = run_process("--db", db, "move", "BUG-1", "Fixed", cwd=tmp_path)
    assert "Triage" in assert_one_line_error(jump)
    assert run_process("--db", db, "move", "BUG-1", "Confirmed", cwd=tmp_path).code == 0


def test_a_bad_workflow_or_a_taken_key_exits_1_and_stores_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "tracker.db")
    assert run_process("--db", db, "init", cwd=tmp_path).code == 0

    bad = run_process("--db", db, "init", "--project", "OPS", "--workflow", "scrum", cwd=tmp_path)
    taken = run_process("--db", db, "init", "--project", "trk", "--workflow", "basic",
                        cwd=tmp_path)  # fmt: skip

    assert assert_one_line_error(bad) == (
        "tracker-gui: error: unknown workflow 'scrum': choose one of basic, review, triage"
    )
    assert "project TRK already exists" in assert_one_line_error(taken)
    listed = _json(run_process("--db", db, "projects", "--all", "--format", "json", cwd=tmp_path))
    assert [(p["key"], p["name"]) for p in listed] == [("TRK", "Tracker")]
    assert _statuses(db, "TRK", tmp_path)[2] == ("In Review", "in_progress")  # untouched


def test_rename_and_archive_a_project_on_sqlite(tmp_path: Path) -> None:
    db = str(tmp_path / "tracker.db")
    assert (
        run_process("--db", db, "init", "--project", "WEB", "--name", "Web", cwd=tmp_path).code == 0
    )
    assert (
        run_process("--db", db, "add", "--project", "WEB", "--title", "kept", cwd=tmp_path).code
        == 0
    )

    renamed = run_process("--db", db, "project", "rename", "web", "Website", cwd=tmp_path)
    archived = run_process("--db", db, "project", "archive", "WEB", cwd=tmp_path)
    again = run_process("--db", db, "project", "archive", "WEB", cwd=tmp_path)

    assert renamed.out.strip() == "renamed WEB: Web -> Website"
    assert archived.out.strip() == "archived project WEB"
    assert again.out.strip() == "WEB was already archived"
    assert run_process("--db", db, "projects", cwd=tmp_path).out.strip() == (
        "no projects yet (run `tracker-gui init`)"
    )
    listed = run_process("--db", db, "projects", "--all", cwd=tmp_path).out.splitlines()
    assert listed[1].split() == ["WEB", "1", "Website", "(archived)"]
    every = _json(run_process("--db", db, "projects", "--all", "--format", "json", cwd=tmp_path))
    assert [(p["key"], p["name"], p["archived"], p["issues"]) for p in every] == [
        ("WEB", "Website", True, 1)
    ]
    restored = run_process("--db", db, "project", "archive", "WEB", "--restore", cwd=tmp_path)
    assert restored.out.strip() == "restored project WEB"
    missing = run_process("--db", db, "project", "rename", "NOPE", "x", cwd=tmp_path)
    assert assert_one_line_error(missing) == "tracker-gui: error: no project with key 'NOPE'"
    empty = run_process("--db", db, "project", "rename", "WEB", "  ", cwd=tmp_path)
    assert_one_line_error(empty)
    shown = _json(run_process("--db", db, "projects", "--format", "json", cwd=tmp_path))
    assert [p["name"] for p in shown] == ["Website"]


@pytest.mark.postgres
def test_projects_on_postgres_follow_the_project_roles(
    pg_cluster: PgCluster, tmp_path: Path
) -> None:
    name = f"tracker_proj_{os.getpid()}"
    su = pg_cluster.create_database(name)
    ann = f"ann_p_{os.getpid()}"
    try:
        assert run_process("admin", "setup-postgres", "--url", su, cwd=tmp_path).code == 0
        made = run_process("--db", su, "init", "--project", "APP", "--name", "App",
                           "--workflow", "review", cwd=tmp_path)  # fmt: skip
        assert made.code == 0, made
        assert _statuses(su, "APP", tmp_path)[-2:] == [
            ("In Review", "in_progress"),
            ("Done", "done"),
        ]
        taken = run_process("--db", su, "init", "--project", "APP", "--workflow", "basic",
                            cwd=tmp_path)  # fmt: skip
        assert "project APP already exists" in assert_one_line_error(taken)
        assert run_process("--db", su, "admin", "add-user", ann, "--password-stdin",
                           cwd=tmp_path, stdin="ann-secret-pw\n").code == 0  # fmt: skip
        assert run_process("--db", su, "admin", "grant", ann, "APP", "member",
                           cwd=tmp_path).code == 0  # fmt: skip
        ann_url = pg_cluster.url(name, ann).replace("@/", ":ann-secret-pw@/")

        # A member may not archive or rename the project, nor create projects at all.
        refused = run_process("--db", ann_url, "project", "archive", "APP", cwd=tmp_path)
        assert "admin" in assert_one_line_error(refused)
        renamed = run_process("--db", ann_url, "project", "rename", "APP", "Mine", cwd=tmp_path)
        assert "admin" in assert_one_line_error(renamed)
        create = run_process("--db", ann_url, "init", "--project", "OWN", "--workflow", "basic",
                             cwd=tmp_path)  # fmt: skip
        assert "creating a project on this shared database needs the login that set it up" in (
            assert_one_line_error(create)
        )
        listed = _json(
            run_process("--db", su, "projects", "--all", "--format", "json", cwd=tmp_path)
        )
        assert [(p["key"], p["name"], p["archived"]) for p in listed] == [("APP", "App", False)]

        # The project's admin may.
        assert run_process("--db", su, "admin", "grant", ann, "APP", "admin",
                           cwd=tmp_path).code == 0  # fmt: skip
        renamed = run_process("--db", ann_url, "project", "rename", "APP", "Application",
                              cwd=tmp_path)  # fmt: skip
        assert renamed.out.strip() == "renamed APP: App -> Application", renamed
        archived = run_process("--db", ann_url, "project", "archive", "APP", cwd=tmp_path)
        assert archived.out.strip() == "archived project APP", archived
        listed = _json(
            run_process("--db", su, "projects", "--all", "--format", "json", cwd=tmp_path)
        )
        assert [(p["key"], p["name"], p["archived"]) for p in listed] == [
            ("APP", "Application", True)
        ]
    finally:
        pg_cluster.drop_database(name)
        with psycopg.connect(
            host=pg_cluster.host, port=pg_cluster.port, user="postgres", dbname="postgres",
            autocommit=True,
        ) as conn:  # fmt: skip
            conn.execute(f'DROP ROLE IF EXISTS "{ann}"')
