"""A PostgreSQL URL read into the driver's parameters and the label the app shows."""

from __future__ import annotations

import getpass
from typing import Any
from urllib.parse import urlsplit

from tracker_gui import credentials
from tracker_gui.errors import StorageError


def url_params(url: str, password: str | None = None) -> tuple[str, dict[str, Any], str]:
    """(database name, driver parameters, label) for a postgresql:// URL; the password comes
    from `password`, the URL or the keychain. Raises StorageError on a URL it cannot read."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        params: dict[str, Any] = dict(conninfo_to_dict(url))
    except Exception as exc:
        raise StorageError(f"cannot read the database URL: {exc}") from exc
    port = str(params.get("port") or "5432")
    try:  # the label and the keychain entry read the URL's own port too
        _ = urlsplit(url).port
        valid = len(port) <= 5 and port.isascii() and port.isdigit() and 0 < int(port) < 65536
    except ValueError:
        valid, port = False, url.partition("//")[2].partition("/")[0].rpartition(":")[2]
    if not valid:
        raise StorageError(
            f"cannot read the database URL: the port {port!r} is not a number from 1 to 65535"
        )
    dbname = str(params.pop("dbname", "") or "")
    user = str(params.get("user") or getpass.getuser())
    host = str(params.get("host") or "localhost")
    for name in host.split(","):
        if name.startswith("/"):  # a socket folder, not a name to look up
            continue
        try:  # what the resolver will do with it; a name it cannot encode is not a host
            name.encode("idna")
        except UnicodeError:
            raise StorageError(
                f"cannot read the database URL: {name!r} is not a valid host name"
            ) from None
    shown_host = "local socket" if host.startswith("/") else host
    label = f"{user}@{shown_host}/{dbname}"
    if password is not None:  # given by the connect dialog: never part of a stored URL
        params["password"] = password
    elif "password" not in params:
        key = credentials.key_for(user, host, params.get("port"), dbname)
        stored = credentials.load_password(key)
        if stored:
            params["password"] = stored
    params.setdefault("connect_timeout", 10)
    params.setdefault("application_name", "tracker-gui")
    # A pulled cable or a sleeping laptop must surface as an error in seconds, not hours.
    for name, value in (
        ("keepalives", 1),
        ("keepalives_idle", 10),
        ("keepalives_interval", 5),
        ("keepalives_count", 3),
        ("tcp_user_timeout", 20000),
    ):
        params.setdefault(name, value)
    return dbname, params, label


def safe_netloc(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return f"{user}{host}{port}"
