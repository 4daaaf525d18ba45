"""Generic CSV: the guessed mapping, the preview, importing through a mapping, and export."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from tests.unit.interchange.conftest import BAD, JIRA, TRELLO
from tracker_gui.domain.enums import IssueType, Priority, StatusCategory
from tracker_gui.domain.models import IssueFilter
from tracker_gui.errors import UserError, ValidationError
from tracker_gui.interchange import (
    COLUMNS,
    ImportRejected,
    detect_encoding,
    export_csv,
    filter_from_query,
    guess_mapping,
    import_csv,
    import_trello,
    preview,
)
from tracker_gui.services import Services

SHEET = (
    "Task name,Details,Assigned To,State,Severity,Tags,Tags,Deadline,Hours,Ticket\n"
    "Order new laptops,For the two new hires,Ana Núñez,Backlog,High,hardware,,2024-05-01,2,T-1\n"
    'Renew the domain,"Expires in June; auto-renew is off",,Doing,Low,admin,urgent,,0.5,T-2\n'
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_guess_mapping_reads_common_headers() -> None:
    headers = next(csv.reader([SHEET.splitlines()[0]]))
    assert guess_mapping(headers) == {
        "title": "Task name",
        "description": "Details",
        "assignee": "Assigned To",
        "status": "State",
        "priority": "Severity",
        "labels": "Tags",
        "due": "Deadline",
        "estimate": "Hours",
        "key": "Ticket",
    }


def test_guess_mapping_reads_our_own_export_and_trello_jira_words() -> None:
    assert set(guess_mapping(list(COLUMNS.values()))) == set(COLUMNS) - {"parent", "uid"}
    assert guess_mapping(["Card Name", "List Name", "Members"]) == {
        "title": "Card Name",
        "status": "List Name",
    }
    assert guess_mapping(["Summary", "Issue key", "Issue Type", "Created"])["key"] == "Issue key"
    assert guess_mapping(["Notes only"]) == {"description": "Notes only"}


def test_preview_shows_the_first_rows_and_the_guessed_mapping(tmp_path: Path) -> None:
    shown = preview(write(tmp_path / "sheet.csv", SHEET), rows=1)
    assert shown.problem is None and shown.encoding == "utf-8"
    assert shown.headers[:3] == ["Task name", "Details", "Assigned To"]
    assert shown.rows == [SHEET.splitlines()[1].split(",")]
    assert shown.mapping["title"] == "Task name"


def test_preview_of_a_file_that_is_not_utf8_says_where_and_suggests_one() -> None:
    shown = preview(BAD / "csv_cp1252.csv")
    assert shown.problem is not None and shown.problem.startswith("byte 64 (line 3): not valid")
    assert shown.suggested_encoding == "cp1252"
    assert shown.rows[1][0] == "Café menu"  # shown in the suggested encoding meanwhile
    assert preview(BAD / "csv_cp1252.csv", "cp1252").problem is None


def test_detect_encoding(tmp_path: Path) -> None:
    assert detect_encoding(JIRA) == "utf-8"
    assert detect_encoding(BAD / "csv_cp1252.csv") == "cp1252"
    odd = tmp_path / "odd.csv"
    odd.write_bytes(b"Title\n\x81\x8d\x8f\n")  # bytes cp1252 leaves undefined
    assert detect_encoding(odd) == "latin-1"
    wide = tmp_path / "wide.csv"
    wide.write_bytes("Title\nCafé\n".encode("utf-16"))
    assert detect_encoding(wide) == "utf-16"


def test_import_through_the_guessed_mapping(services: Services, tmp_path: Path) -> None:
    import_trello(services, TRELLO, project="OPS")
    report = import_csv(services, write(tmp_path / "sheet.csv", SHEET), project="OPS")
    assert report.key_map == {"T-1": "OPS-14", "T-2": "OPS-15"}
    laptops, domain = services.issues.by_key("OPS-14"), services.issues.by_key("OPS-15")
    status = {s.id: s.name for s in services.projects.statuses(laptops.project_id)}
    assert (laptops.title, laptops.description, laptops.assignee) == (
        "Order new laptops", "For the two new hires", "ana.nunez",
    )  # fmt: skip
    assert (status[laptops.status_id], laptops.priority, laptops.labels) == (
        "Backlog", Priority.HIGH, ("hardware",),
    )  # fmt: skip
    assert (laptops.due, laptops.estimate, laptops.type) == (
        dt.date(2024, 5, 1),
        2.0,
        IssueType.TASK,
    )
    assert domain.description == "Expires in June; auto-renew is off"
    assert domain.labels == ("admin", "urgent")  # from two columns named Tags
    assert (domain.assignee, domain.estimate) == (None, 0.5)
    users = {u.username: u.display_name for u in services.projects.users()}
    assert users["ana.nunez"] == "Ana Núñez"


def test_an_explicit_mapping_and_a_new_project(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path / "sheet.csv", SHEET)
    mapping = {"title": "Details", "status": "State"}
    report = import_csv(services, path, project="NEW", mapping=mapping)
    assert report.created["projects"] == 1
    new = services.projects.project("NEW")
    got = [(s.name, s.category) for s in services.projects.statuses(new.id)]
    assert got == [("Backlog", StatusCategory.TODO), ("Doing", StatusCategory.IN_PROGRESS)]
    assert services.issues.by_key("NEW-2").title == "Expires in June; auto-renew is off"
    assert services.issues.by_key("NEW-2").labels == ()


def test_without_a_status_column_a_new_project_gets_the_default_workflow(
    services: Services, tmp_path: Path
) -> None:
    import_csv(services, write(tmp_path / "t.csv", "Title\nOne\nTwo\n"), project="NEW")
    new = services.projects.project("NEW")
    assert [s.name for s in services.projects.statuses(new.id)] == [
        "To Do", "In Progress", "In Review", "Done",
    ]  # fmt: skip
    assert services.issues.by_key("NEW-2").status_id == services.projects.statuses(new.id)[0].id


def test_mapping_problems_are_named(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path / "sheet.csv", SHEET)
    cases = [
        ({"status": "State"}, "row 1 (the header): no column for the title: map one"),
        ({"title": "Nope"}, "row 1 (the header): no column named 'Nope'"),
        ({"title": "Details", "colour": "Tags"}, "mapping: unknown field 'colour'"),
    ]
    for mapping, message in cases:
        with pytest.raises(ImportRejected) as caught:
            import_csv(services, path, project="NEW", mapping=mapping)
        assert message in str(caught.value)
    assert services.projects.projects() == []


def test_a_missing_status_can_be_created(services: Services) -> None:
    import_trello(services, TRELLO, project="WEB")
    report = import_csv(services, BAD / "csv_unknown_status.csv", project="WEB",
                        create_statuses=True)  # fmt: skip
    web = services.projects.project("WEB")
    blocked = [s for s in services.projects.statuses(web.id) if s.name == "Blocked"]
    assert report.created["statuses"] == 1 and len(blocked) == 1
    flt = IssueFilter(project_ids=(web.id,), status_names=("Blocked",))
    assert [i.title for i in services.issues.search(flt)] == [
        "Wait for the legal review", "Ask the vendor",
    ]  # fmt: skip


def test_export_the_filter_with_chosen_columns(services: Services, tmp_path: Path) -> None:
    import_trello(services, TRELLO)
    out = tmp_path / "out.csv"
    flt = filter_from_query(services, "project:WR label:bug")
    assert export_csv(services, out, flt, ["key", "title", "status", "labels", "parent"]) == 2
    with out.open(encoding="utf-8", newline="") as fh:
        assert list(csv.reader(fh)) == [
            ["Key", "Title", "Status", "Labels", "Parent"],
            ["WR-4", "Fix broken footer links", "Doing", "bug, frontend", ""],
            ["WR-5", "Contact form sends to the wrong inbox", "Code Review", "bug", ""],
        ]
    export_csv(services, out, filter_from_query(services, "type:subtask Send"), ["key", "parent"])
    assert out.read_text("utf-8").splitlines() == ["Key,Parent", "WR-12,WR-5"]
    with pytest.raises(ValidationError, match="unknown column 'colour'"):
        export_csv(services, out, None, ["key", "colour"])


def test_export_then_import_gives_the_same_issues(services: Services, tmp_path: Path) -> None:
    import_trello(services, TRELLO)
    out = tmp_path / "all.csv"
    columns = [c for c in COLUMNS if c not in ("key", "uid", "parent")]
    everything = filter_from_query(services, "project:WR archived:yes")
    export_csv(services, out, everything, columns)
    import_csv(services, out, project="COPY")
    copy = tmp_path / "copy.csv"
    export_csv(services, copy, filter_from_query(services, "project:COPY archived:yes"), columns)
    assert out.read_text("utf-8") == copy.read_text("utf-8")


def test_the_stopgap_query_words_still_read(services: Services) -> None:
    """Export's earlier words keep working: they are rewritten into the query language."""
    services.projects.ensure_project("WR", "Website")
    text = 'project:WR status:"In Progress" assignee:none label:ui label:x priority:high '
    flt = filter_from_query(services, text + "type:bug archived:yes due-before:2024-06-01 login")
    assert flt.query == (
        'project:WR status:"In Progress" assignee:none label:ui label:x priority:high '
        "type:bug is:archived due<2024-06-01 login"
    )
    assert filter_from_query(services, "overdue-on:2024-01-02 x").query == (
        "(due<2024-01-02 is:open) x"
    )
    with pytest.raises(UserError, match="unknown field 'colour'"):
        filter_from_query(services, "colour:red")
    with pytest.raises(UserError, match="urgent"):
        filter_from_query(services, "priority:urgent")


