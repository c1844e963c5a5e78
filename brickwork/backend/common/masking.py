"""Where a tensor's Keras mask lives: ``tensor._keras_mask`` when the engine's tensors take attributes
(torch), else a side table keyed by the tensor's identity (NumPy, jax), dropped with the tensor.
"""

from __future__ import annotations

import weakref

_SIDE_TABLE: dict = {}


def set_keras_mask(tensor, mask) -> None:
    """Attach ``mask`` (or ``None`` to remove it) to ``tensor``.

        Args:
            tensor: the tensor the mask describes.
            mask: a boolean tensor of the leading (batch and time) shape of ``tensor``, ``True`` for the
                steps to keep; or ``None``.

        Returns:
            ``None``; ``get_keras_mask(tensor)`` gives the mask back.

        Example:
        >>> x = ops.ones((2, 3))
        >>> keras.backend.set_keras_mask(x, ops.convert_to_tensor([True, False]))
    """
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
    """The mask attached to ``tensor``, or ``None``.

        Args:
            tensor: a tensor, such as the output of an ``Embedding(mask_zero=True)`` or ``Masking`` layer.

        Returns:
            The boolean mask tensor set on it, or ``None`` if it has none.

        Example:
        >>> x = ops.ones((2, 3))
        >>> keras.backend.set_keras_mask(x, ops.convert_to_tensor([True, False]))
        >>> keras.backend.get_keras_mask(x)   # [True, False]
    """
    mask = getattr(tensor, "_keras_mask", None)
    if mask is not None or not _SIDE_TABLE:
        return mask
    entry = _SIDE_TABLE.get(id(tensor))
    if entry is not None and entry[0]() is tensor:
        return entry[1]
    return None
