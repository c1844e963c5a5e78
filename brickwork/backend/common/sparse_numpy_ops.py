"""Sparse inputs to the NumPy-like ops, for the engines that have sparse tensors (JAX's BCOO, TensorFlow's
``tf.SparseTensor``): which ops keep a sparse tensor sparse, which densify it, as Keras's rules.

An engine's ``numpy.py`` includes this after ``numpy_ops`` (see ``binding.py``), with ``sparse_ops`` bound
to its own ``sparse.py``; that module holds the rules (decorators) and the sparse forms of the reductions.
The rules wrap the shared dense functions, so a dense call pays one type check. Aliases (``abs``,
``conj``, ``true_divide``) call the function named here, so they follow its rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from brickwork.backend.common import dtypes

REQUIRES = ("sparse_ops", "convert_to_tensor", "standardize_dtype", "sum", "mean", "bincount", "_widened_int",
            "_axis", "_is_inexact")
if TYPE_CHECKING:  # bound by the including engine module
    from brickwork.backend.jax import sparse as sparse_ops

# ruff: noqa: F821 - the names in REQUIRES are bound by the including module

_SPARSE_RULES = {
    sparse_ops.densifying: ("arccos", "arccosh", "cos", "cosh", "exp", "exp2", "isfinite", "log", "log10",
                            "log2", "reciprocal"),
    sparse_ops.elementwise_unary(linear=True): ("conjugate", "imag", "negative", "real"),
    sparse_ops.elementwise_unary(linear=False): ("absolute", "arcsin", "arcsinh", "arctan", "arctanh", "ceil",
                                                 "expm1", "floor", "isinf", "isnan", "log1p", "round", "sign",
                                                 "signbit", "sin", "sinh", "sqrt", "square", "tan", "tanh"),
    sparse_ops.union(linear=True): ("add", "subtract"),
    sparse_ops.union(linear=False): ("maximum", "minimum"),
    sparse_ops.intersection: ("multiply",),
    sparse_ops.division: ("divide",),
}
for _rule, _names in _SPARSE_RULES.items():
    for _name in _names:
        globals()[_name] = _rule(globals()[_name])

_dense_sum, _dense_mean, _dense_bincount = sum, mean, bincount


def sum(x, axis=None, keepdims=False):
    if type(x) in sparse_ops.SPARSE_TYPES:
        x = convert_to_tensor(x, _widened_int(standardize_dtype(x.dtype)))
        return sparse_ops.reduce_sum(x, _axis(axis), keepdims)
    return _dense_sum(x, axis, keepdims)


def mean(x, axis=None, keepdims=False):
    if type(x) in sparse_ops.SPARSE_TYPES:
        dtype = standardize_dtype(x.dtype)
        if not _is_inexact(x):
            dtype = dtypes.promote_types(dtype, "float32")
        return sparse_ops.mean(convert_to_tensor(x, dtype), _axis(axis), keepdims)
    return _dense_mean(x, axis, keepdims)


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse or type(x) in sparse_ops.SPARSE_TYPES:
        x, dtype = convert_to_tensor(x), "int32"
        if weights is not None:
            weights = convert_to_tensor(weights)
            dtype = dtypes.promote_types(standardize_dtype(x.dtype), standardize_dtype(weights.dtype))
        return sparse_ops.bincount(x, weights, minlength, dtype)
    return _dense_bincount(x, weights, minlength)
