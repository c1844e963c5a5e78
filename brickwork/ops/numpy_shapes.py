"""Shape arithmetic: ``broadcast_shapes``, ``shape_equal``, and ``vectorize``, which broadcasts a function.

``broadcast_shapes`` and ``shape_equal`` work on shapes alone (tuples of ints, ``None`` for an unknown
size), as Keras's ``ops.numpy`` offers them. ``vectorize`` is written once on the other ops: the loop
dimensions of its inputs are broadcast, flattened into one batch axis, and mapped with
``vectorized_map`` (``torch.vmap``, ``jax.vmap``, a loop on NumPy).
"""

from __future__ import annotations

import math as _math
import re as _re
from typing import Callable as _Callable

from brickwork import tree as _tree
from brickwork.backend import convert_to_tensor as _convert_to_tensor
from brickwork.ops import core as _core
from brickwork.ops import numpy_arrays as _arrays
from brickwork.ops.operation_utils import broadcast_shapes  # noqa: F401 - ops.numpy.broadcast_shapes


def shape_equal(shape1, shape2, axis: int | tuple | list | None = None, allow_none: bool = True) -> bool:
    """Whether two shapes are equal, leaving out the axes in ``axis``.

    Args:
        shape1: a tuple or list of sizes.
        shape2: another.
        axis: axes not compared (an int or a sequence; negative counts from the end).
        allow_none: whether an unknown size (``None``) matches any size.

    Returns:
        ``True`` if the shapes have the same rank and match on every axis not in ``axis`` (a ``None`` matches any
            size when ``allow_none``), else ``False``.

    Example:
    >>> ops.numpy.shape_equal((32, None), (32, 64))   # True
    """
    if len(shape1) != len(shape2):
        return False
    skipped = set()
    if axis is not None:
        skipped = {a % len(shape1) for a in ([axis] if isinstance(axis, int) else axis)}
    for i, (a, b) in enumerate(zip(shape1, shape2)):
        if i in skipped or (allow_none and (a is None or b is None)):
            continue
        if a != b:
            return False
    return True


_CORE = r"\(([\w,\s]*)\)"


def _core_ranks(signature: str) -> list[int]:
    """The number of core dimensions of each input in a signature like ``"(m,n),(n)->(m)"``."""
    inputs = signature.replace(" ", "").split("->")[0]
    parts = _re.findall(_CORE, inputs)
    if not parts or "->" not in signature:
        raise ValueError(f"vectorize: invalid signature {signature!r}; expected e.g. '(m,n),(n)->(m)'.")
    return [len([d for d in part.split(",") if d]) for part in parts]


def vectorize(pyfunc: _Callable, *, excluded: set | None = None, signature: str | None = None) -> _Callable:
    """``pyfunc`` applied across the leading (loop) dimensions of its tensor arguments.

    Args:
        pyfunc: a function of tensors.
        excluded: positions of arguments passed to ``pyfunc`` unchanged.
        signature: the core dimensions, NumPy's generalized-ufunc form (``"(d,d)->()"``); without
            it, ``pyfunc`` takes and returns scalars.

    Returns:
        The vectorized function: the loop dimensions of the inputs broadcast together and lead
            every output.

    Example:
    >>> traces = ops.vectorize(ops.trace, signature="(d,d)->()")(np.ones((5, 3, 3)))   # shape (5,)
    """
    if not callable(pyfunc):
        raise ValueError(f"Expected argument `pyfunc` to be a callable. Received: pyfunc={pyfunc!r}")
    excluded = set(excluded or ())

    def vectorized(*args):
        positions = [i for i in range(len(args)) if i not in excluded]
        tensors = [_convert_to_tensor(args[i]) for i in positions]
        ranks = _core_ranks(signature) if signature else [0] * len(tensors)
        if len(ranks) != len(tensors):
            raise ValueError(f"vectorize: the signature {signature!r} names {len(ranks)} inputs, received "
                             f"{len(tensors)}.")
        loop = []
        for tensor, rank in zip(tensors, ranks):
            loop = broadcast_shapes(loop, tuple(tensor.shape)[:len(tensor.shape) - rank])
        if not loop:
            return pyfunc(*args)
        batch = _math.prod(loop)
        flat = []
        for tensor, rank in zip(tensors, ranks):
            core = tuple(tensor.shape)[len(tensor.shape) - rank:]
            flat.append(_arrays.reshape(_arrays.broadcast_to(tensor, tuple(loop) + core), (batch,) + core))

        def one(slices):
            call_args = list(args)
            for i, value in zip(positions, slices):
                call_args[i] = value
            return pyfunc(*call_args)

        outputs = _core.vectorized_map(one, tuple(flat))
        return _tree.map_structure(lambda y: _arrays.reshape(y, tuple(loop) + tuple(y.shape[1:])), outputs)

    return vectorized
