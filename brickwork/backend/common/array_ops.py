"""NumPy-like shape, indexing, creation, sorting and product ops, written once against ``xp``.

Included by ``backend/<engine>/arrays.py`` (see ``common/binding.py``): the engine module binds the
names in ``REQUIRES`` and runs this code in its own namespace. Each function takes arrays,
Variables or Python scalars and returns arrays with Keras 3's result dtypes (see
``brickwork.backend.common.dtypes.promote_types``). What an engine does differently (its index
types, int8 products, gathers) it defines after the include.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from brickwork.backend import config
from brickwork.backend.common import dtypes

REQUIRES = ("xp", "convert_to_tensor", "standardize_dtype", "to_engine_dtype", "_index_part")
if TYPE_CHECKING:  # bound by the including engine module
    import numpy as xp  # or jax.numpy: any NumPy-like namespace

    from brickwork.backend.common.dtypes import standardize_dtype

    def convert_to_tensor(x, dtype=None): ...

    def to_engine_dtype(dtype):
        """The engine's dtype object for a Keras dtype name."""

    def _index_part(key):
        """One part of an index key, as the engine indexes with it."""

_SCALARS = (int, float, bool, complex)


def _dtype_name(x) -> str:
    return standardize_dtype(x.dtype)


def _promote_many(values) -> list:
    """All of ``values`` as arrays of their Keras result dtype (Python scalars stay weak)."""
    arrays = [v if isinstance(v, _SCALARS) else convert_to_tensor(v) for v in values]
    kinds = {a.dtype for a in arrays if not isinstance(a, _SCALARS)}
    if len(kinds) == 1 and not any(isinstance(a, _SCALARS) for a in arrays):
        return arrays
    target = dtypes.promote_types(*[a if isinstance(a, _SCALARS) else _dtype_name(a) for a in arrays])
    return [convert_to_tensor(a, target) for a in arrays]


# ---- shape ----


def reshape(x, newshape):
    return xp.reshape(convert_to_tensor(x), newshape)


def transpose(x, axes=None):
    return xp.transpose(convert_to_tensor(x), axes)


def expand_dims(x, axis):
    return xp.expand_dims(convert_to_tensor(x), axis)


def squeeze(x, axis=None):
    return xp.squeeze(convert_to_tensor(x), axis)


def ravel(x):
    return xp.ravel(convert_to_tensor(x))


def broadcast_to(x, shape):
    return xp.broadcast_to(convert_to_tensor(x), tuple(shape))


def moveaxis(x, source, destination):
    return xp.moveaxis(convert_to_tensor(x), source, destination)


def swapaxes(x, axis1, axis2):
    return xp.swapaxes(convert_to_tensor(x), axis1, axis2)


def ndim(x) -> int:
    return convert_to_tensor(x).ndim


def size(x) -> int:
    return convert_to_tensor(x).size


# ---- joining and splitting ----


def concatenate(xs, axis=0):
    return xp.concatenate(_promote_many(xs), axis=axis)


def stack(x, axis=0):
    return xp.stack(_promote_many(x), axis=axis)


def hstack(xs):
    return xp.hstack(_promote_many(xs))


def vstack(xs):
    return xp.vstack(_promote_many(xs))


def append(x1, x2, axis=None):
    x1, x2 = _promote_many((x1, x2))
    return xp.append(x1, x2, axis=axis)


def split(x, indices_or_sections, axis=0):
    x = convert_to_tensor(x)
    if isinstance(indices_or_sections, int) and x.shape[axis] % indices_or_sections:
        raise ValueError(
            f"x.shape[{axis}]={x.shape[axis]} is not divisible by indices_or_sections={indices_or_sections}"
        )
    return xp.split(x, _sections(indices_or_sections), axis=axis)


def _sections(indices_or_sections):
    if isinstance(indices_or_sections, int):
        return indices_or_sections
    return [int(i) for i in indices_or_sections]


def array_split(x, indices_or_sections, axis=0):
    return xp.array_split(convert_to_tensor(x), _sections(indices_or_sections), axis=axis)


