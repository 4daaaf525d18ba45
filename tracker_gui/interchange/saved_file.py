"""An export's file written whole or not at all, with the mode any saved file gets."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


def _umask() -> int:
    """The process's umask: read from /proc where it is shown, else set and put back."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def saved_file(path: Path, suffix: str, encoding: str, newline: str) -> Iterator[TextIO]:
    """A text stream into a temporary file beside `path`, renamed over it once the block
    ends cleanly (a cancel or failure leaves no partial file).

    mkstemp makes its file 0600; the export is the user's document, so it gets what
    opening a new file would give (0666 less the umask), as the editor's "save" does.
    """
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=suffix, dir=path.parent or ".")
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = ["saved_file"]
