"""The quick switcher's search: keys, words, prefixes, marked snippets; same on both backends."""

from __future__ import annotations

from tracker_gui.domain.enums import IssueType
from tracker_gui.domain.highlight import mark, snippet
from tracker_gui.domain.models import NewIssue, SearchHit
from tracker_gui.services import Services


def _fill(services: Services) -> None:
    services.projects.ensure_project("TRK", "Tracker")
    services.projects.ensure_project("WEB", "Website")
    new = services.issues.create
    crash = "The app crashes when the password is wrong.\nSecond line."
    new(NewIssue("TRK", "Login crash on startup", IssueType.BUG, description=crash))
    new(NewIssue("TRK", "Export reports as PDF", description="Printable reports for managers."))
    dark = new(NewIssue("TRK", "Dark theme", description="Follow the system colours."))
    services.issues.comment(dark.id, "A login screen crash was seen here too")
    new(NewIssue("WEB", "Landing page copy", description="Write <b>bold</b> words & more."))
    for n in range(8):
        new(NewIssue("WEB", f"Filler issue {n}", description="Nothing to see."))


def _matched(hit: SearchHit) -> set[str]:
    return {t.lower() for t, m in (*hit.title, *hit.snippet) if m}


def test_words_find_title_description_and_comments(services: Services) -> None:
    _fill(services)
    hits = services.issues.find("crash")
    assert {h.key for h in hits} == {"TRK-1", "TRK-3"}
    # The title hit ranks first; its title is cut into plain and matched runs.
    assert hits[0].key == "TRK-1"
    assert hits[0].title == (("Login ", False), ("crash", True), (" on startup", False))
    assert hits[0].plain_title == "Login crash on startup"
    assert hits[0].status == "To Do"
    # The comment hit shows the comment, with the stemmed match marked.
    dark = hits[1]
    assert dark.plain_title == "Dark theme"
    assert "crash" in _matched(dark)
    assert "login screen" in "".join(t for t, _ in dark.snippet).lower()


def test_stemmed_word_and_prefix_while_typing(services: Services) -> None:
    _fill(services)
    # "crashes" in a description stems to "crash" on both engines.
    assert {h.key for h in services.issues.find("crashes")} == {"TRK-1", "TRK-3"}
    # The word being typed matches as a prefix: "print" finds "Printable".
    assert [h.key for h in services.issues.find("print")] == ["TRK-2"]
    assert [h.key for h in services.issues.find("expo")] == ["TRK-2"]
    # Two words: both must be there.
    assert [h.key for h in services.issues.find("login startup")] == ["TRK-1"]
    assert services.issues.find("zebra") == []
    assert services.issues.find("") == []
    assert services.issues.find("the") == []


def test_key_and_bare_number(services: Services) -> None:
    _fill(services)
    hits = services.issues.find("web-1")
    assert hits[0].key == "WEB-1" and hits[0].by_key
    assert hits[0].plain_title == "Landing page copy"
    assert services.issues.find("3", project_key="TRK")[0].key == "TRK-3"
    assert services.issues.find("#2", project_key="WEB")[0].key == "WEB-2"
    # Without a current project a bare number is only a word.
    assert all(not h.by_key for h in services.issues.find("3"))
    assert services.issues.find("TRK-999") == []


def test_user_markup_is_text(services: Services) -> None:
    _fill(services)
    hits = services.issues.find("bold")
    assert [h.key for h in hits] == ["WEB-1"]
    text = "".join(t for t, _ in hits[0].snippet)
    assert "<b>" in text and "&" in text
    assert "bold" in _matched(hits[0])


def test_limit(services: Services) -> None:
    _fill(services)
    assert len(services.issues.find("filler", limit=3)) == 3
    # Title matches newest first: the same order on both backends.
    assert [h.key for h in services.issues.find("filler")] == [f"WEB-{n}" for n in range(9, 1, -1)]


def test_mark_and_snippet() -> None:
    assert mark("Crashes on login", ["crash"]) == (("Crashes", True), (" on login", False))
    assert mark("no match", ["zebra"]) == (("no match", False),)
    long = "one two three four five six seven eight nine ten eleven twelve thirteen crash end"
    cut = snippet(["", long], ["crash"])
    assert ("crash", True) in cut
    assert "".join(t for t, _ in cut).startswith("… eleven twelve thirteen crash")
    # Nothing matches: the start of the first text that has any.
    assert snippet(["", "Just\nsome text"], ["zebra"]) == (("Just some text", False),)
    assert snippet(["", ""], ["x"]) == ()
