"""Tracker: a native, offline-first desktop issue tracker."""

__version__ = "0.1.0"
APP_NAME = "tracker-gui"
