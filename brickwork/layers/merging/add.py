"""``Add`` and ``add``: the element-wise sum of a list of tensors of the same (or broadcastable) shape."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.merging.base_merge import Merge


class Add(Merge):
    """The element-wise sum of a list of tensors of the same (or broadcastable) shape.

    Args:
        kwargs: ``Layer`` arguments (``name``, ``dtype``, ...).

    Example:
    >>> Add()([np.ones((2, 3)), np.full((2, 3), 2.0)])   # [[3, 3, 3], [3, 3, 3]]
    """

    def _merge_function(self, inputs, masks):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.add(output, x)
        return output


def add(inputs, **kwargs):
    """The functional form of ``Add``: the sum of ``inputs``.

    Args:
        inputs: a list of tensors.
        **kwargs: layer arguments (``name``, ``dtype``, …).

    Returns:
        The element-wise sum, of the broadcast shape of the inputs; a symbolic ``KerasTensor`` when the
            inputs are symbolic.

    Example:
    >>> a, b = Input((16,)), Input((16,))
    >>> y = add([a, b])
    """
    return Add(**kwargs)(inputs)
