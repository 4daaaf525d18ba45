"""Project membership (a shared database's security layer): who has which role, and changes."""

from __future__ import annotations

from tracker_gui.domain.enums import Role
from tracker_gui.domain.models import Member
from tracker_gui.ui.ops.core import Host, OpResult, run


def supported(host: Host) -> bool:
    """Membership lives in the database's security layer: only where the services offer it."""
    return host.services.projects.has_membership


def members(host: Host, project_id: int) -> OpResult[list[Member]]:
    """The members and their roles (run like a write: offline, the tab says it cannot ask)."""
    return run(host, lambda s: s.projects.members(project_id))


def set_role(host: Host, project_id: int, username: str, role: Role | None) -> OpResult[None]:
    """Give `username` a role in the project (None: remove them); the database decides."""
    result = run(host, lambda s: s.projects.set_member_role(project_id, username, role))
    if result.ok and username == host.services.actor:
        host.forget_roles()  # my own role changed: the window follows
    return result
