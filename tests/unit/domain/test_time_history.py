"""History sentences for time tracking's Change rows."""

from __future__ import annotations

from tracker_gui.domain.time_history import describe


def test_logged_and_removed() -> None:
    assert describe("logged", None, "90") == "logged 1h30m"
    assert describe("logged", None, "90", "TRK-4") == "logged 1h30m on TRK-4"
    assert describe("logged", "45", None) == "removed 45m of logged time"
    assert describe("logged", "600", None, "TRK-4") == "removed 10h of logged time from TRK-4"


def test_remaining_set_and_cleared() -> None:
    assert describe("remaining", None, "120") == "set the time remaining to 2h"
    assert describe("remaining", "120", "0", "TRK-4") == "set the time remaining on TRK-4 to 0m"
    assert describe("remaining", "120", None) == "cleared the time remaining"
    assert describe("remaining", "120", None, "TRK-4") == "cleared the time remaining on TRK-4"
