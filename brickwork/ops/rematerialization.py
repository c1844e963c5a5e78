"""Which function a layer or operation runs under a ``RematScope``: its ``call`` as is, or wrapped by ``remat``.

The scope in force when the layer (or operation) was created decides (``layer._remat_mode``); see
``brickwork.backend.common.remat`` for the modes.
"""

from __future__ import annotations

import functools
import math

import optree

from brickwork.backend.common import remat
from brickwork.backend.common.keras_tensor import KerasTensor


def rematerialized_call(layer, layer_call, args, kwargs):
    """``layer_call`` (the layer's ``call``), wrapped for rematerialization where the layer's mode asks."""
    mode = layer._remat_mode
    if mode is None or mode.mode is None:
        return layer_call
    if mode.mode == "full":
        return remat.remat(layer_call)
    if mode.mode == "list_of_layers":
        return remat.remat(layer_call) if layer.name in mode.layer_names else layer_call
    if mode.mode == "activations":
        return _with_rematerialized_activation(layer, layer_call)
    if _output_size(layer, args, kwargs) > mode.output_size_threshold:  # "larger_than"
        return remat.remat(layer_call)
    return layer_call


def _with_rematerialized_activation(layer, layer_call):
    if getattr(layer, "activation", None) is None:
        return layer_call

    @functools.wraps(layer_call)
    def call(*args, **kwargs):
        activation = layer.activation
        object.__setattr__(layer, "activation", remat.remat(activation))
        try:
            return layer_call(*args, **kwargs)
        finally:
            object.__setattr__(layer, "activation", activation)

    return call


def _output_size(layer, args, kwargs) -> int:
    spec = layer.compute_output_spec(*args, **kwargs)
    leaves = optree.tree_leaves(spec, is_leaf=lambda x: isinstance(x, KerasTensor))
    return sum(math.prod(d or 1 for d in leaf.shape) for leaf in leaves if isinstance(leaf, KerasTensor))
