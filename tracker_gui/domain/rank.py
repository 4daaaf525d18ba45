"""Fractional-index rank keys: a string that sorts between any two neighbours.

A key is an integer part (a head character giving its length, then that many
base-36 digits) followed by an optional fraction (base-36 digits, no trailing
zero). Appending or prepending steps the integer part, so a column that grows
at one end gets keys whose length grows with the logarithm of its size; only
inserts between two neighbours use the fraction. Every character is 0-9 or a-z,
so byte order, SQLite's default collation and PostgreSQL's "C" collation agree.
A drop writes one row; nobody else is renumbered.
"""

from __future__ import annotations

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
BASE = len(DIGITS)
_VALUE = {c: i for i, c in enumerate(DIGITS)}
# Heads "a".."z": non-negative integer parts of 1..26 digits. Heads "9".."0": negative
# ones of 1..10 digits (longer sorts lower, as a more negative number would).
_POSITIVE = "abcdefghijklmnopqrstuvwxyz"
_NEGATIVE = "0123456789"
START = "a0"


def _int_length(head: str) -> int:
    if head in _POSITIVE:
        return _POSITIVE.index(head) + 1
    if head in _NEGATIVE:
        return len(_NEGATIVE) - _NEGATIVE.index(head)
    raise ValueError(f"invalid rank key head {head!r}")


def _split(key: str) -> tuple[str, str]:
    """(integer part with its head, fraction)."""
    if not key:
        raise ValueError("empty rank key")
    n = _int_length(key[0])
    if len(key) < n + 1:
        raise ValueError(f"rank key {key!r} is too short")
    return key[: n + 1], key[n + 1 :]


def is_valid(key: str) -> bool:
    try:
        _, fraction = _split(key)
    except ValueError:
        return False
    return all(c in _VALUE for c in key) and not fraction.endswith("0")


def _step(whole: str, up: bool) -> str:
    """The next (or previous) integer part; changes length (and head) on overflow."""
    head, digits = whole[0], list(whole[1:])
    edge, reset = ("z", "0") if up else ("0", "z")
    i = len(digits) - 1
    while i >= 0 and digits[i] == edge:
        digits[i] = reset
        i -= 1
    if i >= 0:
        digits[i] = DIGITS[_VALUE[digits[i]] + (1 if up else -1)]
        return head + "".join(digits)
    # Every digit overflowed: move to the neighbouring head.
    if up:
        if head == "9":
            return "a0"
        if head in _NEGATIVE:
            return DIGITS[_VALUE[head] + 1] + "0" * (len(digits) - 1)
        if head == "z":
            raise ValueError("rank keys exhausted at the top")
        return DIGITS[_VALUE[head] + 1] + "0" * (len(digits) + 1)
    if head == "a":
        return "9z"
    if head in _POSITIVE:
        return DIGITS[_VALUE[head] - 1] + "z" * (len(digits) - 1)
    if head == "0":
        raise ValueError("rank keys exhausted at the bottom")
    return DIGITS[_VALUE[head] - 1] + "z" * (len(digits) + 1)


def _midpoint(low: str, high: str | None) -> str:
    """A fraction strictly between `low` (may be "") and `high` (None = 1)."""
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
    if before is None and after is None:
        return START
    if after is None:
        assert before is not None
        return _step(_split(before)[0], up=True)
    whole_b, frac_b = _split(after)
    if before is None:
        return whole_b if frac_b else _step(whole_b, up=False)
    whole_a, frac_a = _split(before)
    if whole_a == whole_b:
        return whole_a + _midpoint(frac_a, frac_b)
    candidate = _step(whole_a, up=True)
    if candidate < after:
        return candidate
    return whole_a + _midpoint(frac_a, None)


def spread(count: int) -> list[str]:
    """`count` evenly spaced, strictly increasing keys of equal length (for bulk loads)."""
    if count <= 0:
        return []
    width = 1
    while BASE**width < count * 4:
        width += 1
    head = _POSITIVE[width - 1]
    step = BASE**width // (count + 1)
    keys = []
    for i in range(1, count + 1):
        value = i * step
        digits = []
        for _ in range(width):
            value, r = divmod(value, BASE)
            digits.append(DIGITS[r])
        keys.append(head + "".join(reversed(digits)))
    return keys
