"""PostgreSQL-only security: roles, row-level security, history triggers, membership."""

from __future__ import annotations

OWNER_ROLE = "tracker_owner"
USERS_ROLE = "tracker_users"
SECURITY_VERSION = 1
