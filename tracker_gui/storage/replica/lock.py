"""One pusher per replica: an exclusive lock on a file beside it, shared by window and CLI.

The operating system drops the lock when its holder exits, however it exits (`kill -9`
included), so a crashed sync never leaves the replica locked.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tracker_gui.errors import StorageError


@contextlib.contextmanager
def held(replica: Path, wait: float = 30.0) -> Iterator[None]:
    """Hold the replica's sync lock for the block, waiting up to `wait` seconds for it."""
    path = Path(f"{replica}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        deadline = time.monotonic() + wait
        while not _try(fd):
            if time.monotonic() >= deadline:
                raise StorageError(
                    "another Tracker is syncing this offline copy", "try again in a moment"
                )
            time.sleep(0.05)
        try:
            yield
        finally:
            _release(fd)
    finally:
        os.close(fd)


def busy(replica: Path) -> bool:
    """Whether some process holds the replica's sync lock now (a sync is running)."""
    path = Path(f"{replica}.lock")
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        if _try(fd):
            _release(fd)
            return False
        return True
    finally:
        os.close(fd)


def _try(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _release(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)
