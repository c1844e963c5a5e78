"""Autocasting: how a mixed-precision layer computes in its compute dtype.

Two rules, as in Keras 3. A layer casts its floating-point inputs to its compute dtype, and
while its ``call`` runs, float variables (created with ``autocast=True``) are read cast to that
dtype; they stay stored in the variable dtype (float32), so the optimizer updates full-precision
weights and gradients flow back through the cast in float32.

``Layer.__call__`` sends a call here only when the layer's policy is mixed or an enclosing layer
opened an autocast scope, so a plain float32 model never pays for any of this.
"""

from __future__ import annotations

import optree

from brickwork import backend
from brickwork.backend.common import dtypes, global_state
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.backend.common.variables import AutocastScope  # noqa: F401  (its home: the variables it reads)
from brickwork.layers import masking


def get_autocast_scope_dtype() -> str | None:
    """The dtype float variables are read in right now (``None`` outside mixed-precision calls)."""
    return global_state.STATE.autocast_dtype


def cast_inputs(tree, dtype: str):
    """``tree`` with every floating-point tensor (concrete or symbolic) cast to ``dtype``; masks are kept."""

    def cast(x):
        if isinstance(x, KerasTensor):
            if dtypes.is_float(x.dtype) and x.dtype != dtype:
                cast_x = KerasTensor(x.shape, dtype=dtype, sparse=x.sparse, name=x.name)
                cast_x._keras_mask = getattr(x, "_keras_mask", None)
                return cast_x
            return x
        if backend.is_tensor(x):
            x_dtype = backend.standardize_dtype(x.dtype)
            if x_dtype != dtype and dtypes.is_float(x_dtype):
                mask = masking.get_mask(x)
                x = backend.convert_to_tensor(x, dtype)
                if mask is not None:
                    masking.set_mask(x, mask)
        return x

    return optree.tree_map(cast, tree, none_is_leaf=True)


def call_in_compute_dtype(layer, call, args: tuple, kwargs: dict):
    """Run ``call(args, kwargs)`` the mixed-precision way for ``layer``.

    Float inputs are cast to the layer's compute dtype (unless ``layer.autocast`` is False or the
    layer opts out with ``_convert_input_args = False``, as Functional models do: each inner layer
    casts for itself), and float variables are read in that dtype while the call runs.
    """
    compute = layer.compute_dtype
    autocast = layer.autocast and dtypes.is_float(compute)
    if autocast and getattr(layer, "_convert_input_args", True):
        args = cast_inputs(args, compute)
        kwargs = cast_inputs(kwargs, compute) if kwargs else kwargs
    with AutocastScope(compute if autocast else None):
        return call(args, kwargs)
