"""`tracker-gui admin ...`: a newcomer's team setup on PostgreSQL, command by command."""

from __future__ import annotations

import io
import json
import os

import psycopg
import pytest

from tests.e2e.helpers import Cli
from tests.support.pgcluster import PgCluster

pytestmark = pytest.mark.postgres


def test_team_setup_from_the_command_line(
    cli: Cli, pg_cluster: PgCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"tracker_cli_{os.getpid()}"
    su = pg_cluster.create_database(name)
    ann, bo = f"ann_{os.getpid()}", f"bo_{os.getpid()}"
    try:
        first = cli("admin", "setup-postgres", "--url", su)
        assert first.code == 0, first.err
        assert "row-level security forced" in first.out and "0001_initial" in first.out
        again = cli("admin", "setup-postgres", "--url", su)
        assert again.code == 0 and "none (schema already current)" in again.out

        assert cli("--db", su, "init", "--project", "TEAM", "--name", "Team").code == 0
        assert cli("--db", su, "init", "--project", "SEC", "--name", "Secret").code == 0

        made = cli("--db", su, "admin", "add-user", ann)
        assert made.code == 0, made.err
        password = [line for line in made.out.splitlines() if line.startswith("password: ")]
        assert len(password) == 1 and len(password[0]) > len("password: ") + 16
        monkeypatch.setattr("sys.stdin", io.StringIO("typed-secret\n"))
        quiet = cli("--db", su, "admin", "add-user", bo, "--password-stdin")
        assert quiet.code == 0 and "typed-secret" not in quiet.out
        twice = cli("--db", su, "admin", "add-user", bo)
        assert twice.code == 1 and "already exists" in twice.err

        assert cli("--db", su, "admin", "grant", ann, "TEAM", "member").code == 0
        assert cli("--db", su, "admin", "grant", bo, "TEAM", "viewer").code == 0
        assert cli("--db", su, "admin", "grant", bo, "SEC", "admin").code == 0
        assert cli("--db", su, "admin", "revoke", bo, "SEC").code == 0
        unknown = cli("--db", su, "admin", "grant", "nobody_here", "TEAM", "member")
        assert unknown.code == 1 and "no tracker login named nobody_here" in unknown.err

        ann_url = pg_cluster.url(name, ann)
        bo_url = pg_cluster.url(name, bo)
        listed = cli("--db", ann_url, "--format", "json", "projects")
        assert [p["key"] for p in json.loads(listed.out)] == ["TEAM"]
        added = cli("--db", ann_url, "add", "--project", "TEAM", "--title", "ann's first")
        assert added.code == 0, added.err
        assert added.out.strip() == "TEAM-1"
        refused = cli("--db", ann_url, "add", "--project", "SEC", "--title", "sneaky")
        assert refused.code == 1 and "no project with key 'SEC'" in refused.err
        viewer = cli("--db", bo_url, "add", "--project", "TEAM", "--title", "viewer's")
        assert viewer.code == 1 and "may not do this" in viewer.err
        seen = cli("--db", bo_url, "--format", "json", "list")
        assert [i["key"] for i in json.loads(seen.out)] == ["TEAM-1"]
        members = cli("--db", ann_url, "admin", "members", "TEAM")
        assert [line.split() for line in members.out.splitlines()] == [
            [ann, "member"],
            [bo, "viewer"],
        ]
        denied = cli("--db", ann_url, "admin", "grant", bo, "TEAM", "admin")
        assert denied.code == 1 and "only an admin of the project" in denied.err
    finally:
        pg_cluster.drop_database(name)
        with psycopg.connect(
            host=pg_cluster.host, port=pg_cluster.port, user="postgres", dbname="postgres",
            autocommit=True,
        ) as conn:  # fmt: skip
            for role in (ann, bo):
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')
