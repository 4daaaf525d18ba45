"""Find files under resources/ (source tree, installed copy or frozen bundle) by name."""

from __future__ import annotations

import sys
from pathlib import Path


def _roots() -> list[Path]:
    here = Path(__file__).resolve().parent
    roots = [here / "_resources", here.parent / "resources"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        roots.insert(0, Path(frozen) / "resources")
    return roots


def path(relative: str) -> Path:
    """The absolute path of resources/<relative>; raises FileNotFoundError for unknown names."""
    for root in _roots():
        candidate = root / relative
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no resource named {relative!r}")
