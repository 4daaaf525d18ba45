"""ProjectService.create_project with a workflow preset, rename and archive, on both backends."""

from __future__ import annotations

import pytest

from tests.unit.helpers import EventLog, row_counts, stored_changes
from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.workflows import PRESETS, preset
from tracker_gui.errors import ValidationError
from tracker_gui.services import Services


def _moves(services: Services, project_id: int) -> set[tuple[str, str]]:
    names = {s.id: s.name for s in services.projects.statuses(project_id)}
    return {
        (names[t.from_status_id], names[t.to_status_id])
        for t in services.projects.transitions(project_id)
    }


@pytest.mark.parametrize("word", sorted(PRESETS))
def test_a_new_project_gets_its_presets_statuses_and_moves(services: Services, word: str) -> None:
    log = EventLog(services)
    project = services.projects.create_project("web", "Website", workflow=word)

    chosen = preset(word)
    statuses = services.projects.statuses(project.id)
    assert [(s.name, s.category) for s in statuses] == list(chosen.statuses)
    assert _moves(services, project.id) == set(chosen.transitions)
    assert services.projects.project("WEB").name == "Website"
    assert [(c.field, c.new) for c in stored_changes(services)] == [("project", "WEB")]
    assert log.events == stored_changes(services)


def test_the_triage_preset_refuses_a_jump_from_triage_to_fixed(services: Services) -> None:
    project = services.projects.create_project("BUG", "Bugs", workflow="triage")
    flow = services.projects.workflow(project.id)
    triage, fixed = flow.find("Triage"), flow.find("Fixed")
    assert triage is not None and fixed is not None
    assert not flow.allows(triage.id, fixed.id)
    assert fixed.category == StatusCategory.DONE


def test_an_existing_key_or_unknown_workflow_stores_nothing(services: Services) -> None:
    services.projects.create_project("WEB", "Website")
    counts = row_counts(services)

    with pytest.raises(ValidationError, match="a project with key WEB already exists"):
        services.projects.create_project("web", "Again")
    with pytest.raises(ValidationError, match="unknown workflow 'scrum': choose one of basic"):
        services.projects.create_project("OPS", "Ops", workflow="scrum")
    assert row_counts(services) == counts


def test_rename_and_archive_are_logged_and_archive_hides_the_project(services: Services) -> None:
    services.projects.create_project("WEB", "Website")
    renamed = services.projects.rename_project("web", "Web site")
    archived = services.projects.archive_project("WEB")

    assert renamed.name == "Web site"
    assert archived.archived
    assert [p.key for p in services.projects.projects()] == []
    assert [p.key for p in services.projects.projects(include_archived=True)] == ["WEB"]
    fields = [(c.field, c.old, c.new) for c in stored_changes(services)]
    assert fields[1:] == [
        ("project.name", "Website", "Web site"),
        ("project.archived", "false", "true"),
    ]

    counts = row_counts(services)
    assert services.projects.archive_project("WEB").archived  # again: nothing to do
    assert row_counts(services) == counts
    assert not services.projects.archive_project("WEB", archived=False).archived
    assert [p.key for p in services.projects.projects()] == ["WEB"]
