"""Workflow presets a new project starts from: statuses, their categories, allowed moves."""

from __future__ import annotations

from dataclasses import dataclass

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.errors import ValidationError

TODO, DOING, DONE = StatusCategory.TODO, StatusCategory.IN_PROGRESS, StatusCategory.DONE


@dataclass(frozen=True, slots=True)
class WorkflowPreset:
    """A named starting workflow; no transitions means every move is allowed."""

    word: str  # what the CLI takes: `init --workflow WORD`
    title: str  # what the window shows
    summary: str
    statuses: tuple[tuple[str, StatusCategory], ...]
    transitions: tuple[tuple[str, str], ...] = ()

    def status_names(self) -> list[str]:
        return [name for name, _category in self.statuses]


BASIC = WorkflowPreset(
    "basic",
    "Basic kanban",
    "Cards move freely between the columns.",
    (("To Do", TODO), ("In Progress", DOING), ("Done", DONE)),
)
REVIEW = WorkflowPreset(
    "review",
    "Software with review",
    "Work goes through In Review before Done; a review can send it back.",
    (("To Do", TODO), ("In Progress", DOING), ("In Review", DOING), ("Done", DONE)),
    (
        ("To Do", "In Progress"),
        ("In Progress", "To Do"),
        ("In Progress", "In Review"),
        ("In Review", "In Progress"),
        ("In Review", "Done"),
        ("Done", "In Progress"),
    ),
)
TRIAGE = WorkflowPreset(
    "triage",
    "Bug triage",
    "New reports wait in Triage until confirmed or closed as Won't Fix.",
    (
        ("Triage", TODO),
        ("Confirmed", TODO),
        ("In Progress", DOING),
        ("Fixed", DONE),
        ("Won't Fix", DONE),
    ),
    (
        ("Triage", "Confirmed"),
        ("Triage", "Won't Fix"),
        ("Confirmed", "In Progress"),
        ("Confirmed", "Won't Fix"),
        ("In Progress", "Confirmed"),
        ("In Progress", "Fixed"),
        ("Fixed", "Triage"),
        ("Won't Fix", "Triage"),
    ),
)
PRESETS: dict[str, WorkflowPreset] = {p.word: p for p in (BASIC, REVIEW, TRIAGE)}


def preset(word: str) -> WorkflowPreset:
    """The preset a CLI word names (any case); a clear error for any other word."""
    found = PRESETS.get(word.strip().lower())
    if found is None:
        choices = ", ".join(PRESETS)
        raise ValidationError("workflow", f"unknown workflow {word!r}: choose one of {choices}")
    return found
