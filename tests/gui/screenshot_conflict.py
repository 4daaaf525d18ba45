"""Screenshots of the field conflict dialog: `python tests/gui/screenshot_conflict.py OUTDIR`.

Writes conflict.png (light) and conflict-dark.png: the dialog the detail pane shows when the
title being typed was changed elsewhere meanwhile. Regenerate the docs' copies with
`python tests/gui/screenshot_conflict.py docs/screenshots`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def settle(app: object, seconds: float = 0.3) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)
    outdir: Path = args.outdir
    outdir.mkdir(parents=True, exist_ok=True)

    from tracker_gui.app import make_application
    from tracker_gui.ui import theme
    from tracker_gui.ui.dialogs.conflict import FieldConflict, FieldConflictDialog

    app = make_application()
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=3)
    conflict = FieldConflict(
        key="TRK-42",
        field="title",
        mine="Board drag and drop loses the card's rank after a filter change",
        theirs="Drag and drop loses rank",
        changed_by="bob",
        changed_at=at,
    )
    for mode, name in (("light", "conflict.png"), ("dark", "conflict-dark.png")):
        theme.apply_theme(app, mode)
        dialog = FieldConflictDialog(conflict)
        dialog.show()
        settle(app)
        path = outdir / name
        if not dialog.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        print(path)
        dialog.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
