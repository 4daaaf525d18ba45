"""Sync-test fixtures: a password-checking TCP cluster and a secured database with logins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.attacks import PASSWORD
from tests.support.pgtcp import TcpCluster, started_tcp_cluster
from tests.support.secured import Secured, drop, make_secured


@pytest.fixture(scope="session")
def pg_tcp_cluster() -> Iterator[TcpCluster]:
    """One cluster on 127.0.0.1 with scram logins (socket: trust, for the set-up only)."""
    yield from started_tcp_cluster()


@pytest.fixture
def secured(pg_tcp_cluster: TcpCluster) -> Iterator[Secured]:
    """TRK (adm admin, mem member, vie viewer) and OPS (out member), logins with PASSWORD."""
    db = make_secured(pg_tcp_cluster, password=PASSWORD, prefix="syn_")
    yield db
    drop(db)
