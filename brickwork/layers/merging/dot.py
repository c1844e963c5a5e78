"""``Dot`` and ``dot``: the dot product of two tensors along given axes, sample by sample."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.merging.base_merge import Merge

_LETTERS = "bcdefghijklmnopqrstuvwxy"  # "a" is the batch axis, "z" the summed one


class Dot(Merge):
    """The per-sample dot product of two tensors ``x`` and ``y`` along ``axes``.

    The output's axes are the batch axis, ``x``'s remaining axes, then ``y``'s remaining axes
    (a rank-1 result becomes ``(batch, 1)``).

    Args:
        axes: an int (the same axis of both inputs) or a pair ``(axis_of_x, axis_of_y)``; never 0.
        normalize: L2-normalize both inputs along ``axes`` first (the result is then the cosine similarity).

    Example:
    >>> Dot(axes=(1, 2))([np.ones((1, 5, 2)), np.ones((1, 2, 5))]).shape   # (1, 2, 2)
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axes, (list, tuple)):
            if len(axes) != 2 or not all(isinstance(a, int) for a in axes):
                raise ValueError(f"Dot: `axes` must be an int or a pair of ints, received {axes!r}.")
        elif not isinstance(axes, int):
            raise TypeError(f"Dot: `axes` must be an int or a pair of ints, received {axes!r}.")
        self.axes = axes
        self.normalize = bool(normalize)

    def _resolve_axes(self, shape1, shape2) -> tuple:
        pair = (self.axes, self.axes) if isinstance(self.axes, int) else tuple(self.axes)
        axes = tuple(axis % len(shape) if axis < 0 else axis for axis, shape in zip(pair, (shape1, shape2)))
        if 0 in axes or axes[0] >= len(shape1) or axes[1] >= len(shape2):
            raise ValueError(
                f"{self._describe()}: `axes` {self.axes} must name non-batch axes of inputs of shapes "
                f"{tuple(shape1)} and {tuple(shape2)}."
            )
        return axes

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        self.built = True

    def compute_output_shape(self, input_shape):
        self._check_shapes(input_shape, count=2)
        shape1, shape2 = (tuple(s) for s in input_shape)
        if len(shape1) < 2 or len(shape2) < 2:
            raise ValueError(f"{self._describe()}: both inputs need a batch axis and at least one more, "
                             f"received shapes {shape1} and {shape2}.")
        a1, a2 = self._resolve_axes(shape1, shape2)
        if None not in (shape1[a1], shape2[a2]) and shape1[a1] != shape2[a2]:
            raise ValueError(
                f"{self._describe()}: the dot product axes must have the same size; axis {a1} of shape {shape1} "
                f"is {shape1[a1]}, axis {a2} of shape {shape2} is {shape2[a2]}."
            )
        batch = shape1[0] if shape1[0] is not None else shape2[0]
        output = (batch,) + shape1[1:a1] + shape1[a1 + 1:] + shape2[1:a2] + shape2[a2 + 1:]
        return output if len(output) > 1 else output + (1,)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError(f"{self._describe()} must be called on a list of exactly 2 tensors.")
        x, y = inputs
        a1, a2 = self._resolve_axes(x.shape, y.shape)
        if self.normalize:
            x = ops.normalize(x, axis=a1)
            y = ops.normalize(y, axis=a2)
        # One einsum: the batch axis "a" is shared, the dot axis "z" is summed.
        x_letters = list(_LETTERS[: len(x.shape) - 1])
        y_letters = list(_LETTERS[len(x.shape) - 1: len(x.shape) + len(y.shape) - 2])
        x_letters[a1 - 1] = y_letters[a2 - 1] = "z"
        kept = [c for c in x_letters + y_letters if c != "z"]
        output = ops.einsum(f"a{''.join(x_letters)},a{''.join(y_letters)}->a{''.join(kept)}", x, y)
        return output if kept else ops.expand_dims(output, 1)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self) -> dict:
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def dot(inputs, axes=-1, **kwargs):
    """The functional form of ``Dot``: the per-sample dot product of two tensors along ``axes``.

    Args:
        inputs: a list of two tensors ``[x, y]`` with the same batch size.
        axes: an int (the same axis of both inputs) or a pair ``(axis_of_x, axis_of_y)`` to contract; never
            0, the batch axis.
        **kwargs: ``Dot`` arguments: ``normalize`` (L2-normalize both inputs along ``axes`` first, giving cosine
            similarities) and layer arguments (``name``, ``dtype``, …).

    Returns:
        The per-sample dot products: the batch axis, then the remaining axes of ``x`` and of ``y`` (``(batch, 1)``
            for a rank-1 result).

    Example:
    >>> a, b = Input((8,)), Input((8,))
    >>> y = dot([a, b], axes=1)   # shape (None, 1)
    """
    return Dot(axes=axes, **kwargs)(inputs)