def hsplit(x, indices_or_sections):
    x = convert_to_tensor(x)
    return split(x, indices_or_sections, axis=1 if x.ndim > 1 else 0)


def vsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=0)


# ---- indexing ----


def _tuple_key(key):
    """A list key holding slices, ``None`` or ``Ellipsis`` (a tuple key after a JSON round trip, as in a saved
    Functional model's config) as the tuple it was; Keras indexes with it the same way."""
    if isinstance(key, list) and any(k is None or k is Ellipsis or isinstance(k, slice) for k in key):
        return tuple(key)
    return key


def get_item(x, key):
    x = convert_to_tensor(x)
    key = _tuple_key(key)
    if isinstance(key, tuple):
        return x[tuple(_index_part(k) for k in key)]
    return x[_index_part(key)]


def take(x, indices, axis=None):
    x = convert_to_tensor(x)
    indices = convert_to_tensor(indices)
    return np.take(x, indices, axis=axis)


def take_along_axis(x, indices, axis=None):
    x = convert_to_tensor(x)
    indices = convert_to_tensor(indices)
    return np.take_along_axis(x, indices, axis=axis)


def where(condition, x1=None, x2=None):
    condition = convert_to_tensor(condition, "bool")
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError("`x1` and `x2` either both should be `None` (the indices form) or both be given")
    x1, x2 = _promote_many((x1, x2))
    return xp.where(condition, x1, x2)


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError(f"condlist has {len(condlist)} entries but choicelist has {len(choicelist)}")
    *choices, default = _promote_many([*choicelist, default])
    conditions = [convert_to_tensor(c, "bool") for c in condlist]
    return xp.select(conditions, choices, default)


def nonzero(x):
    return tuple(i.astype(xp.int32) for i in xp.nonzero(convert_to_tensor(x)))


def unravel_index(indices, shape):
    indices = convert_to_tensor(indices)
    return tuple(i.astype(indices.dtype) for i in xp.unravel_index(indices, tuple(shape)))


# ---- rearranging ----


def pad(x, pad_width, mode="constant", constant_values=None):
    x = convert_to_tensor(x)
    if constant_values is not None and mode != "constant":
        raise ValueError(f"Argument `constant_values` can only be provided when `mode == 'constant'`; "
                         f"received mode={mode!r}")
    if mode == "constant":
        return xp.pad(x, pad_width, mode=mode, constant_values=0 if constant_values is None else constant_values)
    return xp.pad(x, pad_width, mode=mode)


def tile(x, repeats):
    return xp.tile(convert_to_tensor(x), repeats)


def repeat(x, repeats, axis=None):
    if not isinstance(repeats, int):
        repeats = np.asarray(repeats)
    return xp.repeat(convert_to_tensor(x), repeats, axis=axis)


def flip(x, axis=None):
    return xp.flip(convert_to_tensor(x), axis)


def roll(x, shift, axis=None):
    return xp.roll(convert_to_tensor(x), shift, axis)


def rot90(array, k=1, axes=(0, 1)):
    array = convert_to_tensor(array)
    if array.ndim < 2:
        raise ValueError(f"rot90 needs an input of at least 2 dimensions, received ndim={array.ndim}")
    return xp.rot90(array, k, tuple(axes))


# ---- sorting and searching ----


def sort(x, axis=-1):
    return xp.sort(convert_to_tensor(x), axis=axis, stable=True)


def argsort(x, axis=-1):
    x = convert_to_tensor(x)
    if x.ndim == 0:  # a scalar sorts as its one-element flattening, as NumPy does
        axis = None
    return xp.argsort(x, axis=axis, stable=True).astype(xp.int32)


def argpartition(x, kth, axis=-1):
    x = convert_to_tensor(x)
    if axis is None:  # over the flattened array, as NumPy does (jax.numpy wants an axis)
        x, axis = x.reshape(-1), -1
    return xp.argpartition(x, kth, axis=axis).astype(xp.int32)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = _promote_many((sorted_sequence, values))
    if sorted_sequence.ndim != 1:
        raise ValueError(f"sorted_sequence must be 1-D, received shape {tuple(sorted_sequence.shape)}")
    return xp.searchsorted(sorted_sequence, values, side=side).astype(xp.int32)


