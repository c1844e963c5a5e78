"""``Concatenate`` and ``concatenate``: join a list of tensors along one axis."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.merging.base_merge import Merge, _input_masks, mask_like


class Concatenate(Merge):
    """Concatenate a list of tensors, equal in shape except along ``axis``.

    Args:
        axis: the axis to join along (default the last).

    Example:
    >>> Concatenate(axis=1)([np.zeros((2, 2, 5)), np.ones((2, 1, 5))]).shape   # (2, 3, 5)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{self._describe()} must be called on a list of tensors, received {type(inputs).__name__}."
            )
        return ops.concatenate(list(inputs), axis=self.axis)

    def compute_output_shape(self, input_shape):
        self._check_shapes(input_shape)
        rank = len(input_shape[0])
        shapes = [tuple(shape) for shape in input_shape]
        if any(len(shape) != rank for shape in shapes) or not -rank <= self.axis < rank:
            raise ValueError(
                f"{self._describe()}: the inputs must have the same rank, with axis={self.axis} among their "
                f"axes; received shapes {shapes}."
            )
        axis = self.axis % rank
        output = list(shapes[0])
        for i in range(rank):
            sizes = [shape[i] for shape in shapes]
            if i == axis:
                output[i] = None if None in sizes else sum(sizes)
            else:
                known = set(sizes) - {None}
                if len(known) > 1:
                    raise ValueError(
                        f"{self._describe()} requires inputs with matching shapes except for the "
                        f"concatenation axis (axis={self.axis}); received shapes {shapes}."
                    )
                output[i] = known.pop() if known else None
        return tuple(output)

    def compute_mask(self, inputs, mask=None):
        masks = _input_masks(self, inputs, mask)
        if masks is None:
            return None
        # Each input's mask, made as large as the input (all True where it has none), is concatenated
        # like the inputs; an output step is kept when any of its features is.
        full = [ops.ones_like(x, dtype="bool") if m is None else mask_like(m, x) for x, m in zip(inputs, masks)]
        return ops.any(ops.concatenate(full, axis=self.axis), axis=-1)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis=-1, **kwargs):
    """The functional form of ``Concatenate``: ``inputs`` joined along ``axis``.

    Args:
        inputs: a list of tensors with equal shapes except along ``axis``.
        axis: the axis to join along (default -1, the last).
        **kwargs: layer arguments (``name``, ``dtype``, …).

    Returns:
        The joined tensor; a symbolic ``KerasTensor`` when the inputs are symbolic.

    Example:
    >>> a, b = Input((4,)), Input((6,))
    >>> y = concatenate([a, b])   # shape (None, 10)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
