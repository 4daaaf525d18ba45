"""json_text writes what json.dumps(ensure_ascii=False, indent=1) writes, streamed or not."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tracker_gui.interchange.json_text import Streamed, encode, materialise, write_streamed

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and the infinities too: json writes NaN, Infinity
    | st.text()  # controls, quotes, backslashes, any script, lone surrogates
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


def reference(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


@given(VALUES)
def test_encode_writes_what_json_dumps_writes(value: Any) -> None:
    assert encode(value) == reference(value)


def streamed(value: Any) -> Any:
    """The same value with every list turned into a Streamed one (a generator inside)."""
    if isinstance(value, list):
        return Streamed((streamed(v) for v in value), nested=True)
    if isinstance(value, dict):
        return {k: streamed(v) for k, v in value.items()}
    return value


@given(st.dictionaries(st.text(), VALUES, max_size=5))
def test_a_streamed_document_is_written_as_the_whole_one_would_be(doc: dict[str, Any]) -> None:
    out = io.StringIO()
    write_streamed(out.write, streamed(doc))
    assert out.getvalue() == reference(doc)
    assert reference(materialise(streamed(doc))) == reference(doc)  # (NaN != NaN)


def test_tuples_and_other_types_follow_json() -> None:
    class Name(str):
        pass

    value = {"pair": (1, "two"), "name": Name("x"), "deep": [[], {}, [{"a": None}]]}
    assert encode(value) == reference(value)
    out = io.StringIO()
    write_streamed(out.write, {"items": Streamed(iter([]), nested=True), "n": 1})
    assert out.getvalue() == reference({"items": [], "n": 1})
