"""Links between projects in history: both ends record them, a hidden end is never named."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.attacks import PASSWORD, login
from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured, drop, make_secured
from tests.unit.conftest import Board
from tracker_gui.cli import main
from tracker_gui.cli_format import StatusNames, history_lines
from tracker_gui.domain import link_history
from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import Change, NewIssue
from tracker_gui.services import Services, open_services
from tracker_gui.storage.postgres import provision

HIDDEN = "an issue in another project"


def _lines(s: Services, key: str) -> list[str]:
    """The CLI `show` history phrases of one issue, oldest first, as `s`'s login reads them."""
    detail = s.issues.detail(s.issues.by_key(key).id)
    return [text for _, text in history_lines(s, detail, StatusNames(s))]


def _links(lines: list[str]) -> list[str]:
    return [x for x in lines if x.startswith(("linked", "removed the link"))]


# -- both plain backends (SQLite, PostgreSQL without row-level security) ----------------------
def test_a_link_between_projects_is_in_both_histories_by_key(board: Board) -> None:
    s = board.services
    s.projects.ensure_project("OPS", "Operations")
    a = board.new("Blocker")
    b = s.issues.create(NewIssue("OPS", "Blocked"))
    s.issues.link(a.id, LinkKind.BLOCKS, b.key)
    s.issues.link(b.id, LinkKind.DUPLICATES, a.key)
    s.issues.unlink(a.id, LinkKind.BLOCKS, b.key)
    assert _links(_lines(s, a.key)) == [
        f"linked: blocks {b.key}",
        f"linked: duplicated by {b.key}",
        f"removed the link: blocks {b.key}",
    ]
    assert _links(_lines(s, b.key)) == [
        f"linked: blocked by {a.key}",
        f"linked: duplicates {a.key}",
        f"removed the link: blocked by {a.key}",
    ]
    # The issue at the other end deleted: named from its own history, which the reader may read.
    s.issues.delete(b.id, s.issues.get(b.id).version)
    assert _links(_lines(s, a.key))[0] == f"linked: blocks {b.key} (deleted)"
    # An id that names nothing the reader can read (never an issue, or a hidden one).
    s.projects.catalog.append_changes([(a.project_id, a.id, "bob", "link", None, "relates #98765")])
    assert _links(_lines(s, a.key))[-1] == f"linked: relates {HIDDEN}"


def test_rows_written_before_by_key_are_shown_as_they_are(board: Board) -> None:
    """The log is append-only: an old `blocks TRK-2` row is never rewritten, and reads as before."""
    s = board.services
    a, b = board.new("Old"), board.new("Other")
    s.projects.catalog.append_changes(
        [(board.project.id, a.id, "bob", "link", None, f"blocks {b.key}")]
    )
    assert _links(_lines(s, a.key)) == [f"linked: blocks {b.key}"]


def test_link_text_parses_only_what_the_app_writes() -> None:
    assert link_history.text("blocks", 42, outward=True) == "blocks #42"
    assert link_history.text("blocks", 41, outward=False) == "blocked by #41"
    assert link_history.text("relates", 7, outward=False) == "relates #7"
    assert link_history.parse("duplicated by #-3") == ("duplicated by", -3)
    for old in ("blocks TRK-2", "blocks #", "blocks #12a", None, "#12"):
        assert link_history.parse(old) is None
    keys = {42: "OPS-1"}.get
    assert link_history.render("blocks #42", keys) == "blocks OPS-1"
    assert link_history.render("blocks #43", keys) == f"blocks {HIDDEN}"
    assert link_history.render("blocks OPS-9", keys) == "blocks OPS-9"


# -- a secured database: what a member of one project alone can read -------------------------
@pytest.fixture
def secured(pg_tcp_cluster: TcpCluster) -> Iterator[Secured]:
    logins = {"both": ("TRK", "member"), "one": ("TRK", "member")}
    db = make_secured(pg_tcp_cluster, logins=logins, password=PASSWORD, prefix="lnk_")
    admin = open_services(db.super_url)
    try:
        provision.grant(admin.database, db.logins["both"], "OPS", "admin")  # may delete there too
    finally:
        admin.close()
    yield db
    drop(db)


def _show(db: Secured, who: str, key: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    code = main(["--db", db.url(who), "show", key])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


@pytest.mark.postgres
def test_break6_a_member_of_one_end_never_reads_the_other_ends_key(
    secured: Secured, capsys: pytest.CaptureFixture[str]
) -> None:
    both = secured.services("both")
    a = both.issues.create(NewIssue("TRK", "Ship it"))
    b = both.issues.create(NewIssue("OPS", "Hidden ops work"))
    both.issues.link(a.id, LinkKind.BLOCKS, b.key)
    # The member of both projects: each end's history names the other.
    assert _links(_lines(both, a.key)) == [f"linked: blocks {b.key}"]
    assert _links(_lines(both, b.key)) == [f"linked: blocked by {a.key}"]

    one = secured.services("one")  # a member of TRK only
    assert _links(_lines(one, a.key)) == [f"linked: blocks {HIDDEN}"]
    shown = _show(secured, "one", a.key, capsys)
    assert f"linked: blocks {HIDDEN}" in shown
    assert "OPS" not in shown and b.title not in shown

    both.issues.unlink(a.id, LinkKind.BLOCKS, b.key)
    assert _links(_lines(both, b.key)) == [
        f"linked: blocked by {a.key}",
        f"removed the link: blocked by {a.key}",
    ]
    assert _links(_lines(one, a.key)) == [
        f"linked: blocks {HIDDEN}",
        f"removed the link: blocks {HIDDEN}",
    ]
    shown = _show(secured, "one", a.key, capsys)
    assert f"removed the link: blocks {HIDDEN}" in shown
    assert "OPS" not in shown

    # As the attacker: the login's own password, plain SQL. Every Change row it can read
    # (its own project's) says nothing of OPS; OPS's rows themselves stay out of reach.
    with login(secured, "one") as conn:
        rows = conn.execute(
            'SELECT project_id, issue_id, field, "old", "new" FROM change'
        ).fetchall()
        keys = conn.execute("SELECT key FROM project").fetchall()
    assert keys == [("TRK",)]
    assert {r[1] for r in rows if r[2] in ("link", "unlink")} == {a.id}
    assert not [r for r in rows if any("OPS" in str(v) or "Hidden" in str(v) for v in r)]
    # Nor does the app's own history read: every row as the service gives it.
    history: list[Change] = list(one.issues.detail(a.id).history)
    assert not [c for c in history if "OPS" in f"{c.old} {c.new}"]
    # The hidden end deleted: its `deleted` row is in OPS, out of reach; still not named.
    both.issues.delete(b.id, both.issues.get(b.id).version)
    assert _links(_lines(both, a.key))[0] == f"linked: blocks {b.key} (deleted)"
    assert _links(_lines(one, a.key))[0] == f"linked: blocks {HIDDEN}"
