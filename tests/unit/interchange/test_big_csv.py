"""A 50 MB CSV file: read as a stream (memory stays flat), with progress, refused cheaply."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from tests.unit.interchange.conftest import Check
from tracker_gui.domain.models import IssueFilter
from tracker_gui.interchange import ImportRejected, import_csv
from tracker_gui.services import Services

MB = 1024 * 1024
TEXT = "Steps to reproduce, expected and actual result, logs. " * 36  # ~2 KB a row


def write_csv(path: Path, size: int) -> int:
    """A realistic CSV of about `size` bytes; returns how many issues it holds."""
    lines = ["Title,Status,Priority,Assignee,Labels,Description\n"]
    total, n = len(lines[0]), 0
    while total < size:
        n += 1
        status = ("To Do", "In Progress", "Done")[n % 3]
        line = f'Generated issue {n},{status},{("low", "medium", "high")[n % 3]},user{n % 7},' \
            f'"area{n % 5}, bulk","{TEXT}"\n'  # fmt: skip
        lines.append(line)
        total += len(line)
    path.write_text("".join(lines), encoding="utf-8", newline="")
    return n


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("big") / "fifty.csv"
    return path, write_csv(path, 50 * MB)


def test_memory_does_not_grow_with_the_file(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "ten.csv"
    rows = write_csv(path, 10 * MB)
    tracemalloc.start()
    try:
        report = import_csv(services, path, project="BIG", dry_run=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.ok and report.created["issues"] == rows
    assert peak < 4 * MB  # a 10 MB file: only a chunk and one row are held at a time


def test_a_50_mb_file_is_checked_with_progress(services: Services, big: tuple[Path, int]) -> None:
    path, rows = big
    seen: list[tuple[int, int]] = []
    report = import_csv(
        services, path, project="BIG", dry_run=True, progress=lambda d, t: seen.append((d, t))
    )
    assert report.ok and report.created["issues"] == rows > 20_000
    assert len(seen) > 3 and seen[-1][0] <= seen[-1][1] == path.stat().st_size
    assert services.projects.projects() == []


def test_a_bad_byte_at_the_end_of_50_mb_is_found_and_nothing_changes(
    assert_unchanged: Check, big: tuple[Path, int], tmp_path: Path
) -> None:
    path = tmp_path / "bad-end.csv"
    data = big[0].read_bytes()
    path.write_bytes(data + b"Last one,To Do,low,user1,x,caf\xe9\n")
    offset = len(data) + len(b"Last one,To Do,low,user1,x,caf")

    def attempt(services: Services) -> None:
        with pytest.raises(ImportRejected) as caught:
            import_csv(services, path, project="WEB")
        assert f"byte {offset:,} (line {big[1] + 2})" in str(caught.value)

    assert_unchanged(attempt)


@pytest.mark.slow
def test_a_50_mb_file_imports_in_one_transaction(services: Services, big: tuple[Path, int]) -> None:
    path, rows = big
    done: list[int] = []
    report = import_csv(services, path, project="BIG", progress=lambda d, t: done.append(d))
    assert report.committed and report.created["issues"] == rows
    project = services.projects.project("BIG")
    assert services.issues.count(IssueFilter(project_ids=(project.id,))) == rows
    assert done[-1] == rows
    last = services.issues.by_key(f"BIG-{rows}")
    assert last.title == f"Generated issue {rows}" and last.labels == (f"area{rows % 5}", "bulk")
