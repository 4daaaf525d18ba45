"""Logging set-up: a rotating file under the log dir, SQL logging with --debug."""

from __future__ import annotations

import logging
import logging.handlers

from tracker_gui import paths


def init(debug: bool = False) -> str | None:
    """Attach the rotating file handler; return the log path (None if the dir is unwritable)."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    if debug:
        logging.getLogger("peewee").setLevel(logging.DEBUG)
    try:
        directory = paths.log_dir()
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "tracker.log"
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return str(path)
