"""Link rows of the Change log: written with the other issue's id, shown with its key when readable.

A `link`/`unlink` row is written on both issues: the source's says `blocks #42`, the target's
`blocked by #41`. The key is looked up when the row is read, through the reader's own rights,
so a project the reader cannot see is never named. Rows written before this (`blocks TRK-2`)
have no `#id` and are shown as they are: the log is append-only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from tracker_gui.domain.models import Change

LINK_FIELDS = ("link", "unlink")
HIDDEN = "an issue in another project"

# The target's side of each kind; the source's side is the kind's own value. The database
# triggers (storage/postgres/sql_triggers.py) spell the same words: keep them in step.
INWARD = {"blocks": "blocked by", "relates": "relates", "duplicates": "duplicated by"}

# "<phrase> #<id>"; a negative id is an issue that was gone when a JSON file was written.
_REF = re.compile(r"^(?P<phrase>.+) #(?P<id>-?\d{1,18})$", re.DOTALL)


def text(kind: str, other_id: int, outward: bool) -> str:
    """The old/new text of a link row on one end: `blocks #42` or `blocked by #41`."""
    phrase = kind if outward else INWARD.get(kind, kind)
    return f"{phrase} #{other_id}"


def parse(value: str | None) -> tuple[str, int] | None:
    """(phrase, other issue id) of a row written by id; None for old `blocks TRK-2` text."""
    if value is None:
        return None
    found = _REF.match(value)
    if found is None:
        return None
    return found["phrase"], int(found["id"])


def value_of(change: Change) -> str | None:
    """The text that names the link: `new` for a link, `old` for an unlink."""
    return change.new if change.field == "link" else change.old


def other_ids(changes: Iterable[Change]) -> set[int]:
    """Ids of the issues the link rows among `changes` point at (to read their keys in one go)."""
    out = set()
    for change in changes:
        if change.field in LINK_FIELDS and (ref := parse(value_of(change))) is not None:
            out.add(ref[1])
    return out


def render(value: str | None, key_of: Callable[[int], str | None]) -> str:
    """A link row's text for people: the id becomes the key, or HIDDEN when it cannot be read.

    `key_of` must read through the viewer's rights (row-level security on a shared database):
    None means "nothing the viewer may read names it", and nothing else is said about it.
    """
    ref = parse(value)
    if ref is None:
        return value or ""
    phrase, other = ref
    return f"{phrase} {key_of(other) or HIDDEN}"
