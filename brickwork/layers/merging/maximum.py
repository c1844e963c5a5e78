"""``Maximum`` and ``maximum``: the element-wise maximum of a list of tensors; masked steps of one input never win."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.merging.base_merge import Merge, merge_with_masks


class Maximum(Merge):
    """The element-wise maximum of a list of tensors; masked steps of one input never win.

    Args:
        kwargs: ``Layer`` arguments (``name``, ``dtype``, ...).

    Example:
    >>> Maximum()([np.ones((2, 3)), np.full((2, 3), 2.0)])   # [[2, 2, 2], [2, 2, 2]]
    """

    def _merge_function(self, inputs, masks):
        return merge_with_masks(ops.maximum, inputs, masks)


def maximum(inputs, **kwargs):
    """The functional form of ``Maximum``: the element-wise maximum of ``inputs``.

    Args:
        inputs: a list of tensors.
        **kwargs: layer arguments (``name``, ``dtype``, …).

    Returns:
        The element-wise maximum, of the broadcast shape of the inputs; a symbolic ``KerasTensor`` when the
            inputs are symbolic.

    Example:
    >>> a, b = Input((16,)), Input((16,))
    >>> y = maximum([a, b])
    """
    return Maximum(**kwargs)(inputs)
