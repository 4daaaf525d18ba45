"""Import and export: Trello JSON, Jira CSV, any CSV, and the app's own JSON backup."""

from tracker_gui.interchange.csv_export import COLUMNS, DEFAULT_COLUMNS, export_csv
from tracker_gui.interchange.csv_import import detect_encoding, guess_mapping, import_csv, preview
from tracker_gui.interchange.jira import import_jira
from tracker_gui.interchange.json_export import export_json
from tracker_gui.interchange.json_import import import_json
from tracker_gui.interchange.query import filter_from_query
from tracker_gui.interchange.report import (
    BadFile,
    ImportCancelled,
    ImportRejected,
    ImportReport,
    Problem,
)
from tracker_gui.interchange.trello import import_trello

__all__ = [
    "COLUMNS",
    "DEFAULT_COLUMNS",
    "BadFile",
    "ImportCancelled",
    "ImportRejected",
    "ImportReport",
    "Problem",
    "detect_encoding",
    "export_csv",
    "export_json",
    "filter_from_query",
    "guess_mapping",
    "import_csv",
    "import_jira",
    "import_json",
    "import_trello",
    "preview",
]
