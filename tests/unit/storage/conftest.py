"""Storage-test fixtures: a password-checking TCP cluster for the attack tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import postgres_bindir
from tests.support.pgtcp import TcpCluster


@pytest.fixture(scope="session")
def pg_tcp_cluster() -> Iterator[TcpCluster]:
    """One cluster on 127.0.0.1 with scram logins (socket: trust, for the set-up only)."""
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
