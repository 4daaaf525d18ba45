"""Shared-database connection details and their passwords in the OS keychain (never in settings)."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, quote, unquote, urlsplit

log = logging.getLogger(__name__)

SERVICE = "tracker-gui"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
DEFAULT_PORT = 5432

# Asked for this run only when there is no keychain: gone when the process ends.
_session_passwords: dict[str, str] = {}


@dataclass(frozen=True)
class ConnectionSpec:
    """Where a shared database is: everything but the password, which never goes in here."""

    host: str
    dbname: str
    user: str
    port: int = DEFAULT_PORT
    sslmode: str = "prefer"
    sslrootcert: str = ""

    @property
    def key(self) -> str:
        """The keychain entry name: user@host:port/db."""
        return f"{self.user}@{self.host}:{self.port}/{self.dbname}"

    def url(self) -> str:
        """A postgresql:// URL without a password, every part quoted."""
        user = quote(self.user, safe="")
        host = f"[{self.host}]" if ":" in self.host else quote(self.host, safe="")
        query = f"sslmode={quote(self.sslmode, safe='')}"
        if self.sslrootcert:
            query += f"&sslrootcert={quote(self.sslrootcert, safe='')}"
        return f"postgresql://{user}@{host}:{self.port}/{quote(self.dbname, safe='')}?{query}"

    def as_dict(self) -> dict[str, object]:
        return {
            "host": self.host,
            "port": self.port,
            "dbname": self.dbname,
            "user": self.user,
            "sslmode": self.sslmode,
            "sslrootcert": self.sslrootcert,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ConnectionSpec:
        spec = cls(
            host=str(data.get("host") or ""),
            dbname=str(data.get("dbname") or ""),
            user=str(data.get("user") or ""),
            port=int(str(data.get("port") or DEFAULT_PORT)),
            sslmode=str(data.get("sslmode") or "prefer"),
            sslrootcert=str(data.get("sslrootcert") or ""),
        )
        return spec if spec.sslmode in SSL_MODES else replace(spec, sslmode="prefer")

    @classmethod
    def from_url(cls, url: str) -> ConnectionSpec:
        """Read a postgresql:// URL (a password in it is ignored: it belongs in the keychain)."""
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return cls.from_dict(
            {
                "host": query.get("host") or parts.hostname or "localhost",
                "port": query.get("port") or parts.port or DEFAULT_PORT,
                "dbname": unquote(parts.path.lstrip("/")),
                "user": unquote(parts.username or ""),
                "sslmode": query.get("sslmode", "prefer"),
                "sslrootcert": query.get("sslrootcert", ""),
            }
        )


def key_for(user: str, host: str, port: int | str | None, dbname: str) -> str:
    return f"{user}@{host}:{port or DEFAULT_PORT}/{dbname}"


def keychain_available() -> bool:
    """Whether a real keychain backend is there (not keyring's fail or null stand-in)."""
    try:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
    except Exception:  # a broken keyring install must not stop the app
        return False
    chained = getattr(backend, "backends", None)
    if chained is not None:  # keyring's ChainerBackend: usable if any member is
        return any(not isinstance(b, fail.Keyring | null.Keyring) for b in chained)
    return not isinstance(backend, fail.Keyring | null.Keyring)


def load_password(key: str) -> str | None:
    """The stored password for `key`: this session's, else the keychain's, else None."""
    if key in _session_passwords:
        return _session_passwords[key]
    if not keychain_available():
        return None
    try:
        import keyring

        return keyring.get_password(SERVICE, key)
    except Exception as exc:  # a locked or broken keychain: ask instead
        log.warning("keychain read failed for %s: %s", key, type(exc).__name__)
        return None


def save_password(key: str, password: str, *, remember: bool) -> bool:
    """Keep the password for this session; with `remember`, in the keychain as well.

    Returns False when it could not go to the keychain (none, or it refused): the caller
    tells the user it will be asked again next time.
    """
    _session_passwords[key] = password
    if not remember:
        forget_password(key, session=False)
        return True
    if not keychain_available():
        return False
    try:
        import keyring

        keyring.set_password(SERVICE, key, password)
    except Exception as exc:
        log.warning("keychain write failed for %s: %s", key, type(exc).__name__)
        return False
    return True


def forget_password(key: str, *, session: bool = True) -> None:
    """Remove the password from the keychain (and, with `session`, from this run's memory)."""
    if session:
        _session_passwords.pop(key, None)
    if not keychain_available():
        return
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):  # nothing stored: nothing to do
            keyring.delete_password(SERVICE, key)
    except Exception as exc:
        log.warning("keychain delete failed for %s: %s", key, type(exc).__name__)
