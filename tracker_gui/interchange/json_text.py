"""JSON text as json.dumps(value, ensure_ascii=False, indent=1) writes it, streamed and faster.

With `indent`, the json module encodes in pure Python through generators: two thirds of a
50,000-issue export went there. `encode` writes the same bytes with one recursive call per
value and the C string encoder; tests/unit/interchange/test_json_text.py holds it to json's.
"""

from __future__ import annotations

import json
import json.encoder
import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

_string: Callable[[str], str] = json.encoder.encode_basestring  # C when available, no ASCII-fying
_INFINITY = float("inf")


class Streamed:
    """A list in a document whose items are produced while the file is written; `nested`
    when an item may itself hold a Streamed list (a dict value), else each is encoded whole."""

    def __init__(self, items: Iterable[Any], *, nested: bool = False) -> None:
        self.items = items
        self.nested = nested

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)


def _float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def encode(value: Any, pad: str = "\n") -> str:
    """`value` as json.dumps(value, ensure_ascii=False, indent=1) would write it at the depth
    whose line start is `pad` ("\\n" plus one space per level)."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = pad + " "
        # Text is most values: encoded here without the call.
        items = [
            _string(k) + ": " + (_string(v) if type(v) is str else encode(v, inner))
            for k, v in value.items()
        ]
        return "{" + inner + ("," + inner).join(items) + pad + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = pad + " "
        return "[" + inner + ("," + inner).join([encode(v, inner) for v in value]) + pad + "]"
    # Anything else (a subclass, a key that is not text): the json module's own answer.
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", pad)


def _structural(value: Any) -> bool:
    """Whether `value` is or holds (through dicts) a Streamed list."""
    return isinstance(value, Streamed) or (
        isinstance(value, dict) and any(_structural(v) for v in value.values())
    )


def write_streamed(write: Callable[[str], Any], value: Any, pad: str = "\n") -> None:
    """Write `value` as `encode` would, consuming each Streamed list as it goes (a Streamed
    list may sit among a dict's values or in a nested Streamed list, not in a plain list); the
    rest is encoded an item at a time."""
    if not _structural(value):
        write(encode(value, pad))
        return
    inner = pad + " "
    if isinstance(value, dict):
        for n, (key, item) in enumerate(value.items()):
            write(("{" if n == 0 else ",") + inner + _string(key) + ": ")
            write_streamed(write, item, inner)
        write(pad + "}")
        return
    empty = True
    for item in value:
        if value.nested:
            write(("[" if empty else ",") + inner)
            write_streamed(write, item, inner)
        else:
            write(("[" if empty else ",") + inner + encode(item, inner))
        empty = False
    write("[]" if empty else pad + "]")


def materialise(value: Any) -> Any:
    """`value` with every Streamed list read into a plain list."""
    if isinstance(value, Streamed):
        return [materialise(v) for v in value]
    if isinstance(value, dict) and _structural(value):
        return {k: materialise(v) for k, v in value.items()}
    return value


__all__ = ["Streamed", "encode", "materialise", "write_streamed"]
