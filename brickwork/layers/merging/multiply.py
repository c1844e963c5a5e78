"""``Multiply`` and ``multiply``: the element-wise product of a list of tensors of the same (or broadcastable) shape."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.merging.base_merge import Merge, mask_like


class Multiply(Merge):
    """The element-wise product of a list of tensors of the same (or broadcastable) shape.

    Args:
        kwargs: ``Layer`` arguments (``name``, ``dtype``, ...).

    Example:
    >>> Multiply()([np.ones((2, 3)), np.full((2, 3), 2.0)])   # [[2, 2, 2], [2, 2, 2]]
    """

    def _merge_function(self, inputs, masks):
        # As Keras: masked-out elements count as 1 in the product; when every input has a mask,
        # elements masked out in all of them are 0 in the output.
        all_masked = all(m is not None for m in masks)
        output = output_mask = None
        for x, mask in zip(inputs, masks):
            if mask is not None:
                mask = mask_like(mask, x)
                x = ops.where(mask, x, ops.ones_like(x))
                if all_masked:
                    output_mask = mask if output_mask is None else ops.logical_or(output_mask, mask)
            output = x if output is None else ops.multiply(output, x)
        if output_mask is not None:
            output = ops.where(output_mask, output, ops.zeros_like(output))
        return output


def multiply(inputs, **kwargs):
    """The functional form of ``Multiply``: the element-wise product of ``inputs``.

    Args:
        inputs: a list of tensors.
        **kwargs: layer arguments (``name``, ``dtype``, …).

    Returns:
        The element-wise product, of the broadcast shape of the inputs; a symbolic ``KerasTensor`` when the
            inputs are symbolic.

    Example:
    >>> a, b = Input((16,)), Input((16,))
    >>> y = multiply([a, b])
    """
    return Multiply(**kwargs)(inputs)
