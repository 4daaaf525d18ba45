"""The .deb's version and package relations (packaging/debpack.py), without building one."""

from __future__ import annotations

import itertools
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import debpack  # noqa: E402


@pytest.mark.parametrize(
    ("pep440", "expected"),
    [
        ("1.2.0", "1.2.0"),
        ("1.2.0rc1", "1.2.0~rc1"),
        ("1.2.0b2", "1.2.0~b2"),
        ("1.2.0a1", "1.2.0~a1"),
        ("1.2.0.dev3", "1.2.0~~dev3"),
        ("1.2.0rc1.dev2", "1.2.0~rc1~dev2"),
        ("1.2.0.post1", "1.2.0+post1"),
        ("0.1.0", "0.1.0"),
    ],
)
def test_debian_version(pep440: str, expected: str) -> None:
    assert debpack.debian_version(pep440) == expected


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs dpkg (Debian or Ubuntu)")
def test_pre_releases_sort_before_the_release_for_dpkg() -> None:
    import subprocess

    pep440 = ["1.2.0.dev1", "1.2.0a1", "1.2.0b2", "1.2.0rc1.dev2", "1.2.0rc1", "1.2.0"]
    ordered = [debpack.debian_version(v) for v in [*pep440, "1.2.0.post1"]]
    for low, high in itertools.pairwise(ordered):
        result = subprocess.run(["dpkg", "--compare-versions", low, "lt", high], check=False)
        assert result.returncode == 0, f"{low} < {high}"


def test_a_version_debian_cannot_order_is_refused() -> None:
    with pytest.raises(ValueError, match="not a version"):
        debpack.debian_version("latest")


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs dpkg (Debian or Ubuntu)")
def test_relations_name_the_packages_that_ship_the_libraries() -> None:
    libc = Path("/lib/x86_64-linux-gnu/libz.so.1")
    if not libc.exists():
        pytest.skip("no x86_64 zlib at the Debian path")
    depends, recommends, unowned = debpack.relations(
        {
            "libz.so.1": (str(libc), True),
            "libz-again.so": (str(libc), False),  # needed by the app too: Depends wins
            "libnothere.so.9": (None, False),
        }
    )
    assert depends == ["zlib1g"]
    assert recommends == []
    assert unowned == ["libnothere.so.9"]
