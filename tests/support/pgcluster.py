"""Throwaway PostgreSQL clusters for tests, reachable only through a unix socket."""

from __future__ import annotations

import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

import psycopg
from psycopg import sql

_SUPERUSER = "postgres"
_LOG_TAIL_LINES = 30
_SERVER_SETTINGS = (
    # Socket only: parallel test runs never fight over a TCP port.
    "listen_addresses=",
    # Durability is pointless for a cluster deleted after the run, and costs time.
    "fsync=off",
    "full_page_writes=off",
    "synchronous_commit=off",
)


class PgCluster:
    """A private PostgreSQL server in temporary directories, started and stopped on demand."""

    def __init__(self, bindir: Path | None = None, *, durable: bool = False) -> None:
        """Use the server binaries in ``bindir``, or those found by ``find_bindir``.

        ``durable`` keeps PostgreSQL's default fsync and synchronous commit (the perf suite
        measures commits as a real server makes them); tests leave them off for speed.
        """
        self._bindir = bindir if bindir is not None else self.find_bindir()
        self._durable = durable
        self._base: Path | None = None
        self._port: int | None = None
        self._running = False

    # -- discovery ---------------------------------------------------------

    @staticmethod
    def find_bindir() -> Path | None:
        """Return the directory holding initdb/pg_ctl/postgres, or None if there is none."""
        override = os.environ.get("TRACKER_PG_BINDIR")
        if override:
            return Path(override)

        # Debian keeps server binaries off PATH, one directory per major version.
        candidates = [
            path.parent
            for path in Path("/usr/lib/postgresql").glob("*/bin/initdb")
            if path.is_file()
        ]
        if candidates:
            return max(candidates, key=lambda bindir: _version_key(bindir.parent.name))

        pg_config = shutil.which("pg_config")
        if pg_config is not None:
            result = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=False
            )
            bindir = Path(result.stdout.strip())
            if result.returncode == 0 and (bindir / "initdb").is_file():
                return bindir

        initdb = shutil.which("initdb")
        if initdb is not None:
            # A symlinked initdb (e.g. in /usr/local/bin) must not hide where pg_ctl lives.
            return Path(initdb).resolve().parent
        return None

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> None:
        """Create and start the cluster; raise RuntimeError if that fails."""
        if self._base is not None:
            raise RuntimeError("cluster already started")
        if self._bindir is None:
            raise RuntimeError(
                "PostgreSQL server binaries not found; install PostgreSQL "
                "or set TRACKER_PG_BINDIR to the directory holding initdb"
            )
        for tool in ("initdb", "pg_ctl", "postgres"):
            if not (self._bindir / tool).is_file():
                raise RuntimeError(f"{tool} not found in {self._bindir}")

        owner = self._server_user()
        # Under /tmp, not $TMPDIR: a unix socket path must stay under ~107 bytes.
        self._base = Path(tempfile.mkdtemp(prefix="tracker-pg-", dir="/tmp"))
        # The client may run as a different user than the server (root vs postgres).
        self._base.chmod(0o755)
        self._socket_dir.mkdir(mode=0o755)
        if owner is not None:
            for path in (self._base, self._socket_dir):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self._port = _free_port()

        try:
            self._run_checked(
                "initdb",
                [
                    str(self._bindir / "initdb"),
                    "-D",
                    str(self._data_dir),
                    "-A",
                    "trust",
                    "-U",
                    _SUPERUSER,
                    "--no-sync",
                    "-E",
                    "UTF8",
                    # Host locales differ between machines; C keeps sorting reproducible.
                    "--no-locale",
                ],
            )
            self._pg_ctl_start(self._socket_args())
            self._running = True
        except BaseException:
            self.stop()
            raise

    def _socket_args(self) -> list[str]:
        """The server's arguments: the unix socket only, the port, and the test settings."""
        args = ["-k", str(self._socket_dir), "-p", str(self._port)]
        for setting in _SERVER_SETTINGS[:1] if self._durable else _SERVER_SETTINGS:
            args += ["-c", setting]
        return args

    def _pg_ctl_start(self, server_args: list[str]) -> None:
        assert self._bindir is not None
        self._run_checked(
            "pg_ctl start",
            [
                str(self._bindir / "pg_ctl"),
                "-D",
                str(self._data_dir),
                "-l",
                str(self._log_file),
                "-w",
                "-o",
                # pg_ctl hands this string to a shell, hence the quoting.
                shlex.join(server_args),
                "start",
            ],
        )

    def stop(self) -> None:
        """Stop the server at once and delete its files; safe to call more than once."""
        if self._base is None:
            return
        if self._running and self._bindir is not None:
            result = self._run(
                [
                    str(self._bindir / "pg_ctl"),
                    "-D",
                    str(self._data_dir),
                    "-m",
                    "immediate",
                    "stop",
                ]
            )
            # A server that already died leaves no pid file; only a live one is an error.
            if result.returncode != 0 and (self._data_dir / "postmaster.pid").exists():
                raise RuntimeError(self._failure("pg_ctl stop", result))
        self._running = False
        shutil.rmtree(self._base, ignore_errors=True)
        self._base = None
        self._port = None

    def __enter__(self) -> PgCluster:
        """Start the cluster for the duration of a ``with`` block."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the cluster when the ``with`` block ends."""
        self.stop()

    # -- connection details ------------------------------------------------

    @property
    def host(self) -> str:
        """Directory holding the server's unix socket (libpq's ``host``)."""
        self._require_running()
        return str(self._socket_dir)

    @property
    def port(self) -> int:
        """Port number, which for a unix socket only names the socket file."""
        self._require_running()
        assert self._port is not None
        return self._port

    def url(self, dbname: str, user: str = _SUPERUSER) -> str:
        """Return a libpq URL for ``dbname`` on this cluster."""
        host = quote(self.host, safe="")
        return (
            f"postgresql://{quote(user, safe='')}@/{quote(dbname, safe='')}"
            f"?host={host}&port={self.port}"
        )

    def create_database(self, name: str) -> str:
        """Create database ``name`` and return its URL."""
        with self._admin_connection() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name``, disconnecting any sessions still using it."""
        with self._admin_connection() as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))

    # -- internals ---------------------------------------------------------

    @property
    def _socket_dir(self) -> Path:
        assert self._base is not None
        return self._base / "socket"

    @property
    def _data_dir(self) -> Path:
        assert self._base is not None
        return self._base / "data"

    @property
    def _log_file(self) -> Path:
        assert self._base is not None
        return self._base / "server.log"

    def _require_running(self) -> None:
        if not self._running:
            raise RuntimeError("cluster is not running; call start() first")

    def _admin_connection(self) -> psycopg.Connection[tuple[object, ...]]:
        # CREATE/DROP DATABASE cannot run inside a transaction block.
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=_SUPERUSER,
            dbname="postgres",
            autocommit=True,
        )

    @staticmethod
    def _server_user() -> pwd.struct_passwd | None:
        # PostgreSQL refuses to run as root, so root hands the server to `postgres`.
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam(_SUPERUSER)
        except KeyError:
            raise RuntimeError(
                f"running as root needs a {_SUPERUSER!r} system user to own the server"
            ) from None

    def _run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        command = args
        if os.geteuid() == 0:
            if shutil.which("runuser") is not None:
                command = ["runuser", "-u", _SUPERUSER, "--", *args]
            else:
                command = ["su", _SUPERUSER, "-s", "/bin/sh", "-c", shlex.join(args)]
        # Caller's PG* variables (PGDATA, PGPORT, ...) must not steer our cluster.
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        # The server user may not be able to enter the caller's working directory.
        return subprocess.run(
            command,
            cwd=self._base,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )

    def _run_checked(self, what: str, args: list[str]) -> None:
        result = self._run(args)
        if result.returncode != 0:
            raise RuntimeError(self._failure(what, result))

    def _failure(self, what: str, result: subprocess.CompletedProcess[str]) -> str:
        parts = [f"{what} failed with exit code {result.returncode}"]
        if result.stderr.strip():
            parts.append(f"stderr:\n{result.stderr.rstrip()}")
        if result.stdout.strip():
            parts.append(f"stdout:\n{result.stdout.rstrip()}")
        try:
            lines = self._log_file.read_text(errors="replace").splitlines()
        except OSError:
            lines = []
        if lines:
            tail = "\n".join(lines[-_LOG_TAIL_LINES:])
            parts.append(f"server log, last lines:\n{tail}")
        return "\n".join(parts)


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
