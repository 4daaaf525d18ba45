"""The quick switcher's search: issues by key or by words, with highlighted title and snippet."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import SearchHit, Segment
from tracker_gui.storage.database import Database
from tracker_gui.storage.search import STOPWORDS, words_of

# Private-use characters mark matches inside the engine's snippet text; they are cut into
# segments here, so no layer above ever reads markup. A user text holding these very
# characters can only shift a highlight, never break the result.
START, STOP = "\ue000", "\ue001"
# ts_headline's parser reads `<b>` as an HTML tag and drops it: `<` is swapped for this
# control character (a separator to the parser, never in typed text) on the way in and back
# on the way out, so user text stays as typed.
LT = "\x01"
_MARKS = re.compile(f"{START}(.*?){STOP}", re.S)
_KEY = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]{0,9})-(\d{1,9})\s*$")
_NUMBER = re.compile(r"^\s*#?(\d{1,9})\s*$")
# A shorter prefix matches too many terms to be worth a scan of the index while typing.
MIN_PREFIX = 2
SNIPPET_WORDS = 12


def segments(marked: str | None) -> tuple[Segment, ...]:
    """Engine text with START/STOP marks -> [(text, is_match)], adjacent runs merged."""
    out: list[Segment] = []
    pos = 0
    text = marked or ""
    for found in _MARKS.finditer(text):
        if found.start() > pos:
            out.append((text[pos : found.start()], False))
        if found.group(1):
            out.append((found.group(1), True))
        pos = found.end()
    if pos < len(text):
        out.append((text[pos:], False))
    out = [(t.replace(LT, "<"), m) for t, m in out]
    merged: list[Segment] = []
    for part in out:
        if merged and merged[-1][1] == part[1]:
            merged[-1] = (merged[-1][0] + part[0], part[1])
        else:
            merged.append(part)
    # Engines keep line breaks of descriptions; one line reads better in a list.
    return tuple((" ".join(t.split()) if "\n" in t else t, m) for t, m in merged)


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


def _tsquery(exact: list[str], typing: str | None, param: str) -> tuple[str, list[Any]]:
    """A tsquery expression: every whole word stemmed ('english'), the typed word either
    stemmed or as a raw prefix ('simple', since a stem of half a word means nothing)."""
    parts: list[str] = []
    params: list[Any] = []
    for word in exact:
        parts.append(f"plainto_tsquery('english', {param})")
        params.append(word)
    if typing:
        parts.append(f"(plainto_tsquery('english', {param}) || to_tsquery('simple', {param}))")
        params += [typing, f"{typing}:*"]
    return " && ".join(parts), params


class QuickFind:
    """Reads for the quick switcher; one instance per open database."""

    def __init__(self, database: Database) -> None:
        self.db = database

    def _sql(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return list(self.db.peewee.execute_sql(sql, list(params)).fetchall())

    def find(self, text: str, project_key: str | None, limit: int) -> list[SearchHit]:
        """The issue a key names first, then the best text matches (bm25 | ts_rank)."""
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
            iid, f"{key}-{num}", status, StatusCategory(category), ((title, False),), by_key=True
        )

    def _issues(self, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
        p = self.db.peewee.param
        marks = ", ".join([p] * len(ids))
        rows = self._sql(
            f"""SELECT i.id, p.key, i.number, s.name, s.category
            FROM issue AS i JOIN project AS p ON p.id = i.project_id
            JOIN status AS s ON s.id = i.status_id WHERE i.id IN ({marks})""",
            ids,
        )
        return {r[0]: r for r in rows}

    def _hits(self, ids: list[int], marked: dict[int, tuple[str, str | None]]) -> list[SearchHit]:
        info = self._issues(ids)
        out = []
        for iid in ids:
            if iid not in info or iid not in marked:
                continue  # deleted between the two reads
            _, key, number, status, category = info[iid]
            title, snippet = marked[iid]
            hit = SearchHit(
                iid, f"{key}-{number}", status, StatusCategory(category), segments(title)
            )
            out.append(replace(hit, snippet=segments(snippet)))
        return out

    # -- SQLite FTS5 -------------------------------------------------------------------
    def _fts5(self, exact: list[str], typing: str | None, limit: int) -> list[SearchHit]:
        match = _fts5_query(exact, typing)
        # Ranking first, on ids alone; the snippets are made for the few rows shown only.
        ids = [
            r[0]
            for r in self._sql(
                "SELECT rowid FROM issue_fts WHERE issue_fts MATCH ? "
                "ORDER BY bm25(issue_fts, 10.0, 4.0, 1.0), rowid LIMIT ?",
                [match, limit],
            )
        ]
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        n = SNIPPET_WORDS
        rows = self._sql(
            f"""SELECT rowid, highlight(issue_fts, 0, ?, ?),
                snippet(issue_fts, 1, ?, ?, '…', {n}), snippet(issue_fts, 2, ?, ?, '…', {n})
            FROM issue_fts WHERE issue_fts MATCH ? AND rowid IN ({marks})""",
            [START, STOP] * 3 + [match, *ids],
        )
        marked = {r[0]: (r[1], _best(r[2], r[3])) for r in rows}
        return self._hits(ids, marked)

    # -- PostgreSQL tsvector -----------------------------------------------------------
    def _postgres(self, exact: list[str], typing: str | None, limit: int) -> list[SearchHit]:
        p = self.db.peewee.param
        tsq, params = _tsquery(exact, typing, p)
        ids = [
            r[0]
            for r in self._sql(
                f"""SELECT issue_id FROM issue_search, ({"SELECT " + tsq}) AS q(query)
                WHERE document @@ q.query
                ORDER BY ts_rank(document, q.query) DESC, issue_id LIMIT {p}""",
                [*params, limit],
            )
        ]
        if not ids:
            return []
        marks = ", ".join([p] * len(ids))
        options = (
            f"StartSel={START}, StopSel={STOP}, MaxFragments=1, "
            f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, FragmentDelimiter=…"
        )
        rows = self._sql(
            f"""SELECT i.id,
                ts_headline('english', replace(i.title, '<', {p}), q.query, {p}),
                ts_headline('english', replace(i.description, '<', {p}), q.query, {p}),
                ts_headline('english', replace(coalesce((SELECT string_agg(c.body, E'\\n'
                    ORDER BY c.id) FROM comment AS c WHERE c.issue_id = i.id), ''), '<', {p}),
                    q.query, {p})
            FROM issue AS i, ({"SELECT " + tsq}) AS q(query) WHERE i.id IN ({marks})""",
            [LT, f"{options}, HighlightAll=true", LT, options, LT, options, *params, *ids],
        )
        marked = {r[0]: (r[1], _best(r[2], r[3])) for r in rows}
        return self._hits(ids, marked)


def _best(description: str | None, comments: str | None) -> str | None:
    """The description's snippet when the words are there, else the comments' one."""
    for text in (description, comments):
        if text and START in text:
            return text
    return description or None
