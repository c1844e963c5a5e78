"""Rematerialization: ``remat`` keeps values and gradients; ``RematScope`` picks the layers it wraps."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import backend, layers, ops
from brickwork.backend.common import global_state, remat
from tests.conftest import requires_training


def test_scopes_nest_and_unwind():
    assert remat.get_current_remat_mode() is None
    with keras.RematScope(mode="full"):
        assert remat.get_current_remat_mode().mode == "full"
        with keras.RematScope(mode="larger_than", output_size_threshold=7):
            assert remat.get_current_remat_mode() == ("larger_than", 7, [])
        assert remat.get_current_remat_mode().mode == "full"
    assert remat.get_current_remat_mode() is None
    assert global_state.get_global_attribute("remat_scope_stack") == []
    backend.clear_session()
    assert global_state.get_global_attribute("remat_scope_stack") is None


def test_an_unknown_mode_is_named():
    with pytest.raises(ValueError, match="mode='everything'"):
        keras.RematScope(mode="everything")


def test_remat_keeps_the_value():
    x = np.linspace(-2, 2, 12).reshape(3, 4).astype("float32")
    f = lambda t: ops.tanh(t) ** 2 * 3.0  # noqa: E731
    np.testing.assert_allclose(ops.convert_to_numpy(keras.remat(f)(ops.convert_to_tensor(x))),
                               3.0 * np.tanh(x) ** 2, rtol=1e-6)


@requires_training
def test_remat_keeps_the_gradient():
    """d/dx 3 tanh(x)^2 = 6 tanh(x) (1 - tanh(x)^2), through the engine's checkpointing."""
    x = np.linspace(-2, 2, 8).astype("float32")
    expected = 6 * np.tanh(x) * (1 - np.tanh(x) ** 2)
    f = keras.remat(lambda t: ops.sum(ops.tanh(t) ** 2 * 3.0))
    if backend.backend() == "torch":
        import torch

        t = torch.tensor(x, requires_grad=True)
        f(t).backward()
        gradient = t.grad.numpy()
    elif backend.backend() == "tensorflow":
        import tensorflow as tf

        t = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = f(t)
        gradient = tape.gradient(y, t).numpy()
    else:
        import jax

        gradient = np.asarray(jax.grad(f)(x))
    np.testing.assert_allclose(gradient, expected, rtol=1e-5, atol=1e-6)


@pytest.fixture
def remat_calls(monkeypatch):
    """The functions ``remat`` wrapped during the test."""
    calls = []
    original = remat.remat

    def counting(f):
        calls.append(f)
        return original(f)

    monkeypatch.setattr(remat, "remat", counting)
    return calls


def _dense_output(**scope):
    x = np.arange(12, dtype="float32").reshape(3, 4) / 10
    with keras.RematScope(**scope):
        layer = layers.Dense(5, activation="relu", kernel_initializer="ones", name="dense_a")
    return ops.convert_to_numpy(layer(x)), np.maximum(x @ np.ones((4, 5), "float32"), 0)


@pytest.mark.parametrize("scope, wrapped", [
    ({"mode": "full"}, 1),
    ({"mode": None}, 0),
    ({"mode": "list_of_layers", "layer_names": ["dense_a"]}, 1),
    ({"mode": "list_of_layers", "layer_names": ["other"]}, 0),
    ({"mode": "larger_than", "output_size_threshold": 10}, 1),  # 3 x 5 = 15 elements
    ({"mode": "larger_than", "output_size_threshold": 100}, 0),
    ({"mode": "activations"}, 1),
])
def test_the_scope_at_construction_decides(remat_calls, scope, wrapped):
    output, expected = _dense_output(**scope)
    np.testing.assert_allclose(output, expected, rtol=1e-6)
    assert len(remat_calls) == wrapped
    if scope["mode"] == "activations":
        assert remat_calls[0] is keras.activations.relu


def test_a_layer_made_outside_the_scope_is_left_alone(remat_calls):
    layer = layers.Dense(2)
    with keras.RematScope(mode="full"):
        layer(np.ones((1, 3), "float32"))
    assert remat_calls == []


def test_symbolic_scope_is_seen_inside_only():
    from brickwork.backend.common.symbolic_scope import in_symbolic_scope

    assert not in_symbolic_scope()
    with keras.SymbolicScope():
        assert in_symbolic_scope()
    assert not in_symbolic_scope()
    seen = []
    backend.compute_output_spec(lambda t: seen.append(in_symbolic_scope()) or t, keras.KerasTensor((2,)))
    assert seen == [True]  # the engine's abstract evaluation counts as symbolic
