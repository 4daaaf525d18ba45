"""A secured (admin setup-postgres) database on the throwaway cluster, with logins and projects."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from typing import Any

import psycopg

from tests.support.pgcluster import PgCluster
from tracker_gui.services import Services, open_services
from tracker_gui.storage.postgres import provision

_numbers = itertools.count(1)

# login -> (project key, role); `out` is a member of OPS only.
LOGINS = {
    "adm": ("TRK", "admin"),
    "mem": ("TRK", "member"),
    "vie": ("TRK", "viewer"),
    "out": ("OPS", "member"),
}


@dataclass
class Secured:
    """One secured database: its name, the superuser URL and the logins' real role names."""

    cluster: PgCluster
    name: str
    logins: dict[str, str] = field(default_factory=dict)
    opened: list[Services] = field(default_factory=list)

    @property
    def super_url(self) -> str:
        return self.cluster.url(self.name)

    def url(self, who: str) -> str:
        return self.cluster.url(self.name, self.logins.get(who, who))

    def services(self, who: str) -> Services:
        """The app's own connection code, logged in as `who` (acting as that login)."""
        opened = open_services(self.url(who))
        self.opened.append(opened)
        return opened

    def raw(self, who: str) -> psycopg.Connection[tuple[Any, ...]]:
        """A plain psycopg connection with the same credentials, autocommit."""
        return psycopg.connect(
            host=self.cluster.host,
            port=self.cluster.port,
            dbname=self.name,
            user=self.logins.get(who, who),
            autocommit=True,
        )

    def close(self) -> None:
        for services in self.opened:
            services.close()
        self.opened.clear()


def make_secured(
    cluster: PgCluster,
    projects: tuple[str, ...] = ("TRK", "OPS"),
    logins: dict[str, tuple[str, str]] | None = None,
    prefix: str = "sec_",
    names: dict[str, str] | None = None,
    password: str = "not-used-with-trust-auth",
) -> Secured:
    """Create, secure and populate a database: the projects (by the superuser) and the logins
    (short name -> (project, role); the login role is `prefix` + short name, with `password`)."""
    name = f"tracker_sec_{os.getpid()}_{next(_numbers)}"
    cluster.create_database(name)
    secured = Secured(cluster, name)
    provision.setup_postgres(secured.super_url)
    admin = open_services(secured.super_url)
    try:
        for key in projects:
            admin.projects.ensure_project(key, (names or {}).get(key, f"Project {key}"))
        for short, (key, role) in (LOGINS if logins is None else logins).items():
            login = f"{prefix}{short}"
            secured.logins[short] = login
            if not _role_exists(cluster, login):
                provision.add_user(admin.database, login, password)
            if key in projects:
                provision.grant(admin.database, login, key, role)
    finally:
        admin.close()
    return secured


def _role_exists(cluster: PgCluster, role: str) -> bool:
    with psycopg.connect(
        host=cluster.host, port=cluster.port, user="postgres", dbname="postgres"
    ) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            is not None
        )


def drop(secured: Secured) -> None:
    secured.close()
    secured.cluster.drop_database(secured.name)


def superuser(secured: Secured) -> psycopg.Connection[tuple[Any, ...]]:
    return psycopg.connect(
        host=secured.cluster.host,
        port=secured.cluster.port,
        dbname=secured.name,
        user="postgres",
        autocommit=True,
    )


__all__ = ["LOGINS", "Secured", "drop", "make_secured", "superuser"]
