"""Gradients of a built layer, by the engine, against torch autograd of an independent reference (float64).

Example:
    layer = layers.LayerNormalization(dtype="float64"); layer.build((2, 3))
    check_layer_gradients(layer, x, lambda x, gamma, beta: F.layer_norm(x, (3,), gamma, beta, 1e-3))
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from brickwork import backend
from tests.gradient_check import engine_gradients


def check_layer_gradients(layer, x, reference, call_kwargs=None, rtol=1e-6, atol=1e-8):
    """Assert d L / d(x, *trainable weights) matches torch, for ``L = sum(layer(x) * R)`` with a fixed random ``R``.

    ``reference(x, *weights)`` takes torch float64 tensors (the layer's trainable weights, in order)
    and returns the layer's output. Weighting by ``R`` keeps gradients that a plain sum would cancel
    (a normalized output sums to a constant).
    """
    if not backend.SUPPORTS_TRAINING:
        pytest.skip(f"the {backend.backend()} backend computes no gradients")
    call_kwargs = call_kwargs or {}
    x = np.asarray(x, dtype=np.float64)
    variables = layer.trainable_weights
    weights = [np.asarray(v.numpy(), dtype=np.float64) for v in variables]
    out_shape = np.shape(backend.convert_to_numpy(layer(backend.convert_to_tensor(x), **call_kwargs)))
    projection = np.random.default_rng(7).standard_normal(out_shape)

    def forward(inputs, *values):
        with backend.StatelessScope(state_mapping=list(zip(variables, values))):
            return layer(inputs, **call_kwargs) * backend.convert_to_tensor(projection)

    actual = engine_gradients(forward, [x] + weights)
    tensors = [torch.tensor(a, requires_grad=True) for a in [x] + weights]
    (reference(*tensors) * torch.tensor(projection)).sum().backward()
    names = ["inputs"] + [v.path for v in variables]
    for name, got, tensor in zip(names, actual, tensors):
        np.testing.assert_allclose(got, tensor.grad.numpy(), rtol=rtol, atol=atol, err_msg=f"gradient of {name}")
