"""Typed access to parsed JSON, with errors that name the path (`cards[3].idList`)."""

from __future__ import annotations

from typing import Any

from tracker_gui.interchange.report import BadFile

_MISSING: Any = object()
_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
_NAMES |= {list: "a list", dict: "an object", type(None): "null"}


def _describe(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_NAMES.get(k, k.__name__) for k in kinds)


def _found(value: Any) -> str:
    return _NAMES.get(type(value), type(value).__name__)


def is_a(value: Any, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        return False  # True is an int to Python, not to a JSON schema
    if float in kinds and isinstance(value, int) and not isinstance(value, bool):
        return True
    return isinstance(value, kinds)


def obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadFile(where, f"expected an object, found {_found(value)}")
    return value


def get(
    container: dict[str, Any],
    key: str,
    kind: type | tuple[type, ...],
    where: str,
    default: Any = _MISSING,
) -> Any:
    """container[key] checked against `kind`; missing (or null, with a default) gives default.

    The default is also stored in `container`: what reads the document after the check (the
    writer) finds the value the check saw, never a null where a list or number belongs.
    """
    path = f"{where}.{key}" if where else key
    if key not in container or (container[key] is None and default is not _MISSING):
        if default is _MISSING:
            raise BadFile(path, f"missing (expected {_describe(kind)})")
        container[key] = default
        return default
    value = container[key]
    if not is_a(value, kind):
        raise BadFile(path, f"expected {_describe(kind)}, found {_found(value)}")
    return value


def objects(container: dict[str, Any], key: str, where: str) -> list[tuple[str, dict[str, Any]]]:
    """A list of objects under `key` (missing = empty), each with its path."""
    path = f"{where}.{key}" if where else key
    values = get(container, key, list, where, [])
    return [(f"{path}[{i}]", obj(v, f"{path}[{i}]")) for i, v in enumerate(values)]


def texts(container: dict[str, Any], key: str, where: str) -> list[str]:
    """A list of text values under `key` (missing = empty)."""
    values: list[str] = get(container, key, list, where, [])
    path = f"{where}.{key}" if where else key
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise BadFile(f"{path}[{i}]", f"expected text, found {_found(value)}")
    return values
