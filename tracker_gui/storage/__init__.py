"""Persistence: the only package that imports peewee; SQLite files and PostgreSQL alike."""
