"""Offline team mode in storage: the server's sync tables and the local replica file."""