def digitize(x, bins):
    x, bins = _promote_many((x, bins))
    return xp.digitize(x, bins).astype(xp.int32)


def histogram(x, bins=10, range=None):
    x = convert_to_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"Input tensor must be 1-dimensional. Received: shape={tuple(x.shape)}")
    if range is not None and not range[0] < range[1]:  # jnp.histogram would count into an empty range
        raise ValueError(f"histogram: range={tuple(range)} is empty.")
    result = to_engine_dtype(dtypes.promote_types(_dtype_name(x), float))
    counts, edges = xp.histogram(x.astype(result), bins=bins, range=range)
    return counts.astype(result), edges.astype(result)


# ---- products ----


def dot(x1, x2):
    x1, x2 = _promote_many((x1, x2))
    return xp.dot(x1, x2)


def tensordot(x1, x2, axes=2):
    x1, x2 = _promote_many((x1, x2))
    return xp.tensordot(x1, x2, axes)


def inner(x1, x2):
    x1, x2 = _promote_many((x1, x2))
    return xp.inner(x1, x2)


def outer(x1, x2):
    x1, x2 = _promote_many((x1, x2))
    return xp.outer(x1, x2)


def vdot(x1, x2):
    x1, x2 = _promote_many((x1, x2))
    return xp.vdot(x1, x2)


def kron(x1, x2):
    x1, x2 = _promote_many((x1, x2))
    return xp.kron(x1, x2)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    x1, x2 = _promote_many((x1, x2))
    return xp.cross(x1, x2, axisa=axisa, axisb=axisb, axisc=axisc, axis=axis)


def correlate(x1, x2, mode="valid"):
    x1, x2 = _promote_many((x1, x2))
    result = _dtype_name(x1)
    result = "float64" if result == "int64" else result if result in ("bfloat16", "float16", "float64") else "float32"
    return xp.correlate(x1.astype(result), x2.astype(result), mode=mode)


# ---- diagonals and triangles ----


def diag(x, k=0):
    return xp.diag(convert_to_tensor(x), k)


