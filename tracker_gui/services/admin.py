"""Team administration for the CLI: secure a PostgreSQL database, add logins, grant roles."""

from __future__ import annotations

from tracker_gui.services import Services
from tracker_gui.storage.database import is_url
from tracker_gui.storage.postgres import OWNER_ROLE, USERS_ROLE, provision
from tracker_gui.storage.postgres.provision import SetupReport

__all__ = [
    "OWNER_ROLE",
    "USERS_ROLE",
    "SetupReport",
    "add_user",
    "grant",
    "is_url",
    "setup_postgres",
]


def setup_postgres(url: str) -> SetupReport:
    """Roles, schema, row-level security and triggers, as the superuser `url` names."""
    return provision.setup_postgres(url)


def add_user(services: Services, name: str, password: str | None) -> str:
    """A new login in the users' group; returns its password (generated when None)."""
    return provision.add_user(services.database, name, password)


def grant(services: Services, name: str, project_key: str, role: str | None) -> None:
    """Give `name` a role in a project (None revokes it)."""
    provision.grant(services.database, name, project_key, role)
