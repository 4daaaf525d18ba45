"""The CSV import takes off the `'` an export puts before formula-like text, and no other."""

from __future__ import annotations

import csv
from pathlib import Path

from tracker_gui.domain.models import IssueFilter
from tracker_gui.interchange import import_csv
from tracker_gui.interchange.values import unescape_cell
from tracker_gui.services import Services

ROWS = [
    # (cell as written, title stored)
    ('\'=HYPERLINK("http://x","click")', '=HYPERLINK("http://x","click")'),
    ("'+1 for this", "+1 for this"),
    ("'-5 degrees", "-5 degrees"),
    ("'@alice please look", "@alice please look"),
    ("'quoted on purpose", "'quoted on purpose"),
    ("''=kept: the export never doubles", "''=kept: the export never doubles"),
    ("it's fine", "it's fine"),
    ("'", "'"),
]


def test_unescape_cell_takes_off_only_the_exports_quote() -> None:
    assert unescape_cell("'\tindented") == "\tindented"
    assert unescape_cell("'\rreturn") == "\rreturn"
    assert unescape_cell("'=1+1") == "=1+1"
    assert unescape_cell("'a") == "'a"
    assert unescape_cell("'") == "'"
    assert unescape_cell("=1+1") == "=1+1"  # not ours to change: stored as given
    assert unescape_cell("''=x") == "''=x"


def test_the_csv_import_stores_titles_labels_and_descriptions_unescaped(
    services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "formulas.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Title", "Description", "Labels"])
        out.writerow(["label and description", "'-- a list\nof things", "'-urgent;'plain"])
        for cell, _ in ROWS:
            out.writerow([cell, "", ""])
    report = import_csv(services, path, project="FX")
    assert report.committed, report.problems
    issues = services.issues.search(IssueFilter(include_archived=True))
    by_number = sorted(issues, key=lambda i: i.number)
    assert [i.title for i in by_number] == ["label and description"] + [s for _, s in ROWS]
    first = services.issues.detail(by_number[0].id)
    assert first.issue.description == "-- a list\nof things"
    assert sorted(first.issue.labels) == ["'plain", "-urgent"]
