"""Version 8 (PostgreSQL): the database checks every value the app assumes.

A login that skips the app could store `priority = 99`, an unknown type, a BC due date or a
malformed rank, and every window of that project then failed to open. The CHECKs below match
tracker_gui/domain (enums, validation.py limits, rank.py's key format). On an existing
database, rows that break an enum or range rule are reported (logged) and set to a safe value
first (on a secured database the triggers write that fix to the history); rows that break a
rule with no safe value (a size, a rank) are reported and the constraint is added NOT VALID:
new writes are checked, old rows stay. The upgrade never fails on a row.
SQLite is a single user's own file: nothing changes there.
"""

import logging

import peewee

from tracker_gui.domain import validation
from tracker_gui.domain.enums import IssueType, LinkKind, StatusCategory

log = logging.getLogger(__name__)


def _one_of(column, values):
    listed = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({listed})"


def _rank_pattern():
    """rank.py's key: a head giving the integer part's length, its digits, then an optional
    base-36 fraction without a trailing zero."""
    heads = [(h, i + 1) for i, h in enumerate("abcdefghijklmnopqrstuvwxyz")]
    heads += [(h, 10 - i) for i, h in enumerate("0123456789")]
    whole = "|".join(f"{h}[0-9a-z]{{{n}}}" for h, n in heads)
    return f"^({whole})([0-9a-z]*[1-9a-z])?$"


SANE_DAY = "BETWEEN '1900-01-01' AND '9999-12-31'"
SANE_TIME = "BETWEEN '1900-01-01' AND '9999-12-31 23:59:59'"
BIG = validation.DESCRIPTION_MAX_BYTES

# (table, constraint, condition, safe value to SET on rows that break it, or None: NOT VALID)
CHECKS = [
    ("issue", "issue_priority_known", "priority BETWEEN 1 AND 5", "priority = 3"),
    ("issue", "issue_type_known", _one_of("type", [t.value for t in IssueType]), "type = 'task'"),
    ("issue", "issue_due_sane", f"due IS NULL OR due {SANE_DAY}", "due = NULL"),
    (
        "issue",
        "issue_estimate_sane",
        "estimate IS NULL OR estimate BETWEEN 0 AND 100000",
        "estimate = NULL",
    ),
    ("issue", "issue_rank_format", f"rank ~ '{_rank_pattern()}'", None),
    (
        "issue",
        "issue_title_size",
        f"char_length(title) BETWEEN 1 AND {validation.TITLE_MAX} AND title !~ '[\\n\\r]'",
        None,
    ),
    ("issue", "issue_description_size", f"octet_length(description) <= {BIG}", None),
    (
        "issue",
        "issue_times_sane",
        f"created_at {SANE_TIME} AND updated_at {SANE_TIME}"
        f" AND (resolved_at IS NULL OR resolved_at {SANE_TIME})",
        None,
    ),
    (
        "comment",
        "comment_body_size",
        f"octet_length(body) <= {validation.COMMENT_MAX_BYTES} AND btrim(body) <> ''",
        None,
    ),
    ("comment", "comment_time_sane", f"created_at {SANE_TIME}", None),
    (
        "issue_link",
        "issue_link_kind_known",
        _one_of("kind", [k.value for k in LinkKind]),
        "kind = 'relates'",
    ),
    (
        "status",
        "status_category_known",
        _one_of("category", [c.value for c in StatusCategory]),
        "category = 'todo'",
    ),
    (
        "status",
        "status_wip_limit_sane",
        "wip_limit IS NULL OR wip_limit BETWEEN 1 AND 10000",
        "wip_limit = NULL",
    ),
    ("status", "status_colour_format", "colour ~ '^(#[0-9a-fA-F]{6})?$'", "colour = ''"),
    ("status", "status_name_size", f"char_length(name) BETWEEN 1 AND {validation.NAME_MAX}", None),
    ("label", "label_colour_format", "colour ~ '^(#[0-9a-fA-F]{6})?$'", "colour = ''"),
    (
        "label",
        "label_name_size",
        f"char_length(name) BETWEEN 1 AND {validation.LABEL_MAX}",
        None,
    ),
    ("project", "project_key_format", "key ~ '^[A-Z][A-Z0-9]{1,9}$'", None),
    ("project", "project_name_size", "char_length(name) BETWEEN 1 AND 200", None),
    ("project", "project_description_size", f"octet_length(description) <= {BIG}", None),
    ("app_user", "app_user_display_name_size", "char_length(display_name) <= 200", None),
    # One line, no control characters: a line break could push the "(login)" shown beside a
    # display name out of a one-line label (an impersonation by layout).
    (
        "app_user",
        "app_user_display_name_plain",
        "display_name !~ '[[:cntrl:]]'",
        "display_name = regexp_replace(display_name, '[[:cntrl:]]', ' ', 'g')",
    ),
    (
        "attachment",
        "attachment_size",
        f"octet_length(data) <= {validation.ATTACHMENT_MAX_BYTES} AND size = octet_length(data)",
        None,
    ),
    ("saved_filter", "saved_filter_size", "octet_length(query) <= 100000", None),
    ("saved_filter", "saved_filter_name_present", "btrim(name) <> ''", None),
    # The history of a 1 MB description holds it twice; nothing bigger is ever logged.
    (
        "change",
        "change_text_size",
        f"octet_length(coalesce(old, '')) <= {BIG} AND octet_length(coalesce(new, '')) <= {BIG}",
        None,
    ),
]


def up(migrator, db):
    if not isinstance(db, peewee.PostgresqlDatabase):
        return
    for table, name, condition, safe in CHECKS:
        bad = db.execute_sql(f'SELECT id FROM "{table}" WHERE NOT ({condition})').fetchall()
        ids = [row[0] for row in bad]
        if ids:
            shown = ", ".join(str(i) for i in ids[:20]) + (" ..." if len(ids) > 20 else "")
            what = f"set {safe}" if safe else "kept; the check applies to new writes"
            log.warning("%d %s rows break %s (ids %s): %s", len(ids), table, name, shown, what)
            if safe:
                db.execute_sql(f'UPDATE "{table}" SET {safe} WHERE NOT ({condition})')
        db.execute_sql(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"')
        db.execute_sql(
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" CHECK ({condition}) NOT VALID'
        )
        if not ids or safe:
            db.execute_sql(f'ALTER TABLE "{table}" VALIDATE CONSTRAINT "{name}"')
