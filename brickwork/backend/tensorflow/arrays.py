"""TensorFlow backend: NumPy-like shape, indexing, creation, sorting and product ops.

Written once in ``common/array_ops.py`` against ``xp`` and included here with
``xp`` = ``tf.experimental.numpy`` completed (``_tnp.py``; see ``common/binding.py``); what follows the include is what
TensorFlow does differently. The shape ops, ``concatenate``, ``matmul``, ``einsum``, ``copy`` and ``digitize``
take a ``tf.SparseTensor`` (see ``sparse.py``).
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf
import tensorflow.experimental.numpy as tnp

from brickwork.backend.common.binding import include
from brickwork.backend.tensorflow import _tnp
from brickwork.backend.tensorflow import sparse as sparse_ops
from brickwork.backend.tensorflow.core import (
    convert_to_tensor,
    standardize_dtype,
    to_tf_dtype,
)

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = _tnp  # the array namespace common/array_ops.py runs on: tnp, completed
to_engine_dtype = to_tf_dtype


def _index_part(key):
    if key is None or key is Ellipsis or isinstance(key, (int, slice, tf.Tensor, np.ndarray)):
        return key
    return convert_to_tensor(key)


include("array_ops", globals())



def _is_array_part(part) -> bool:
    return isinstance(part, (tf.Tensor, np.ndarray)) and len(part.shape) > 0


def _advanced_parts(parts: list) -> list:
    """A tuple key's parts as tnp indexes them the NumPy way: a boolean mask becomes the index arrays of its
    True positions (tnp takes only a 1-D mask, alone), and next to index arrays an integer becomes a
    one-element array (NumPy counts it as an advanced index; tnp would keep its axis in place)."""
    out = []
    for part in parts:
        if _is_array_part(part) and part.dtype in (tf.bool, np.bool_):
            out.extend(tf.unstack(tf.cast(tf.where(part), tf.int32), num=len(part.shape), axis=1))
        else:
            out.append(part)
    if any(_is_array_part(part) for part in out):
        out = [np.array([part]) if isinstance(part, (int, np.integer)) and not isinstance(part, bool) else part
               for part in out]
    return out


def get_item(x, key):
    x = convert_to_tensor(x)
    key = _tuple_key(key)
    if isinstance(key, tuple):
        return x[tuple(_advanced_parts([_index_part(k) for k in key]))]
    return x[_index_part(key)]


def size(x):
    """The element count: a Python int where the shape is known, as NumPy's (tnp's is a tensor)."""
    x = convert_to_tensor(x)
    count = x.shape.num_elements()
    return count if count is not None else tf.size(x)


def take(x, indices, axis=None):
    return _tnp.take(convert_to_tensor(x, sparse=False), convert_to_tensor(indices, sparse=False), axis=axis)


def take_along_axis(x, indices, axis=None):
    return _tnp.take_along_axis(convert_to_tensor(x), convert_to_tensor(indices), axis)


def view(x, dtype=None):
    """The same bits read as ``dtype``; the last axis grows or shrinks by the ratio of item sizes, as NumPy's."""
    x = convert_to_tensor(x)
    if dtype is None:
        return x
    target = to_tf_dtype(standardize_dtype(dtype))
    source = x.dtype
    if source == target:
        return x
    bits = tf.cast(x, tf.uint8) if source == tf.bool else x  # TensorFlow bitcasts no bools
    through = tf.uint8 if target == tf.bool else target
    old, new = bits.dtype.size, through.size
    if x.shape.rank == 0 and old != new:
        raise ValueError(f"Changing the dtype of a 0d array is only supported if the itemsize is unchanged; "
                         f"received {source.name} to {target.name}")
    if new < old:
        out = tf.bitcast(bits, through)  # adds a last axis of old // new
        out = tf.reshape(out, tf.concat([tf.shape(bits)[:-1], [-1]], 0))
    elif new > old:
        ratio = new // old
        if x.shape[-1] % ratio:
            raise ValueError(f"To change to a dtype of a different size, the last axis must be divisible by "
                             f"{ratio}; received shape {tuple(x.shape)} ({source.name} to {target.name})")
        grouped = tf.reshape(bits, tf.concat([tf.shape(bits)[:-1], [x.shape[-1] // ratio, ratio]], 0))
        out = tf.bitcast(grouped, through)
    else:
        out = tf.bitcast(bits, through)
    return tf.cast(out, tf.bool) if target == tf.bool else out


# ---- sparse (tf.SparseTensor) inputs ----

copy = sparse_ops.elementwise_unary(linear=True)(copy)
digitize = sparse_ops.elementwise_unary(linear=False)(digitize)


reshape = sparse_ops.sparse_form(sparse_ops.reshape)(reshape)
expand_dims = sparse_ops.sparse_form(sparse_ops.expand_dims)(expand_dims)
squeeze = sparse_ops.sparse_form(sparse_ops.squeeze)(squeeze)
transpose = sparse_ops.sparse_form(sparse_ops.transpose)(transpose)
moveaxis = sparse_ops.sparse_form(sparse_ops.moveaxis)(moveaxis)
_dense_concatenate = concatenate


def concatenate(xs, axis=0):
    """All sparse: a sparse result; some sparse: densified and joined densely (as Keras)."""
    sparse_count = sum(isinstance(x, tf.SparseTensor) for x in xs)
    if not sparse_count:
        return _dense_concatenate(xs, axis)
    if sparse_count == len(xs):
        return sparse_ops.concatenate(_promote_many(xs), axis)
    return _dense_concatenate([sparse_ops.to_dense(x) for x in xs], axis)


def _int8_product(arrays) -> bool:
    """Keras accumulates int8 x int8 products in int32."""
    return all(standardize_dtype(getattr(a, "dtype", "float32")) == "int8" for a in arrays)


def _has_sparse(operands) -> bool:
    return any(isinstance(x, tf.SparseTensor) for x in operands)


def matmul(x1, x2):
    int8 = _int8_product((x1, x2))  # judged on the inputs: int8 x bool stays int8
    x1, x2 = _promote_many((x1, x2))
    product = sparse_ops.matmul if _has_sparse((x1, x2)) else tnp.matmul
    if int8:
        return product(tf.cast(x1, tf.int32), tf.cast(x2, tf.int32))
    if x1.dtype.is_integer or x1.dtype == tf.bool:  # TensorFlow's MatMul has no kernel for most integer types
        return tf.cast(product(tf.cast(x1, tf.float64), tf.cast(x2, tf.float64)), x1.dtype)
    if product is tnp.matmul and x1.shape.rank is not None and x1.shape.rank >= 2 \
            and x2.shape.rank is not None and x2.shape.rank >= 2:
        return tf.linalg.matmul(x1, x2)  # broadcasts batch axes as tnp does, without redoing its dtype promotion
    return product(x1, x2)


def einsum(subscripts, *operands, **kwargs):
    int8 = _int8_product(operands)
    operands = _promote_many(operands)
    product = sparse_ops.einsum if _has_sparse(operands) else tf.einsum
    if int8:
        return product(subscripts, *[tf.cast(x, tf.int32) for x in operands])
    dtype = operands[0].dtype if operands else tf.float32
    if dtype.is_integer or dtype == tf.bool:
        return tf.cast(product(subscripts, *[tf.cast(x, tf.float64) for x in operands]), dtype)
    return product(subscripts, *operands)
