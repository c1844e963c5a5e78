"""Finite-difference gradient checks for ops, on the torch, jax and tensorflow backends.

Example:
    check_gradients(lambda x: ops.sum(ops.sin(x)), [np.random.rand(3, 2)])
"""

from __future__ import annotations

import numpy as np
import pytest

from brickwork import backend

BACKEND = backend.backend()


def engine_gradients(fn, inputs):
    """Gradients of ``sum(fn(*inputs))`` with respect to each input, by the engine's autodiff."""
    if BACKEND == "torch":
        import torch

        tensors = [torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True) for x in inputs]
        out = fn(*tensors)
        grads = torch.autograd.grad(out.sum(), tensors, allow_unused=True)
        return [np.zeros_like(x) if g is None else g.detach().numpy() for x, g in zip(inputs, grads)]
    if BACKEND == "jax":
        import jax
        import jax.numpy as jnp

        arrays = [jnp.asarray(np.asarray(x, dtype=np.float64)) for x in inputs]
        grads = jax.grad(lambda *xs: jnp.sum(fn(*xs)), argnums=tuple(range(len(arrays))))(*arrays)
        return [np.asarray(g) for g in grads]
    if BACKEND == "tensorflow":
        import tensorflow as tf

        tensors = [tf.constant(np.asarray(x, dtype=np.float64)) for x in inputs]
        with tf.GradientTape() as tape:
            tape.watch(tensors)
            out = tf.reduce_sum(fn(*tensors))
        grads = tape.gradient(out, tensors, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return [tf.convert_to_tensor(g).numpy() for g in grads]  # a gather gives IndexedSlices
    pytest.skip(f"the {BACKEND} backend computes no gradients")


def numeric_gradients(fn, inputs, eps=1e-6):
    """Central differences of ``sum(fn(*inputs))``, in float64."""
    inputs = [np.array(x, dtype=np.float64) for x in inputs]

    def total(*xs):
        return float(np.sum(backend.convert_to_numpy(fn(*[backend.convert_to_tensor(x) for x in xs]))))

    grads = []
    for i, x in enumerate(inputs):
        grad = np.zeros_like(x)
        for index in np.ndindex(x.shape):
            plus = [v.copy() for v in inputs]
            minus = [v.copy() for v in inputs]
            plus[i][index] += eps
            minus[i][index] -= eps
            grad[index] = (total(*plus) - total(*minus)) / (2 * eps)
        grads.append(grad)
    return grads


def check_gradients(fn, inputs, rtol=1e-4, atol=1e-6, eps=1e-6):
    """Assert the engine's gradients of ``fn`` at ``inputs`` match finite differences."""
    expected = numeric_gradients(fn, inputs, eps=eps)
    actual = engine_gradients(fn, inputs)
    for i, (a, e) in enumerate(zip(actual, expected)):
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, err_msg=f"gradient of input {i}")
