"""``Minimum`` and ``minimum``: the element-wise minimum of a list of tensors; masked steps of one input never win."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.merging.base_merge import Merge, merge_with_masks


class Minimum(Merge):
    """The element-wise minimum of a list of tensors; masked steps of one input never win.

    Args:
        kwargs: ``Layer`` arguments (``name``, ``dtype``, ...).

    Example:
    >>> Minimum()([np.ones((2, 3)), np.full((2, 3), 2.0)])   # [[1, 1, 1], [1, 1, 1]]
    """

    def _merge_function(self, inputs, masks):
        return merge_with_masks(ops.minimum, inputs, masks)


def minimum(inputs, **kwargs):
    """The functional form of ``Minimum``: the element-wise minimum of ``inputs``.

    Args:
        inputs: a list of tensors.
        **kwargs: layer arguments (``name``, ``dtype``, …).

    Returns:
        The element-wise minimum, of the broadcast shape of the inputs; a symbolic ``KerasTensor`` when the
            inputs are symbolic.

    Example:
    >>> a, b = Input((16,)), Input((16,))
    >>> y = minimum([a, b])
    """
    return Minimum(**kwargs)(inputs)
