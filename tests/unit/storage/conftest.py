"""Storage-test fixtures: a password-checking TCP cluster for the attack tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.pgtcp import TcpCluster, started_tcp_cluster


@pytest.fixture(scope="session")
def pg_tcp_cluster() -> Iterator[TcpCluster]:
    """One cluster on 127.0.0.1 with scram logins (socket: trust, for the set-up only)."""
    yield from started_tcp_cluster()
