"""Where a tensor's Keras mask lives: ``tensor._keras_mask`` when the engine's tensors take attributes
(torch), else a side table keyed by the tensor's identity (NumPy, jax), dropped with the tensor.
"""

from __future__ import annotations

import weakref

_SIDE_TABLE: dict = {}


def set_keras_mask(tensor, mask) -> None:
    """Attach ``mask`` (or ``None`` to remove it) to ``tensor``."""
    try:
        tensor._keras_mask = mask
        return
    except (AttributeError, TypeError):
        pass
    key = id(tensor)
    if mask is None:
        _SIDE_TABLE.pop(key, None)
        return
    try:
        ref = weakref.ref(tensor, lambda _, key=key: _SIDE_TABLE.pop(key, None))
    except TypeError:
        return  # neither attributes nor weak references: the mask cannot travel with this tensor
    _SIDE_TABLE[key] = (ref, mask)


def get_keras_mask(tensor):
    """The mask attached to ``tensor``, or ``None``."""
    mask = getattr(tensor, "_keras_mask", None)
    if mask is not None or not _SIDE_TABLE:
        return mask
    entry = _SIDE_TABLE.get(id(tensor))
    if entry is not None and entry[0]() is tensor:
        return entry[1]
    return None
