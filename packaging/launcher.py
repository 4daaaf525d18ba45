"""Entry script of the frozen app: the same `main` as the `tracker-gui` console script."""

import sys

from tracker_gui.cli import main

if __name__ == "__main__":
    sys.exit(main())
