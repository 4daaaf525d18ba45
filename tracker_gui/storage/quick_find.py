"""The quick switcher's search: issues by key or by words, with highlighted title and snippet."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from tracker_gui.domain import highlight
from tracker_gui.domain.enums import StatusCategory, stored
from tracker_gui.domain.models import SearchHit
from tracker_gui.storage.database import Database
from tracker_gui.storage.search import STOPWORDS, words_of

_KEY = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]{0,9})-(\d{1,9})\s*$")
_NUMBER = re.compile(r"^\s*#?(\d{1,9})\s*$")
# A shorter prefix matches too many terms to be worth a scan of the index while typing.
MIN_PREFIX = 2
# Comments of one issue, oldest first, as one text (the snippet may come from them).
_COMMENTS = {
    "sqlite": """(SELECT group_concat(body, char(10)) FROM
        (SELECT body FROM comment WHERE issue_id = i.id ORDER BY id))""",
    "postgres": """(SELECT string_agg(body, E'\\n' ORDER BY id) FROM comment
        WHERE issue_id = i.id)""",
}


def _terms(text: str) -> tuple[list[str], str | None]:
    """Whole words (stop words dropped, as both indexes drop them) and the word being typed,
    searched as a prefix too when it is long enough."""
    words = words_of(text)
    if not words:
        return [], None
    *whole, last = words
    exact = [w for w in whole if w not in STOPWORDS]
    typing = last if len(last) >= MIN_PREFIX and last not in STOPWORDS else None
    if typing is None and last not in STOPWORDS:
        exact.append(last)
    return exact, typing


def _fts5_query(exact: list[str], typing: str | None) -> str:
    # Only letters and digits reach the quotes: no FTS5 operator can be typed in.
    parts = [f'"{w}"' for w in exact]
    if typing:
        parts.append(f'("{typing}" OR "{typing}" *)')
    # FTS5 reads an implicit AND between phrases only, not before a parenthesised group.
    return " AND ".join(parts)


def _tsquery(
    exact: list[str], typing: str | None, param: str, title: bool = False
) -> tuple[str, list[Any]]:
    """A tsquery expression: every whole word stemmed ('english'), the typed word either
    stemmed or as a raw prefix ('simple', since a stem of half a word means nothing).
    `title` keeps to the title's lexemes (weight A). Words are letters and digits only."""
    weight = "A" if title else ""
    parts: list[str] = []
    params: list[Any] = []
    for word in exact:
        parts.append(f"to_tsquery('english', {param})")
        params.append(f"{word}:{weight}" if weight else word)
    if typing:
        parts.append(f"(to_tsquery('english', {param}) || to_tsquery('simple', {param}))")
        params += [f"{typing}:{weight}" if weight else typing, f"{typing}:*{weight}"]
    return " && ".join(parts), params


class QuickFind:
    """Reads for the quick switcher; one instance per open database."""

    def __init__(self, database: Database) -> None:
        self.db = database

    def _sql(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return list(self.db.peewee.execute_sql(sql, list(params)).fetchall())

    def find(self, text: str, project_key: str | None, limit: int) -> list[SearchHit]:
        """The issue a key names first, then issues with the words in their title, then those
        with them in description or comments; newest first within each.

        Not ranked by bm25 / ts_rank: that scores every match, ~50-200 ms for a common word
        at 100,000 issues, while the newest matches come straight off the index in order.
        """
        limit = max(1, min(limit, 200))
        with self.db.reading():
            keyed = self._by_key(text, project_key)
            exact, typing = _terms(text)
            found: list[SearchHit] = []
            if exact or typing:
                if self.db.is_sqlite:
                    found = self._fts5(exact, typing, limit)
                else:
                    found = self._postgres(exact, typing, limit)
        if keyed is None:
            return found
        return [keyed, *[h for h in found if h.issue_id != keyed.issue_id]][:limit]

    # -- by key ------------------------------------------------------------------------
    def _by_key(self, text: str, project_key: str | None) -> SearchHit | None:
        if match := _KEY.match(text):
            project, number = match.group(1).upper(), int(match.group(2))
        elif (match := _NUMBER.match(text)) and project_key:
            project, number = project_key, int(match.group(1))
        else:
            return None
        p = self.db.peewee.param
        found = self._sql(
            f"""SELECT i.id, p.key, i.number, i.title, s.name, s.category
            FROM issue AS i JOIN project AS p ON p.id = i.project_id
            JOIN status AS s ON s.id = i.status_id
            WHERE p.key = {p} AND i.number = {p}""",
            [project, number],
        )
        if not found:
            return None
        iid, key, num, title, status, category = found[0]
        return SearchHit(
            iid,
            f"{key}-{num}",
            status,
            stored(StatusCategory, category),
            ((title, False),),
            by_key=True,
        )

    def _hits(self, ids: list[int], words: list[str]) -> list[SearchHit]:
        """The shown rows: key, status, the title and a snippet with the words marked."""
        p = self.db.peewee.param
        marks = ", ".join([p] * len(ids))
        comments = _COMMENTS["sqlite" if self.db.is_sqlite else "postgres"]
        rows = self._sql(
            f"""SELECT i.id, p.key, i.number, s.name, s.category, i.title, i.description,
                {comments}
            FROM issue AS i JOIN project AS p ON p.id = i.project_id
            JOIN status AS s ON s.id = i.status_id WHERE i.id IN ({marks})""",
            ids,
        )
        found = {r[0]: r for r in rows}
        out = []
        for iid in ids:
            if iid not in found:
                continue  # deleted between the two reads
            _, key, number, status, category, title, description, notes = found[iid]
            texts = [description or "", notes or ""]
            marked = highlight.mark(title, words)
            hit = SearchHit(
                iid, f"{key}-{number}", status, stored(StatusCategory, category), marked
            )
            out.append(replace(hit, snippet=highlight.snippet(texts, words)))
        return out

    # -- SQLite FTS5 -------------------------------------------------------------------
    def _fts5(self, exact: list[str], typing: str | None, limit: int) -> list[SearchHit]:
        match = _fts5_query(exact, typing)
        newest = "SELECT rowid FROM issue_fts WHERE issue_fts MATCH ? ORDER BY rowid DESC LIMIT ?"
        # Ids first; the snippets are made for the few rows shown only.
        ids = [r[0] for r in self._sql(newest, [f"title : ({match})", limit])]
        if len(ids) < limit:
            more = self._sql(newest, [match, limit + len(ids)])
            ids += [r[0] for r in more if r[0] not in ids][: limit - len(ids)]
        if not ids:
            return []
        return self._hits(ids, [*exact, *([typing] if typing else [])])

    # -- PostgreSQL tsvector -----------------------------------------------------------
    def _postgres(self, exact: list[str], typing: str | None, limit: int) -> list[SearchHit]:
        p = self.db.peewee.param
        tsq, params = _tsquery(exact, typing, p)
        in_title, title_params = _tsquery(exact, typing, p, title=True)

        def newest(query: str, values: list[Any], count: int) -> list[int]:
            sql = f"""SELECT issue_id FROM issue_search, ({"SELECT " + query}) AS q(query)
                WHERE document @@ q.query ORDER BY issue_id DESC LIMIT {p}"""
            return [r[0] for r in self._sql(sql, [*values, count])]

        ids = newest(in_title, title_params, limit)
        if len(ids) < limit:
            more = newest(tsq, params, limit + len(ids))
            ids += [i for i in more if i not in ids][: limit - len(ids)]
        if not ids:
            return []
        return self._hits(ids, [*exact, *([typing] if typing else [])])
