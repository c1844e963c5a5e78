"""jax backend: the NumPy-like element-wise math, reductions, comparisons and logic.

Written once in ``common/numpy_ops.py`` against ``xp`` and included here with ``xp = jax.numpy``
(see ``common/binding.py``); what follows the include is what jax does differently. Each function
returns a ``jax.Array`` of Keras's dtype; 64-bit mode is on, so the shared code spells out every
dtype JAX would widen.

jax also takes sparse ``BCOO`` tensors where Keras's jax backend does; ``sparse_ops`` holds the
rules (which ops keep a tensor sparse, which densify it), put on the shared functions below.
"""

from __future__ import annotations

import jax.numpy as jnp

from brickwork.backend.common.binding import include
from brickwork.backend.jax import sparse as sparse_ops
from brickwork.backend.jax.core import convert_to_tensor, standardize_dtype  # noqa: F401 - bound for the include

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = jnp  # the array namespace common/numpy_ops.py runs on
include("numpy_ops", globals())


def _bincount(x, weights, length):
    return jnp.bincount(x, weights=weights, length=length)


# ---- sparse (BCOO) inputs ----
# Aliases (abs, conj, true_divide) call the function named here, so they follow its rule.

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
        if not jnp.issubdtype(x.dtype, jnp.inexact):
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


def _without_negative_zero(x):
    """``x`` with -0.0 made the smallest negative normal: XLA on CPU flushes subnormals to zero, so a tiny
    positive value would otherwise tie with -0.0 in ``argmax``/``argmin`` (jax-ml/jax#24280)."""
    x = convert_to_tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.floating) or x.ndim == 0:
        return x
    x = x.astype(jnp.promote_types(x.dtype, jnp.float32))
    return jnp.where((x == 0.0) & jnp.signbit(x), -jnp.finfo(x.dtype).tiny, x)


def argmax(x, axis=None, keepdims=False):
    return jnp.argmax(_without_negative_zero(x), axis=axis, keepdims=keepdims).astype("int32")


def argmin(x, axis=None, keepdims=False):
    return jnp.argmin(_without_negative_zero(x), axis=axis, keepdims=keepdims).astype("int32")
