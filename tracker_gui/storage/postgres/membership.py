"""Who may do what in which project of a secured PostgreSQL database."""

from __future__ import annotations

from tracker_gui.domain.enums import Role
from tracker_gui.domain.models import Member
from tracker_gui.errors import UserError
from tracker_gui.storage.database import Database


class MembershipRepo:
    """Reads membership under row-level security; changes it only through the definer function."""

    def __init__(self, database: Database) -> None:
        self.db = database

    def my_role(self, project_id: int) -> Role | None:
        """The session user's role; None when the project is not visible to it."""
        if not self.db.server_managed:
            return Role.ADMIN
        with self.db.reading():
            row = self.db.peewee.execute_sql("SELECT tracker_my_role(%s)", (project_id,)).fetchone()
        value = row[0] if row else None
        return Role(value) if value else None

    def members(self, project_id: int) -> list[Member]:
        if not self.db.server_managed:
            return []
        with self.db.reading():
            cursor = self.db.peewee.execute_sql(
                "SELECT m.username, m.role, coalesce(u.display_name, '')"
                " FROM project_member AS m LEFT JOIN app_user AS u ON u.username = m.username"
                " WHERE m.project_id = %s ORDER BY m.username",
                (project_id,),
            )
            return [Member(project_id, name, Role(role), shown) for name, role, shown in cursor]

    def set_role(self, project_id: int, username: str, role: Role | None) -> None:
        """Grant, change or (role None) revoke; the database checks the caller is an admin."""
        if not self.db.server_managed:
            raise UserError("project members exist only on a shared PostgreSQL database")
        with self.db.transaction():
            self.db.peewee.execute_sql(
                "SELECT tracker_set_member(%s, %s, %s)",
                (project_id, username, role.value if role is not None else None),
            )
