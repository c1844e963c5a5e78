"""``Average`` and ``average``: the element-wise mean of a list of tensors of the same (or broadcastable) shape."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.merging.base_merge import Merge


class Average(Merge):
    """The element-wise mean of a list of tensors of the same (or broadcastable) shape.

    Args:
        kwargs: ``Layer`` arguments (``name``, ``dtype``, ...).

    Example:
    >>> Average()([np.ones((2, 3)), np.full((2, 3), 2.0)])   # [[1.5, 1.5, 1.5], [1.5, 1.5, 1.5]]
    """

    def _merge_function(self, inputs, masks):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.add(output, x)
        return ops.divide(output, len(inputs))

    def _output_dtype(self, dtypes) -> str:
        return self.compute_dtype  # a mean is a float, whatever the inputs


def average(inputs, **kwargs):
    """The functional form of ``Average``: the mean of ``inputs``.

    Args:
        inputs: a list of tensors.
        **kwargs: layer arguments (``name``, ``dtype``, …).

    Returns:
        The element-wise mean, of the broadcast shape of the inputs; a symbolic ``KerasTensor`` when the
            inputs are symbolic.

    Example:
    >>> a, b = Input((16,)), Input((16,))
    >>> y = average([a, b])
    """
    return Average(**kwargs)(inputs)