def test_an_empty_file_and_a_header_only_file(services: Services, tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.csv", "")
    assert preview(empty).problem == f"{empty}: the file is empty"
    with pytest.raises(ImportRejected, match="the file is empty"):
        import_csv(services, empty, project="NEW")
    header = write(tmp_path / "header.csv", "Title,Status\n")
    report = import_csv(services, header, project="NEW", dry_run=True)
    assert [str(p) for p in report.warnings] == ["header.csv: no rows to import below the header"]


def test_a_status_an_import_creates_lands_before_done_and_a_done_one_after(
    services: Services, tmp_path: Path
) -> None:
    """The board reads left to right, to-do to done: a created column never follows Done."""
    project, _ = services.projects.ensure_project("TRK", "Tracker")
    path = tmp_path / "new.csv"
    path.write_text("Title,Status\nOne,Triage\nTwo,Shipped\nThree,Done\n", encoding="utf-8")
    report = import_csv(services, path, project="TRK", create_statuses=True)
    assert report.committed and report.created["statuses"] == 2
    statuses = services.projects.statuses(project.id)
    assert [(s.name, s.category.value) for s in statuses] == [
        ("To Do", "todo"),
        ("In Progress", "in_progress"),
        ("In Review", "in_progress"),
        ("Triage", "todo"),
        ("Done", "done"),
        ("Shipped", "done"),
    ]
    assert [s.position for s in statuses] == list(range(6))
    by_status = {s.name: [i.title for i in services.issues.search(
        IssueFilter(status_ids=(s.id,)))] for s in statuses}  # fmt: skip
    assert by_status["Triage"] == ["One"] and by_status["Shipped"] == ["Two"]
