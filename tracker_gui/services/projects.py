"""Use cases for projects, workflow (statuses, transitions), labels, users and saved filters."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from tracker_gui.domain import validation
from tracker_gui.domain.enums import Role, StatusCategory
from tracker_gui.domain.models import (
    Label,
    Member,
    Project,
    SavedFilter,
    Status,
    Transition,
    User,
)
from tracker_gui.domain.workflow import DEFAULT_WORKFLOW, Workflow
from tracker_gui.domain.workflows import WorkflowPreset
from tracker_gui.domain.workflows import preset as workflow_preset
from tracker_gui.errors import NotFoundError, PermissionDeniedError, UserError, ValidationError
from tracker_gui.services.base import ServiceBase
from tracker_gui.services.unit_of_work import ChangeRecord
from tracker_gui.storage.postgres.membership import MembershipRepo
from tracker_gui.storage.tables import utcnow

KEEP = -1  # update_status(wip_limit=KEEP) leaves the limit as it is; None removes it
DEFAULT_COLOURS = {
    StatusCategory.TODO: "#6b778c",
    StatusCategory.IN_PROGRESS: "#2f6fde",
    StatusCategory.DONE: "#2e9d5b",
}


def _text(value: object) -> str | None:
    """A status setting as the Change log stores it: None stays None, enums by value."""
    return None if value is None else str(getattr(value, "value", value))


class ProjectService(ServiceBase):
    """Projects and their workflow; every method that writes is one transaction."""

    # -- reads ---------------------------------------------------------------------------
    def projects(self, include_archived: bool = False) -> list[Project]:
        return self.catalog.projects(include_archived)

    def project(self, key: str) -> Project:
        key = key.strip().upper()
        found = self.catalog.project_by_key(key)
        if found is None:
            raise NotFoundError(f"no project with key {key!r}")
        return found

    def workflow(self, project_id: int) -> Workflow:
        return Workflow(self.catalog.statuses(project_id), self.catalog.transitions(project_id))

    def statuses(self, project_id: int) -> list[Status]:
        return self.catalog.statuses(project_id)

    def labels(self, project_id: int) -> list[Label]:
        return self.catalog.labels(project_id)

    def users(self) -> list[User]:
        return self.catalog.users()

    def me(self) -> User:
        return self.catalog.user(self.actor) or User(0, self.actor, self.actor)

    def my_role(self, project_id: int) -> Role | None:
        """What the current login may do in a project; None when it may not even read it.

        A local file has one user, who owns everything. On a shared PostgreSQL database the
        answer comes from the project's membership (enforced there by row-level security).
        """
        return self._members.my_role(project_id)

    @property
    def has_membership(self) -> bool:
        """Whether projects have members with roles (a secured shared database) at all."""
        return self.db.server_managed

    def members(self, project_id: int) -> list[Member]:
        """The project's members and their roles (empty on a local file or unsecured server)."""
        return self._members.members(project_id)

    def set_member_role(self, project_id: int, username: str, role: Role | None) -> None:
        """Give `username` a role in the project, or remove them with None (project admins only).

        The database refuses anyone else with PermissionDeniedError.
        """
        name = validation.username(username)
        self._members.set_role(project_id, name, role)

    @functools.cached_property
    def _members(self) -> MembershipRepo:
        return MembershipRepo(self.db)

    # -- projects ------------------------------------------------------------------------
    def ensure_project(self, key: str, name: str | None = None) -> tuple[Project, bool]:
        """Create the project with the default workflow unless its key exists. (project, created)"""
        key = validation.project_key(key)
        existing = self.catalog.project_by_key(key)
        if existing is not None:
            return existing, False
        title = validation.name("name", name or key, limit=200)
        with self._work() as work:
            if self.catalog.project_by_key(key) is not None:  # lost a race: fine
                return self.project(key), False
            self._actor_id()
            project = self.catalog.insert_project(key, title)
            for position, (status_name, category) in enumerate(DEFAULT_WORKFLOW):
                self.catalog.insert_status(
                    project.id,
                    status_name,
                    category.value,
                    position,
                    None,
                    DEFAULT_COLOURS[category],
                )
            work.log(project.id, None, "project", None, key)
        return project, True

    def create_project(
        self, key: str, name: str, workflow: str | WorkflowPreset = "basic", description: str = ""
    ) -> Project:
        """A new project with a preset's statuses and transitions; refused if the key exists."""
        key = validation.project_key(key)
        title = validation.name("name", name or key, limit=200)
        text = validation.description(description)
        chosen = workflow if isinstance(workflow, WorkflowPreset) else workflow_preset(workflow)
        try:
            self._insert_project(key, title, text, chosen)
        except PermissionDeniedError:
            # On a shared database only the login that set it up may add projects.
            raise PermissionDeniedError(
                "not allowed: creating a project on this shared database needs the login "
                "that set it up (see docs/team-setup.md)"
            ) from None
        return self.project(key)

    def _insert_project(self, key: str, title: str, text: str, chosen: WorkflowPreset) -> None:
        with self._work() as work:
            if self.catalog.project_by_key(key) is not None:
                raise ValidationError("key", f"a project with key {key} already exists")
            self._actor_id()
            project = self.catalog.insert_project(key, title, text)
            ids: dict[str, int] = {}
            for position, (status_name, category) in enumerate(chosen.statuses):
                ids[status_name] = self.catalog.insert_status(
                    project.id, status_name, category.value, position, None,
                    DEFAULT_COLOURS[category],
                )  # fmt: skip
            self.catalog.insert_transitions(
                project.id, [(ids[a], ids[b]) for a, b in chosen.transitions]
            )
            work.log(project.id, None, "project", None, key)

    def rename_project(self, key: str, name: str) -> Project:
        """A new name for the project (the key stays: it is in every issue's key)."""
        project = self.project(key)
        return self.update_project(project.key, name, project.description)

    def archive_project(self, key: str, archived: bool = True) -> Project:
        """Hide a project from the board and lists (or bring it back); its issues are kept."""
        project = self.project(key)
        if project.archived == archived:
            return project
        with self._work() as work:
            self.catalog.update_project(project.id, {"archived": archived})
            old, new = str(project.archived).lower(), str(archived).lower()
            work.log(project.id, None, "project.archived", old, new)
        return self.project(key)

    def update_project(self, key: str, name: str, description: str = "") -> Project:
        project = self.project(key)
        title = validation.name("name", name, limit=200)
        text = validation.description(description)
        with self._work() as work:
            self.catalog.update_project(project.id, {"name": title, "description": text})
            work.log(project.id, None, "project.name", project.name, title)
        return self.project(key)

    # -- statuses ------------------------------------------------------------------------
    def add_status(
        self,
        project_id: int,
        name: str,
        category: StatusCategory,
        wip_limit: int | None = None,
        colour: str = "",
    ) -> Status:
        name = validation.name("status", name)
        validation.wip_limit(wip_limit)
        colour = validation.colour(colour) or DEFAULT_COLOURS[category]
        existing = self.catalog.statuses(project_id)
        if any(s.name.casefold() == name.casefold() for s in existing):
            raise ValidationError("status", f"a status named {name!r} already exists")
        with self._work() as work:
            position = max((s.position for s in existing), default=-1) + 1
            sid = self.catalog.insert_status(
                project_id, name, category.value, position, wip_limit, colour
            )
            work.log(project_id, None, "status.added", None, name)
        return self._status(sid)

    def _status(self, status_id: int) -> Status:
        status = self.catalog.status(status_id)
        if status is None:
            raise NotFoundError(f"status {status_id} no longer exists")
        return status

    def update_status(
        self,
        status_id: int,
        *,
        name: str | None = None,
        category: StatusCategory | None = None,
        wip_limit: int | None = KEEP,
        colour: str | None = None,
    ) -> Status:
        status = self._status(status_id)
        values: dict[str, object] = {}
        if name is not None and name.strip() != status.name:
            name = validation.name("status", name)
            others = self.catalog.statuses(status.project_id)
            if any(s.name.casefold() == name.casefold() and s.id != status_id for s in others):
                raise ValidationError("status", f"a status named {name!r} already exists")
            values["name"] = name
        if category is not None and category != status.category:
            values["category"] = category.value
        if wip_limit != KEEP and validation.wip_limit(wip_limit) != status.wip_limit:
            values["wip_limit"] = validation.wip_limit(wip_limit)
        if colour is not None and validation.colour(colour) != status.colour:
            values["colour"] = validation.colour(colour)
        if not values:
            return status
        with self._work() as work:
            self.catalog.update_status(status_id, values)
            for k, v in values.items():
                work.log(
                    status.project_id, None, f"status.{k}", _text(getattr(status, k)), _text(v)
                )
        return self._status(status_id)

    def reorder_statuses(self, project_id: int, ordered_ids: list[int]) -> list[Status]:
        current = {s.id for s in self.catalog.statuses(project_id)}
        if set(ordered_ids) != current or len(ordered_ids) != len(current):
            raise UserError("the new order must list every status of the project once")
        with self._work() as work:
            for position, sid in enumerate(ordered_ids):
                self.catalog.update_status(sid, {"position": position})
            work.log(project_id, None, "status.order", None, ",".join(map(str, ordered_ids)))
        return self.catalog.statuses(project_id)

    def delete_status(self, status_id: int, move_to: int | None = None) -> int:
        """Delete a status; issues using it move to `move_to` in the same call. Returns how many."""
        status = self._status(status_id)
        siblings = self.catalog.statuses(status.project_id)
        if len(siblings) == 1:
            raise UserError("a project needs at least one status")
        in_use = self.repo.count_in_status(status_id)
        if in_use and move_to is None:
            raise UserError(
                f"{in_use} issue{'s still use' if in_use != 1 else ' still uses'} "
                f"{status.name!r}: move {'them' if in_use != 1 else 'it'} to another status "
                "first (or pick a status to move them to)"
            )
        if move_to is not None:
            target = self._status(move_to)
            if target.project_id != status.project_id or target.id == status_id:
                raise ValidationError(
                    "status", "issues must move to another status of the same project"
                )
        resolved: object = ...  # leave resolved_at alone unless done-ness changes
        if move_to is not None:
            now_done = self._status(move_to).category == StatusCategory.DONE
            if now_done != (status.category == StatusCategory.DONE):
                resolved = utcnow() if now_done else None
        with self._work() as work:
            moved = (
                self.repo.move_status(status_id, move_to, resolved) if move_to is not None else []
            )
            rows: list[ChangeRecord] = []
            for i, old_rank, new_rank in moved:
                rows.append(
                    ChangeRecord(
                        status.project_id, i, self.actor, "status", str(status_id), str(move_to)
                    )
                )
                rows.append(
                    ChangeRecord(status.project_id, i, self.actor, "rank", old_rank, new_rank)
                )
            self.catalog.delete_status(status_id)
            rows.append(
                ChangeRecord(
                    status.project_id, None, self.actor, "status.deleted", status.name, None
                )
            )
            work.add(rows)
        return len(moved)

    # -- transitions ---------------------------------------------------------------------
    def transitions(self, project_id: int) -> list[Transition]:
        return self.catalog.transitions(project_id)

    def set_transitions(self, project_id: int, pairs: Iterable[tuple[int, int]]) -> None:
        """Replace the allowed moves; an empty set means every move is allowed."""
        ids = {s.id for s in self.catalog.statuses(project_id)}
        clean = {(a, b) for a, b in pairs if a != b}
        if any(a not in ids or b not in ids for a, b in clean):
            raise ValidationError("transition", "transitions must join statuses of this project")
        with self._work() as work:
            self.catalog.replace_transitions(project_id, clean)
            text = ";".join(f"{a}>{b}" for a, b in sorted(clean))
            work.log(project_id, None, "transitions", None, text)

    # -- labels --------------------------------------------------------------------------
    def ensure_label(self, project_id: int, name: str, colour: str = "") -> Label:
        name = validation.name("label", name, limit=validation.LABEL_MAX)
        found = self.catalog.label_by_name(project_id, name)
        if found:
            return found
        with self._work():
            label = self.catalog.insert_label(project_id, name, validation.colour(colour))
        return label

    def update_label(self, label: Label, name: str, colour: str) -> None:
        values = {
            "name": validation.name("label", name, limit=validation.LABEL_MAX),
            "colour": validation.colour(colour),
        }
        with self._work() as work:
            self.catalog.update_label(label.id, values)
            work.add(
                [
                    ChangeRecord(
                        label.project_id,
                        None,
                        self.actor,
                        "label.renamed",
                        label.name,
                        values["name"],
                    )
                ]
            )

    # -- users and saved filters ---------------------------------------------------------
    def ensure_user(self, username: str, display_name: str = "", email: str = "") -> User:
        username = validation.username(username)
        shown = validation.clean_text("display name", display_name, max_bytes=800).strip()
        email = validation.clean_text("email", email, max_bytes=254).strip()
        if len(shown) > 200:
            raise ValidationError("display name", "display name is longer than 200 characters")
        found = self.catalog.user(username)
        if found:
            return found
        with self._work():
            return self.catalog.insert_user(username, shown or username, email)

    def saved_filters(self) -> list[SavedFilter]:
        me = self.catalog.user(self.actor)
        return self.catalog.saved_filters(me.id) if me else []

    def save_filter(self, name: str, query: str) -> SavedFilter:
        name = validation.name("filter name", name)
        query = validation.clean_text("query", query, max_bytes=10_000)
        if any(f.name.casefold() == name.casefold() for f in self.saved_filters()):
            raise ValidationError("name", f"a saved filter named {name!r} already exists")
        with self._work():
            fid = self.catalog.insert_saved_filter(self._actor_id(), name, query)
        return SavedFilter(fid, name, query, self.actor)

    def rename_filter(self, filter_id: int, name: str, query: str | None = None) -> None:
        values: dict[str, object] = {"name": validation.name("filter name", name)}
        if query is not None:
            values["query"] = validation.clean_text("query", query, max_bytes=10_000)
        with self._work():
            if not self.catalog.update_saved_filter(filter_id, self._actor_id(), values):
                raise NotFoundError("that saved filter no longer exists")

    def delete_filter(self, filter_id: int) -> None:
        with self._work():
            if not self.catalog.delete_saved_filter(filter_id, self._actor_id()):
                raise NotFoundError("that saved filter no longer exists")
