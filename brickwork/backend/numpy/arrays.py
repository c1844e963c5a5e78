"""numpy backend: NumPy-like shape, indexing, creation, sorting and product ops.

Written once in ``common/array_ops.py`` against ``xp`` and included here with ``xp = numpy``
(see ``common/binding.py``); what follows the include is what NumPy does differently. Each
function returns NumPy arrays with Keras 3's result dtypes, never NumPy scalars.
"""

from __future__ import annotations

import numpy as np

from brickwork.backend.common import dtypes
from brickwork.backend.common.binding import include
from brickwork.backend.numpy.core import convert_to_tensor, standardize_dtype  # noqa: F401 - bound for the include

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = np  # the array namespace common/array_ops.py runs on
to_engine_dtype = dtypes.to_numpy_dtype


def _index_part(key):
    if key is None or key is Ellipsis or isinstance(key, (int, slice, np.ndarray, np.generic)):
        return key
    return convert_to_tensor(key)


include("array_ops", globals())


def _product(fn, arrays, *args, **kwargs):
    """A matmul-like product of ``arrays`` in Keras's result dtype.

    int8 with int8 accumulates in int32, as JAX does; bfloat16, which NumPy cannot multiply in, computes
    in float32 and is cast back.
    """
    arrays = [convert_to_tensor(a) for a in arrays]
    if all(a.dtype == np.int8 for a in arrays):
        return fn(*args, *[a.astype(np.int32) for a in arrays], **kwargs)
    result = dtypes.promote_types(*(standardize_dtype(a.dtype) for a in arrays))
    compute = dtypes.to_numpy_dtype("float32" if result == "bfloat16" else result)
    return np.asarray(fn(*args, *[a.astype(compute) for a in arrays], **kwargs)).astype(dtypes.to_numpy_dtype(result))


def reshape(x, newshape):
    # NumPy takes any negative size for the inferred one; the other engines, and Keras, refuse all but -1.
    if isinstance(newshape, (tuple, list)) and any(isinstance(d, int) and d < -1 for d in newshape):
        raise ValueError(f"negative dimensions other than -1 are not allowed: {tuple(newshape)}")
    return np.reshape(convert_to_tensor(x), newshape)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = _promote_many((sorted_sequence, values))
    if sorted_sequence.ndim != 1:
        raise ValueError(f"sorted_sequence must be 1-D, received shape {tuple(sorted_sequence.shape)}")
    return np.asarray(np.searchsorted(sorted_sequence, values, side=side), dtype=np.int32)


def digitize(x, bins):
    x, bins = _promote_many((x, bins))
    return np.asarray(np.digitize(x, bins), dtype=np.int32)


def matmul(x1, x2):
    return _product(np.matmul, (x1, x2))


def einsum(subscripts, *operands, **kwargs):
    return _product(np.einsum, operands, subscripts, **kwargs)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    result = dtypes.to_numpy_dtype(dtype or dtypes.promote_types(_weak(start), _weak(stop), float))
    values = np.linspace(start, stop, num, endpoint=endpoint, retstep=retstep, dtype=result, axis=axis)
    if retstep:  # NumPy gives the step as a Python float
        values, step = values
        return values, np.asarray(step, dtype=values.dtype if values.dtype.kind == "f" else np.float64)
    return values
