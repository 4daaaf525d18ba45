"""Persistence: the only package that imports peewee; SQLite files and PostgreSQL alike."""

from tracker_gui.storage import _driver

_driver.import_peewee_without_psycopg()
