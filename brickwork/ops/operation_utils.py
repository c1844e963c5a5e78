"""Shape arithmetic shared by ops and layers: reductions, expand_dims, reshape, pooling and convolution.

Each function takes and returns shapes as tuples, with ``None`` for an unknown dimension.

Example:
    >>> from brickwork.ops import operation_utils
    >>> operation_utils.compute_conv_output_shape((None, 28, 28, 1), 8, (3, 3), strides=2, padding="same")
    (None, 14, 14, 8)
"""

from __future__ import annotations

import math

from brickwork.backend import config
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.utils.keras_tensor_utils import get_source_inputs  # noqa: F401


def reduce_shape(shape, axis=None, keepdims: bool = False) -> tuple:
    """The shape left after reducing ``shape`` over ``axis`` (all axes when ``None``).

    Example:
        >>> reduce_shape((1, 4, 4, 1), axis=[1, 2])
        (1, 1)
    """
    shape = tuple(shape)
    if axis is None:
        return tuple(1 for _ in shape) if keepdims else ()
    axes = {a % len(shape) for a in ((axis,) if isinstance(axis, int) else axis)}
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def broadcast_shapes(shape1, shape2) -> list:
    """The shape two shapes broadcast to, as a list; an unknown size (``None``) takes its partner's.

    Args:
        shape1: the first shape, a tuple or list of ints (``None`` for an unknown size).
        shape2: the second shape.

    Returns:
        The broadcast shape, as a list.

    Raises:
        ValueError: when two sizes differ and neither is 1.

    Example:
    >>> ops.numpy.broadcast_shapes((None, 3), (5, 1))   # [5, 3]
    """
    rank = max(len(shape1), len(shape2))
    first = [1] * (rank - len(shape1)) + list(shape1)
    second = [1] * (rank - len(shape2)) + list(shape2)
    result = []
    for a, b in zip(first, second):
        if a == 1 or (a is None and b != 1):
            result.append(b)  # None against 1 stays None
        elif b in (1, None, a):
            result.append(a)
        else:
            raise ValueError(f"Cannot broadcast shape {tuple(shape1)} with {tuple(shape2)}: size {a} cannot be "
                             f"broadcast to {b}.")
    return result


def compute_expand_dims_output_shape(input_shape, axis) -> tuple:
    """``input_shape`` with a new dimension of size 1 at each of ``axis`` (an int or a sequence)."""
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    rank = len(input_shape) + len(axes)
    positions = {a % rank for a in axes}
    dims = iter(input_shape)
    return tuple(1 if i in positions else next(dims) for i in range(rank))


def validate_reshape_shape(newshape) -> None:
    """Raise ValueError unless ``newshape`` has non-negative ints, at most one ``-1``, or dynamic values."""
    unknown = 0
    for dim in newshape:
        if not isinstance(dim, int):
            continue  # a dynamic dimension (a traced scalar): checked by the engine
        if dim == -1:
            unknown += 1
        elif dim < 0:
            raise ValueError(f"reshape: each dimension must be a non-negative integer or -1 (for one unknown "
                             f"dimension); received newshape={tuple(newshape)}.")
    if unknown > 1:
        raise ValueError(f"reshape: there can be at most one unknown dimension (-1) in newshape; received "
                         f"newshape={tuple(newshape)}.")


def compute_reshape_output_shape(input_shape, newshape, newshape_arg_name: str = "newshape") -> tuple:
    """The shape ``reshape`` gives ``input_shape`` for ``newshape`` (``-1`` inferred where possible).

    ``newshape`` may be a symbolic shape tensor, or hold symbolic dimensions: those come back as ``None``.
    """
    if isinstance(newshape, KerasTensor):
        return (None,) * newshape.shape[0]
    if isinstance(newshape, int):
        newshape = (newshape,)
    newshape = tuple(None if isinstance(d, KerasTensor) else d for d in newshape)
    validate_reshape_shape([d for d in newshape if d is not None])
    if -1 not in newshape:
        return newshape
    known = [d for d in newshape if d not in (-1, None)]
    if None in newshape or any(d is None for d in input_shape):
        return tuple(None if d == -1 else d for d in newshape)
    total, rest = math.prod(input_shape), math.prod(known)
    if rest == 0 or total % rest:
        raise ValueError(f"reshape: the total size of the input {tuple(input_shape)} ({total}) cannot be divided "
                         f"into {newshape_arg_name}={newshape}.")
    return tuple(total // rest if d == -1 else d for d in newshape)


def _spatial_output(size, window: int, stride: int, padding: str, dilation: int = 1):
    if size is None:
        return None
    if padding == "same":
        return (size + stride - 1) // stride
    return (size - dilation * (window - 1) - 1) // stride + 1


def _spatial_axes(rank: int, data_format: str) -> range:
    return range(1, rank - 1) if data_format == "channels_last" else range(2, rank)


def _per_axis(value, count: int) -> tuple:
    return (value,) * count if isinstance(value, int) else tuple(value)


def compute_pooling_output_shape(input_shape, pool_size, strides=None, padding: str = "valid",
                                 data_format: str | None = None) -> tuple:
    """The output shape of max/average pooling of ``input_shape`` (batch and channel axes kept)."""
    data_format = config.standardize_data_format(data_format)
    shape = list(input_shape)
    axes = _spatial_axes(len(shape), data_format)
    pool_size = _per_axis(pool_size, len(axes))
    strides = pool_size if strides is None else _per_axis(strides, len(axes))
    for axis, window, stride in zip(axes, pool_size, strides):
        shape[axis] = _checked(_spatial_output(shape[axis], window, stride, padding.lower()), input_shape, "pool_size")
    return tuple(shape)


def compute_conv_output_shape(input_shape, filters: int, kernel_size, strides=1, padding: str = "valid",
                              data_format: str | None = None, dilation_rate=1) -> tuple:
    """The output shape of a convolution of ``input_shape`` with ``filters`` output channels."""
    data_format = config.standardize_data_format(data_format)
    shape = list(input_shape)
    axes = _spatial_axes(len(shape), data_format)
    kernel_size, strides = _per_axis(kernel_size, len(axes)), _per_axis(strides, len(axes))
    dilation_rate = _per_axis(dilation_rate, len(axes))
    for axis, window, stride, dilation in zip(axes, kernel_size, strides, dilation_rate):
        size = _spatial_output(shape[axis], window, stride, padding.lower(), dilation)
        shape[axis] = _checked(size, input_shape, "kernel_size")
    shape[-1 if data_format == "channels_last" else 1] = filters
    return tuple(shape)


def _checked(size, input_shape, window_name: str):
    if size is not None and size <= 0:
        raise ValueError(f"Computed output size would be zero or negative for input shape {tuple(input_shape)}: "
                         f"the {window_name} is larger than the input along a spatial axis.")
    return size
