"""Passwords go to the keychain (or this session's memory), never to a URL or settings."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail

from tests.support.fake_keyring import MemoryKeyring, memory_keyring
from tracker_gui import credentials
from tracker_gui.credentials import ConnectionSpec


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    with memory_keyring() as backend:
        yield backend


@pytest.fixture
def no_keychain() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    credentials._session_passwords.clear()
    yield
    keyring.set_keyring(previous)
    credentials._session_passwords.clear()


SPEC = ConnectionSpec(host="db.example.org", port=5433, dbname="team", user="ann@corp")


def test_the_key_names_user_host_port_and_database() -> None:
    assert SPEC.key == "ann@corp@db.example.org:5433/team"


def test_the_url_quotes_the_user_and_never_holds_a_password() -> None:
    url = SPEC.url()
    assert url == "postgresql://ann%40corp@db.example.org:5433/team?sslmode=prefer"
    assert ConnectionSpec.from_url(url) == SPEC


def test_the_ca_file_travels_in_the_url() -> None:
    spec = ConnectionSpec("h", "d", "u", sslmode="verify-full", sslrootcert="/etc/ca file.pem")
    assert ConnectionSpec.from_url(spec.url()) == spec


def test_remembered_password_goes_to_the_keychain(ring: MemoryKeyring) -> None:
    assert credentials.keychain_available()
    assert credentials.save_password(SPEC.key, "pw", remember=True)
    assert ring.entries == {("tracker-gui", SPEC.key): "pw"}
    credentials._session_passwords.clear()  # a new run
    assert credentials.load_password(SPEC.key) == "pw"


def test_not_remembered_stays_in_memory_and_clears_an_old_entry(ring: MemoryKeyring) -> None:
    ring.entries[("tracker-gui", SPEC.key)] = "old"
    assert credentials.save_password(SPEC.key, "new", remember=False)
    assert ring.entries == {}
    assert credentials.load_password(SPEC.key) == "new"
    credentials._session_passwords.clear()
    assert credentials.load_password(SPEC.key) is None


def test_forget_removes_it_everywhere(ring: MemoryKeyring) -> None:
    credentials.save_password(SPEC.key, "pw", remember=True)
    credentials.forget_password(SPEC.key)
    assert ring.entries == {}
    assert credentials.load_password(SPEC.key) is None


def test_without_a_keychain_it_says_so_and_asks_each_session(no_keychain: None) -> None:
    assert not credentials.keychain_available()
    assert credentials.save_password(SPEC.key, "pw", remember=True) is False
    assert credentials.load_password(SPEC.key) == "pw"  # this session only
    credentials._session_passwords.clear()
    assert credentials.load_password(SPEC.key) is None


def test_a_bad_ssl_mode_from_settings_falls_back_to_prefer() -> None:
    spec = ConnectionSpec.from_dict({"host": "h", "dbname": "d", "user": "u", "sslmode": "x"})
    assert spec.sslmode == "prefer"
