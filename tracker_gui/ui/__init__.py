"""Qt user interface: the only package that imports PySide6."""

# Before any PySide6 call: protect None/True/False from PySide6 6.12's refcount bug on 3.11.
from tracker_gui.ui import pyside_compat as _pyside_compat  # noqa: F401
