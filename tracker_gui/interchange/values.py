"""Turning foreign values (dates, priorities, types, names, colours) into ours."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from tracker_gui.domain import validation
from tracker_gui.domain.enums import IssueType, Priority, StatusCategory

# A spreadsheet reads a cell starting with one of these as a formula: the CSV export puts a
# `'` before such a text cell, and the CSV import takes exactly that `'` off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

JIRA_PRIORITIES = {
    "highest": Priority.HIGHEST,
    "blocker": Priority.HIGHEST,
    "urgent": Priority.HIGHEST,
    "high": Priority.HIGH,
    "critical": Priority.HIGH,
    "medium": Priority.MEDIUM,
    "major": Priority.MEDIUM,
    "normal": Priority.MEDIUM,
    "low": Priority.LOW,
    "minor": Priority.LOW,
    "lowest": Priority.LOWEST,
    "trivial": Priority.LOWEST,
}
ISSUE_TYPES = {
    "task": IssueType.TASK,
    "improvement": IssueType.TASK,
    "bug": IssueType.BUG,
    "defect": IssueType.BUG,
    "story": IssueType.STORY,
    "user story": IssueType.STORY,
    "new feature": IssueType.STORY,
    "feature": IssueType.STORY,
    "epic": IssueType.EPIC,
    "sub-task": IssueType.SUBTASK,
    "subtask": IssueType.SUBTASK,
    "sub task": IssueType.SUBTASK,
}
# Trello's label colour names (and their _light/_dark variants) as Trello paints them.
TRELLO_COLOURS = {
    "green": "#61bd4f",
    "yellow": "#f2d600",
    "orange": "#ff9f1a",
    "red": "#eb5a46",
    "purple": "#c377e0",
    "blue": "#0079bf",
    "sky": "#00c2e0",
    "lime": "#51e898",
    "pink": "#ff78cb",
    "black": "#344563",
    "green_dark": "#1f845a",
    "yellow_dark": "#946f00",
    "orange_dark": "#c25100",
    "red_dark": "#c9372c",
    "purple_dark": "#6e5dc6",
    "blue_dark": "#0c66e4",
    "sky_dark": "#227d9b",
    "lime_dark": "#5b7f24",
    "pink_dark": "#ae4787",
    "black_dark": "#626f86",
    "green_light": "#baf3db",
    "yellow_light": "#f8e6a0",
    "orange_light": "#fedec8",
    "red_light": "#ffd5d2",
    "purple_light": "#dfd8fd",
    "blue_light": "#cce0ff",
    "sky_light": "#c6edfb",
    "lime_light": "#d3f1a7",
    "pink_light": "#fdd0ec",
    "black_light": "#dcdfe4",
}
_DONE_WORDS = ("done", "closed", "complete", "finished", "resolved", "shipped", "released")
_ACTIVE_WORDS = ("doing", "progress", "review", "testing", "qa", "wip", "active", "started")
_DATETIME_FORMATS = (
    "%d/%b/%y %I:%M %p",  # Jira's default: 05/Mar/24 10:15 AM
    "%d/%b/%Y %I:%M %p",
    "%d/%b/%y %H:%M",
    "%d/%b/%Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",
    "%d.%m.%Y %H:%M",
)
_DATE_FORMATS = ("%Y-%m-%d", "%d/%b/%y", "%d/%b/%Y", "%Y/%m/%d", "%d.%m.%Y")


def guess_category(name: str) -> StatusCategory | None:
    """A status category from words in its name, or None when nothing suggests one."""
    words = re.findall(r"[a-z]+", name.casefold())
    if any(w in _DONE_WORDS for w in words):
        return StatusCategory.DONE
    if any(w in _ACTIVE_WORDS for w in words):
        return StatusCategory.IN_PROGRESS
    return None


def parse_priority(text: str) -> Priority:
    """Our five names, Jira's names (Blocker..Trivial) or 1-5; ValueError otherwise."""
    word = text.strip().casefold()
    if word in JIRA_PRIORITIES:
        return JIRA_PRIORITIES[word]
    if word.isdigit() and 1 <= int(word) <= 5:
        return Priority(int(word))
    names = "highest, high, medium, low, lowest (or Blocker, Critical, Major, Minor, Trivial)"
    raise ValueError(f"unknown priority {text!r} (use one of: {names})")


def parse_type(text: str) -> IssueType:
    word = " ".join(text.strip().casefold().split())
    if word in ISSUE_TYPES:
        return ISSUE_TYPES[word]
    raise ValueError(f"unknown issue type {text!r} (use task, bug, story, epic or subtask)")


def parse_datetime(text: str) -> dt.datetime:
    """ISO 8601 (an offset is converted to UTC), Jira's formats or a bare date, as naive UTC."""
    value = text.strip()
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        for fmt in _DATETIME_FORMATS + _DATE_FORMATS:
            try:
                return dt.datetime.strptime(value, fmt)
            except ValueError:
                continue
        raise ValueError(f"{text!r} is not a date and time (use 2024-03-15 14:30)") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def parse_date(text: str) -> dt.date:
    try:
        return parse_datetime(text).date()
    except ValueError:
        raise ValueError(f"{text!r} is not a date (use 2024-03-15 or 15/Mar/24)") from None


def username_for(text: str) -> str:
    """A valid user name for a login, an e-mail or a display name ("Ana Núñez" -> ana.nunez)."""
    value = text.strip()
    if validation.USERNAME_RE.match(value):
        return value
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9_.@-]+", ".", plain.casefold()).strip(".-")
    if not name or not validation.USERNAME_RE.match(name[:63]):
        name = "user-" + hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:8]
    return name[:63]


def unescape_cell(text: str) -> str:
    """A cell without the `'` the export put before a formula-like text; any other `'` stays."""
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
        return text[1:]
    return text
