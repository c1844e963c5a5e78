"""Automatic object names: ``dense``, ``dense_1``, … drawn from the counters in ``global_state``.

Example:
    auto_name("MyLayer")   # "my_layer", then "my_layer_1"
"""

from __future__ import annotations

from brickwork.backend.common.global_state import (
    STATE,
    get_uid,
    to_snake_case,
    uniquify,
)


def auto_name(prefix: str) -> str:
    """A unique snake-case name from a class-style ``prefix`` (``"MyLayer"`` -> ``"my_layer"``, ``"my_layer_1"``)."""
    return uniquify(to_snake_case(prefix))


def reset_uids() -> None:
    """Start every name counter again (``clear_session`` does this too)."""
    STATE.uids.clear()


def get_object_name(obj) -> str:
    """``obj.name``, else the snake-case name of its function or class."""
    if hasattr(obj, "name"):
        return obj.name
    if hasattr(obj, "__name__"):
        return to_snake_case(obj.__name__)
    return to_snake_case(type(obj).__name__)


__all__ = ["auto_name", "get_object_name", "get_uid", "reset_uids", "to_snake_case", "uniquify"]
