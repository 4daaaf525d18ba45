"""The JSON backup (version 3) carries work logs, remaining times and work calendars; older
versions still import."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.unit.interchange.test_json import populate
from tracker_gui.domain.durations import WorkCalendar
from tracker_gui.interchange import export_json, import_json
from tracker_gui.interchange.json_export import build
from tracker_gui.services import Services, open_services
from tracker_gui.services.worklogs import WorklogService


def add_time(s: Services) -> None:
    time = WorklogService.of(s)
    font, shop = s.issues.by_key("WR-1"), s.issues.by_key("SHOP-1")
    time.log(font.id, "1h30m", on=dt.date(2024, 4, 2), note="first pass — ünïcödé")
    time.log(font.id, "45m", on=dt.date(2024, 4, 3))
    gone = time.log(shop.id, "2h", on=dt.date(2024, 4, 3))
    time.remove(gone.id)  # its rows stay in the history
    time.log(shop.id, "3h", on=dt.date(2024, 4, 4), note="pairing")
    time.set_remaining(font.id, "4h")
    time.set_calendar(s.projects.project("SHOP").id, WorkCalendar(day_minutes=450, week_days=4))


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Services]:
    services = open_services(str(tmp_path / "source.db"), create=True, actor="alice")
    populate(services)
    add_time(services)
    yield services
    services.close()


def _time_of(s: Services) -> dict[str, Any]:
    time = WorklogService.of(s)
    out: dict[str, Any] = {}
    for key in ("WR-1", "SHOP-1"):
        issue = s.issues.by_key(key)
        spent = time.spent_on(issue.id)
        logs = [(w.user, w.on, w.minutes, w.note) for w in time.entries(issue.id)]
        out[key] = (logs, spent.logged, spent.remaining, spent.remaining_set)
    out["calendars"] = [time.calendar(s.projects.project(k).id) for k in ("SHOP", "WR")]
    return out


def test_version_3_has_the_worklogs_and_remaining_minutes(source: Services) -> None:
    doc = build(source)
    assert doc["version"] == 3
    assert list(doc) == [
        "format", "version", "users", "projects", "sprints", "saved_filters", "worklogs",
        "history",
    ]  # fmt: skip
    font = source.issues.by_key("WR-1")
    assert doc["worklogs"][0] == {
        "issue": font.uid, "user": "alice", "on": "2024-04-02", "minutes": 90,
        "note": "first pass — ünïcödé", "created_at": doc["worklogs"][0]["created_at"],
    }  # fmt: skip
    assert len(doc["worklogs"]) == 3
    issues = {i["uid"]: i for p in doc["projects"] for i in p["issues"]}
    assert issues[font.uid]["remaining_minutes"] == 240
    shop = next(p for p in doc["projects"] if p["key"] == "SHOP")
    assert (shop["work_day_minutes"], shop["week_days"]) == (450, 4)


def test_work_logs_survive_a_round_trip_on_each_backend(
    source: Services, services: Services, tmp_path: Path
) -> None:
    out, again = tmp_path / "out.json", tmp_path / "again.json"
    export_json(source, out)
    report = import_json(services, out)
    assert report.committed and report.ok
    assert report.created["work logs"] == 3
    export_json(services, again)
    assert out.read_text("utf-8") == again.read_text("utf-8")
    assert _time_of(services) == _time_of(source)


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_file_without_time_still_imports(
    source: Services, services: Services, tmp_path: Path, version: int
) -> None:
    doc = build(source)
    doc["version"] = version
    del doc["worklogs"]
    for project in doc["projects"]:
        del project["work_day_minutes"], project["week_days"]
        for issue in project["issues"]:
            del issue["remaining_minutes"]
    doc["history"] = [h for h in doc["history"] if h["field"] not in ("logged", "remaining")]
    old = tmp_path / f"v{version}.json"
    old.write_text(json.dumps(doc), "utf-8")
    report = import_json(services, old)
    assert report.committed and report.ok
    time = WorklogService.of(services)
    font = services.issues.by_key("WR-1")
    assert time.entries(font.id) == []
    assert time.spent_on(font.id).remaining == 90  # estimate 1.5 h, nothing logged
    assert time.calendar(services.projects.project("SHOP").id) == WorkCalendar()


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["worklogs"][0].update(minutes=0), "worklogs[0].minutes"),
        (lambda d: d["worklogs"][0].update(issue="nope"), "worklogs[0].issue"),
        (lambda d: d["worklogs"][0].update(user="nobody"), "worklogs[0].user"),
        (lambda d: d["worklogs"][0].update(on="2024-13-01"), "worklogs[0].on"),
        (lambda d: d["worklogs"][0].update(note="x" * 2001), "worklogs[0].note"),
        (lambda d: d["projects"][0].update(week_days=9), "projects[0].work_day_minutes"),
        (lambda d: d["projects"][0]["issues"][0].update(remaining_minutes=-1), "remaining"),
    ],
)
def test_bad_time_values_are_refused_by_field_and_nothing_is_imported(
    source: Services, services: Services, tmp_path: Path, change: Any, where: str
) -> None:
    doc = build(source)
    change(doc)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), "utf-8")
    report = import_json(services, bad, dry_run=True)
    assert not report.ok
    assert any(where in line for line in report.lines()), report.lines()
