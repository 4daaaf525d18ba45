"""Named UI operations, one module per entity: each runs a service call and returns an OpResult.

Widgets call these (`ops.filters.save(store, name, text)`) and never hold the services; errors
become messages in one place, `ops.core.run`.
"""

from tracker_gui.ui.ops.core import OFFLINE_WRITE, OpResult

__all__ = ["OFFLINE_WRITE", "OpResult"]
