"""Two int4 values per byte: ``pack_int4`` / ``unpack_int4``.

Along the packed axis, element ``2k`` goes to the low nibble of byte ``k`` and element ``2k + 1`` to its high
nibble; an odd length is padded with a zero first. This is Keras's layout, so packed kernels load both ways.

Example:
>>> values = np.array([[-3, 7], [2, -8], [1, 0]], np.int8)
>>> packed, packed_shape, length = pack_int4(values)        # packed shape (2, 2), length 3
>>> np.asarray(unpack_int4(packed, length))                  # values again
"""

from __future__ import annotations

import numpy as np

from brickwork import backend, ops

_PACKED_DTYPES = ("int8", "uint8")


def _check_dtype(dtype: str, function: str) -> None:
    if dtype not in _PACKED_DTYPES:
        raise ValueError(f"{function}: `dtype` must be 'int8' or 'uint8', received {dtype!r}.")


def pack_int4(arr, axis: int = 0, dtype: str = "int8"):
    """Pack int4 values (stored as ``dtype`` in ``[-8, 7]``, or ``[0, 15]`` for uint8) two to a byte along ``axis``.

    Packing runs on the host in NumPy: it happens once, while quantizing, and NumPy's bitwise ops wrap
    int8 overflow the same way on every machine.

    Args:
        arr: an ``int8`` (or ``uint8``) tensor of int4 values.
        axis: the axis whose length halves (rounded up).
        dtype: ``"int8"`` or ``"uint8"``: the dtype of ``arr`` and of the packed result.

    Returns:
        ``(packed, packed_shape, original_length)``.

    Example:
    >>> packed, _, _ = pack_int4(np.array([[-3], [2]], np.int8))   # [[45]]: 0x2D, low nibble -3, high 2
    """
    _check_dtype(dtype, "pack_int4")
    received = backend.standardize_dtype(arr.dtype)
    if received != dtype:
        raise TypeError(f"pack_int4: expected a {dtype} tensor, received {received}.")
    values = np.moveaxis(np.asarray(backend.convert_to_numpy(arr)), axis, 0)
    length = values.shape[0]
    if length % 2:
        values = np.concatenate([values, np.zeros((1,) + values.shape[1:], values.dtype)])
    nibble = np.array(0x0F, dtype)
    packed = np.bitwise_or(np.bitwise_and(values[::2], nibble),
                           np.left_shift(np.bitwise_and(values[1::2], nibble), np.array(4, dtype))).astype(dtype)
    packed = np.moveaxis(packed, 0, axis)
    return ops.convert_to_tensor(packed), tuple(packed.shape), length


def unpack_int4(packed, orig_len: int, axis: int = 0, dtype: str = "int8"):
    """Undo ``pack_int4``: split each byte into its two nibbles along ``axis`` and drop the padding.

    Args:
        packed: the ``int8`` (or ``uint8``) packed tensor.
        orig_len: the length of ``axis`` before packing.
        axis: the packed axis.
        dtype: ``"int8"`` (nibbles read as signed ``[-8, 7]``) or ``"uint8"`` (``[0, 15]``).

    Returns:
        A ``dtype`` tensor whose ``axis`` has length ``orig_len``.

    Example:
    >>> unpack_int4(np.array([[45]], np.int8), orig_len=2)   # [[-3], [2]]
    """
    _check_dtype(dtype, "unpack_int4")
    received = backend.standardize_dtype(packed.dtype)
    if received not in _PACKED_DTYPES:
        raise TypeError(f"unpack_int4: expected an int8 or uint8 tensor, received {received}.")
    packed = ops.convert_to_tensor(packed)
    rank = len(packed.shape)
    axis = axis + rank if axis < 0 else axis
    order = [axis] + [i for i in range(rank) if i != axis]
    front = ops.transpose(packed, order) if axis else packed
    nibble = ops.cast(0x0F, received)
    low = ops.bitwise_and(front, nibble)
    high = ops.bitwise_and(ops.right_shift(front, 4), nibble)
    if dtype == "int8":  # nibble n in [0, 15] -> (n ^ 8) - 8 in [-8, 7]
        eight = ops.cast(8, received)
        low, high = (ops.subtract(ops.bitwise_xor(n, eight), eight) for n in (low, high))
    interleaved = ops.stack([ops.cast(low, dtype), ops.cast(high, dtype)], axis=1)
    unpacked = ops.reshape(interleaved, (-1,) + tuple(front.shape[1:]))[:orig_len]
    if not axis:
        return unpacked
    return ops.transpose(unpacked, [order.index(i) for i in range(rank)])
