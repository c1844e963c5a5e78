"""``Subtract`` and ``subtract``: ``inputs[0] - inputs[1]``, element-wise, for a list of exactly two tensors."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.merging.base_merge import Merge


class Subtract(Merge):
    """``inputs[0] - inputs[1]``, element-wise, for a list of exactly two tensors.

    Args:
        kwargs: ``Layer`` arguments (``name``, ``dtype``, ...).

    Example:
    >>> Subtract()([np.ones((2, 3)), np.full((2, 3), 2.0)])   # [[-1, -1, -1], [-1, -1, -1]]
    """

    def build(self, input_shape):
        self._check_shapes(input_shape, count=2)
        super().build(input_shape)

    def _merge_function(self, inputs, masks):
        return ops.subtract(inputs[0], inputs[1])


def subtract(inputs, **kwargs):
    """The functional form of ``Subtract``: ``inputs[0] - inputs[1]``.

    Args:
        inputs: a list of two tensors.
        **kwargs: layer arguments (``name``, ``dtype``, …).

    Returns:
        ``inputs[0] - inputs[1]``, of the broadcast shape of the inputs; a symbolic ``KerasTensor`` when the
            inputs are symbolic.

    Example:
    >>> a, b = Input((16,)), Input((16,))
    >>> y = subtract([a, b])
    """
    return Subtract(**kwargs)(inputs)
