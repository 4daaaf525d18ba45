"""`python -m tracker_gui` runs the same entry point as the `tracker-gui` script."""

import sys

from tracker_gui.cli import main

sys.exit(main())
