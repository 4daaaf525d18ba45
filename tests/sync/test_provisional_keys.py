"""Provisional keys (`TRK-~3`) are keys: parsed, shown and queried like real ones."""

from __future__ import annotations

import pytest

from tracker_gui.domain import validation
from tracker_gui.domain.query import Field, parse
from tracker_gui.domain.query_fields import IssueKey
from tracker_gui.errors import ValidationError
from tracker_gui.storage.replica.outbox import rewrite


def test_a_provisional_key_parses_to_a_negative_number_and_prints_back() -> None:
    assert validation.split_key("trk-~3") == ("TRK", -3)
    assert validation.issue_key("TRK", -3) == "TRK-~3"
    assert validation.split_key("TRK-12") == ("TRK", 12)


@pytest.mark.parametrize("bad", ["TRK-~", "TRK-~0", "TRK-~x", "TRK~3", "TRK--3"])
def test_malformed_provisional_keys_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="is not an issue key"):
        validation.split_key(bad)


def test_key_queries_accept_a_provisional_key() -> None:
    root = parse("key:trk-~2").root
    assert isinstance(root, Field)
    assert root.values == (IssueKey("TRK", -2),)
    assert str(root.values[0]) == "TRK-~2"


def test_texts_have_their_provisional_keys_rewritten_and_nothing_else() -> None:
    keys = {"TRK-~1": "TRK-41", "OPS-~2": "OPS-7"}
    text = "see TRK-~1, trk-~1 and OPS-~2; not TRK-~3, TRK-1 or XTRK-~1x"
    assert rewrite(text, keys) == "see TRK-41, TRK-41 and OPS-7; not TRK-~3, TRK-1 or XTRK-~1x"