def diagflat(x, k=0):
    return xp.diagflat(convert_to_tensor(x), k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    if axis1 % max(x.ndim, 1) == axis2 % max(x.ndim, 1):
        raise ValueError(f"axis1 and axis2 must be different axes. Received: axis1={axis1}, axis2={axis2}")
    return xp.diagonal(x, offset, axis1, axis2)


def trace(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    name = _dtype_name(x)
    # Small integers accumulate in 32 bits and keep their signedness, as JAX's trace does.
    result = {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32", "uint16": "uint32"}.get(name, name)
    return xp.trace(x, offset, axis1, axis2, dtype=to_engine_dtype(result))


def diff(a, n=1, axis=-1):
    return xp.diff(convert_to_tensor(a), n=n, axis=axis)


def triu(x, k=0):
    return xp.triu(convert_to_tensor(x), k)


def tril(x, k=0):
    return xp.tril(convert_to_tensor(x), k)


# ---- creation ----


def _creation_dtype(dtype):
    return to_engine_dtype(dtype or config.floatx())


def zeros(shape, dtype=None):
    return xp.zeros(shape, dtype=_creation_dtype(dtype))


def ones(shape, dtype=None):
    return xp.ones(shape, dtype=_creation_dtype(dtype))


def empty(shape, dtype=None):
    return xp.empty(shape, dtype=_creation_dtype(dtype))


def full(shape, fill_value, dtype=None):
    return xp.full(shape, convert_to_tensor(fill_value), dtype=_creation_dtype(dtype))


def zeros_like(x, dtype=None):
    x = convert_to_tensor(x)
    return xp.zeros_like(x, dtype=to_engine_dtype(dtype) if dtype else None)


def ones_like(x, dtype=None):
    x = convert_to_tensor(x)
    return xp.ones_like(x, dtype=to_engine_dtype(dtype) if dtype else None)


def empty_like(x, dtype=None):
    x = convert_to_tensor(x)
    return xp.empty_like(x, dtype=to_engine_dtype(dtype) if dtype else None)


def full_like(x, fill_value, dtype=None):
    x = convert_to_tensor(x)
    return xp.full(x.shape, convert_to_tensor(fill_value), dtype=to_engine_dtype(dtype) if dtype else x.dtype)


def array(x, dtype=None):
    return convert_to_tensor(x, dtype)


def copy(x):
    return xp.array(convert_to_tensor(x), copy=True)


def eye(N, M=None, k=0, dtype=None):
    return xp.eye(N, M, k=k, dtype=_creation_dtype(dtype))


def identity(n, dtype=None):
    return xp.identity(n, dtype=_creation_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    return xp.tri(N, M, k, dtype=_creation_dtype(dtype))


def _weak(value):
    """A Python scalar as itself (weakly typed), anything else as its dtype name."""
    return value if isinstance(value, _SCALARS) else _dtype_name(convert_to_tensor(value))


def arange(start, stop=None, step=1, dtype=None):
    if dtype is None:
        dtype = dtypes.promote_types(*[_weak(v) for v in (start, stop, step) if v is not None])
    return xp.arange(start, stop, step, dtype=to_engine_dtype(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    result = to_engine_dtype(dtype or dtypes.promote_types(_weak(start), _weak(stop), float))
    return xp.linspace(start, stop, num, endpoint=endpoint, retstep=retstep, dtype=result, axis=axis)


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    result = to_engine_dtype(dtype or dtypes.promote_types(_weak(start), _weak(stop), float))
    return xp.logspace(start, stop, num, endpoint=endpoint, base=base, dtype=result, axis=axis)


def meshgrid(*x, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"`indexing` must be 'xy' or 'ij'. Received: indexing={indexing!r}")
    # NumPy flattens an N-d coordinate input; jax.numpy and torch refuse one.
    return list(xp.meshgrid(*[xp.ravel(convert_to_tensor(v)) for v in x], indexing=indexing))


def view(x, dtype=None):
    x = convert_to_tensor(x)
    return x if dtype is None else x.view(to_engine_dtype(standardize_dtype(dtype)))


def _fit_size(values, extras, axis, size, fill_value):
    """Unique ``values`` and their ``extras`` (first indices, counts) cut or padded to ``size`` along ``axis``."""
    count = values.shape[axis]
    if count >= size:
        return xp.take(values, xp.arange(size), axis=axis), [e[:size] for e in extras]
    widths = [(0, 0)] * values.ndim
    widths[axis] = (0, size - count)
    values = xp.pad(values, widths, constant_values=0 if fill_value is None else fill_value)
    # Padded indices repeat the first one (still a valid index, as jax.numpy.unique pads); counts pad with 0.
    index, counts = extras
    first = index[0] if count else 0
    return values, [xp.pad(index, (0, size - count), constant_values=first), xp.pad(counts, (0, size - count))]


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None, size=None,
           fill_value=None):
    x = convert_to_tensor(x)
    axis = None if axis is None else axis % x.ndim
    # NaNs stay distinct, as torch.unique keeps them, so that every engine gives the same values.
    values, first, inverse, counts = xp.unique(x, return_index=True, return_inverse=True, return_counts=True,
                                               axis=axis, equal_nan=False)
    extras = [first.astype("int32"), counts.astype("int32")]
    if size is not None:
        values, extras = _fit_size(values, extras, 0 if axis is None else axis, size, fill_value)
    outputs = [values]
    if return_index:
        outputs.append(extras[0])
    if return_inverse:
        outputs.append(inverse.reshape(x.shape if axis is None else (-1,)).astype("int32"))
    if return_counts:
        outputs.append(extras[1])
    return outputs[0] if len(outputs) == 1 else tuple(outputs)
