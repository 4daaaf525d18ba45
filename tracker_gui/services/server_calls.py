"""A write an offline copy cannot queue: made on the server when it answers, else refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tracker_gui.errors import UserError

if TYPE_CHECKING:
    from tracker_gui.services import Services


def on_server(
    online: Callable[[], Services] | None,
    settle: Callable[[], object] | None,
    refusal: str,
    act: Callable[[Services], Any],
) -> Any:
    """`act` on the server as this login (`online` opens it), then `settle` (a sync that
    brings the copy up to date); `refusal` as the one-line error when there is no server."""
    if online is None:
        raise UserError(refusal)
    try:
        server = online()
    except Exception as exc:  # unreachable (Offline) or refused: the same plain words
        raise UserError(refusal) from exc
    try:
        result = act(server)
    finally:
        server.close()
    if settle is not None:
        settle()
    return result
