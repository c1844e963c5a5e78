"""Gradients of a layer with weights, by the engine, against torch autograd of a reference (float64)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from brickwork import backend
from tests.gradient_check import engine_gradients


def check_layer_gradients(layer_cls, kwargs, input_shape, reference, rtol=1e-6, atol=1e-8):
    """Assert d sum(layer(x)) / d(x, *weights) equals torch autograd of ``reference(x, *weights)``.

    ``reference`` takes torch float64 tensors in the layer's weight order and returns a torch tensor.
    """
    if not backend.SUPPORTS_TRAINING:
        pytest.skip(f"the {backend.backend()} backend computes no gradients")
    rng = np.random.default_rng(1)
    x = rng.standard_normal(input_shape)
    layer = layer_cls(**kwargs, dtype="float64")
    layer(x)
    weights = [rng.standard_normal(w.shape) for w in layer.trainable_weights]
    layer.set_weights(weights)

    def forward(inputs, *values):
        with backend.StatelessScope(state_mapping=list(zip(layer.trainable_weights, values))):
            return layer(inputs)

    actual = engine_gradients(forward, [x] + weights)
    tensors = [torch.tensor(a, requires_grad=True) for a in [x] + weights]
    expected_out = reference(*tensors)
    expected_out.sum().backward()
    forward_values = backend.convert_to_numpy(layer(backend.convert_to_tensor(x)))
    np.testing.assert_allclose(forward_values, expected_out.detach().numpy(), rtol=rtol, atol=atol,
                               err_msg="forward values")
    names = ["inputs"] + [w.path for w in layer.trainable_weights]
    for name, got, tensor in zip(names, actual, tensors):
        np.testing.assert_allclose(got, tensor.grad.numpy(), rtol=rtol, atol=atol, err_msg=f"gradient of {name}")
