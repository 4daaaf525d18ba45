"""Fractional-index rank keys: a string that sorts between any two neighbours.

Keys are base-36 fractions written with the digits 0-9a-z (no trailing zero), so
plain byte order, SQLite's default collation and PostgreSQL's "C" collation all
agree on the order. A drop writes one row; nobody else is renumbered.
"""

from __future__ import annotations

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
BASE = len(DIGITS)
_VALUE = {c: i for i, c in enumerate(DIGITS)}


def is_valid(key: str) -> bool:
    return bool(key) and all(c in _VALUE for c in key) and not key.endswith("0")


def _midpoint(low: str, high: str | None) -> str:
    """A key strictly between `low` (may be "") and `high` (None = the top)."""
    if high is not None:
        # Skip the shared prefix; `low` is padded with zeros as a fraction would be.
        n = 0
        while n < len(high) and (low[n] if n < len(low) else "0") == high[n]:
            n += 1
        if n:
            return high[:n] + _midpoint(low[n:], high[n:])
    lo = _VALUE[low[0]] if low else 0
    hi = _VALUE[high[0]] if high else BASE
    if hi - lo > 1:
        return DIGITS[(lo + hi) // 2]
    # Neighbouring digits: either a longer `high` leaves room just below it,
    # or keep `low`'s digit and go one level deeper.
    if high is not None and len(high) > 1:
        return high[0]
    return DIGITS[lo] + _midpoint(low[1:], None)


def between(before: str | None, after: str | None) -> str:
    """A key that sorts after `before` and before `after` (None means that end is open)."""
    if before is not None and after is not None and not before < after:
        raise ValueError(f"rank {before!r} must sort before {after!r}")
    if after is None and before is not None:
        # Appending at the end: step up the first digit that has room, keeping keys short.
        for i, ch in enumerate(before):
            if _VALUE[ch] < BASE - 1:
                return before[:i] + DIGITS[_VALUE[ch] + 1]
        return before + DIGITS[BASE // 2]
    if before is None and after is not None:
        return _midpoint("", after)
    if before is None:
        return DIGITS[BASE // 2]
    return _midpoint(before, after)


def spread(count: int) -> list[str]:
    """`count` evenly spaced, strictly increasing keys of equal length (for bulk loads)."""
    if count <= 0:
        return []
    width = 1
    while BASE**width < count * 4:
        width += 1
    step = BASE**width // (count + 1)
    keys = []
    for i in range(1, count + 1):
        value = i * step
        digits = []
        for _ in range(width):
            value, r = divmod(value, BASE)
            digits.append(DIGITS[r])
        keys.append("".join(reversed(digits)).rstrip("0"))
    return keys
