"""Work around PySide6 6.12 dropping references to None/True/False on CPython 3.11."""

from __future__ import annotations

import ctypes
import sys

# PySide6 6.12.0 (abi3 wheel) returns None, True and False from void/bool calls without a new
# reference, as if they were immortal (they are only since CPython 3.12). On 3.11 every such
# call lowers their reference count by one until CPython aborts with "none_dealloc" or
# "bool_dealloc" -- within minutes of using the window. Giving them a huge count makes them as
# good as immortal, which is exactly what 3.12 does.
_PINNED = 1 << 48
_SINGLETONS: tuple[object, ...] = (None, True, False)


def needed() -> bool:
    return sys.implementation.name == "cpython" and sys.version_info < (3, 12)


def pin_singletons() -> bool:
    """Raise the reference counts of None, True and False far out of reach; True if done."""
    if not needed():
        return False
    for obj in _SINGLETONS:
        count = ctypes.c_ssize_t.from_address(id(obj))
        if count.value < _PINNED:
            count.value += _PINNED
    return True


pin_singletons()
