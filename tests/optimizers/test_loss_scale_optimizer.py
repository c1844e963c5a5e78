"""LossScaleOptimizer: unscaled updates, skipped non-finite steps, scale growth, config, jax.jit."""

from __future__ import annotations

import numpy as np
import pytest

from brickwork import backend, optimizers
from tests.conftest import BACKEND, requires_training

FINITE = np.array([4.0, -8.0], "float32")
NON_FINITE = np.array([np.inf, 1.0], "float32")


def _scale(optimizer) -> float:
    return float(optimizer.dynamic_scale.numpy())


@requires_training
def test_finite_steps_apply_unscaled_gradients_and_grow_the_scale():
    variable = backend.Variable(np.zeros(2, "float32"), name="w")
    optimizer = optimizers.LossScaleOptimizer(optimizers.SGD(learning_rate=1.0), initial_scale=4.0,
                                              dynamic_growth_steps=2)
    optimizer.apply([FINITE], [variable])
    np.testing.assert_allclose(variable.numpy(), [-1.0, 2.0])
    assert _scale(optimizer) == 4.0 and int(optimizer.step_counter.numpy()) == 1
    optimizer.apply([FINITE], [variable])
    assert _scale(optimizer) == 8.0 and int(optimizer.step_counter.numpy()) == 0
    assert int(optimizer.iterations.numpy()) == 2
    loss = backend.convert_to_tensor(np.float32(1.5))
    assert float(backend.convert_to_numpy(optimizer.scale_loss(loss))) == 12.0


@requires_training
def test_a_non_finite_step_is_skipped_and_halves_the_scale():
    variable = backend.Variable(np.zeros(2, "float32"), name="w")
    optimizer = optimizers.LossScaleOptimizer(optimizers.Adam(), initial_scale=16.0)
    optimizer.apply([NON_FINITE], [variable])
    np.testing.assert_array_equal(variable.numpy(), [0.0, 0.0])
    assert _scale(optimizer) == 8.0
    assert int(optimizer.iterations.numpy()) == 0


def test_variables_config_and_lookup():
    optimizer = optimizers.LossScaleOptimizer(optimizers.SGD(learning_rate=0.3), initial_scale=32.0)
    assert optimizer.name == "loss_scale_optimizer"
    optimizer.build([backend.Variable(np.zeros(2), name="w")])
    assert [v.name for v in optimizer.variables] == [
        "iteration", "learning_rate", "step_counter", "dynamic_scale", "iteration", "learning_rate"]
    config = optimizer.get_config()
    assert config["inner_optimizer"]["class_name"] == "SGD"
    clone = optimizers.LossScaleOptimizer.from_config(config)
    assert clone.get_config() == config
    assert optimizers.deserialize(optimizers.serialize(optimizer)).get_config() == config
    assert float(clone.learning_rate.numpy()) == pytest.approx(0.3)
    with pytest.raises(ValueError, match="does not support `clipnorm`"):
        optimizers.LossScaleOptimizer(optimizers.SGD(), clipnorm=1.0)


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit is the jax trainer's")
def test_stateless_apply_under_jax_jit_equals_eager_apply():
    import jax

    grad_steps = [FINITE, NON_FINITE, FINITE, FINITE, FINITE]
    eager_variable = backend.Variable(np.zeros(2, "float32"), name="w")
    jit_variable = backend.Variable(np.zeros(2, "float32"), name="w")
    eager = optimizers.LossScaleOptimizer(optimizers.Adam(learning_rate=0.1), initial_scale=4.0,
                                          dynamic_growth_steps=2)
    jitted = optimizers.LossScaleOptimizer(optimizers.Adam(learning_rate=0.1), initial_scale=4.0,
                                           dynamic_growth_steps=2)
    jitted.build([jit_variable])
    step = jax.jit(jitted.stateless_apply)
    trainable, values = [jit_variable.value], [v.value for v in jitted.variables]
    for grad in grad_steps:
        eager.apply([grad], [eager_variable])
        trainable, values = step(values, [backend.convert_to_tensor(grad)], trainable)
    np.testing.assert_allclose(np.asarray(trainable[0]), eager_variable.numpy(), rtol=1e-6)
    for value, variable in zip(values, eager.variables):
        np.testing.assert_allclose(np.asarray(value), variable.numpy(), rtol=1e-6, err_msg=variable.path)


@requires_training
@pytest.mark.parametrize("steps", [1, 3])
def test_fit_under_mixed_float16_scales_the_loss_and_applies_the_true_gradient(steps):
    """fit with a LossScaleOptimizer: the gradient of the scaled loss, divided by the scale, is the gradient
    of the loss (Dense(1) without bias, kernel w, x=1, y=0: loss w**2, gradient 2w; SGD: w <- w - 0.1 * 2w)."""
    import brickwork as keras

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(
        1, use_bias=False, kernel_initializer="ones", dtype="mixed_float16")])
    # A scale the float16 gradient holds (the default 2**15 overflows it here: that step would be skipped).
    model.compile(optimizer=optimizers.LossScaleOptimizer(optimizers.SGD(0.1), initial_scale=2.0**10), loss="mse")
    history = model.fit(np.ones((steps, 1)), np.zeros((steps, 1)), batch_size=1, verbose=0, shuffle=False)
    w, expected_losses = 1.0, []
    for _ in range(steps):
        expected_losses.append(w * w)
        w -= 0.1 * 2 * w
    np.testing.assert_allclose(backend.convert_to_numpy(model.layers[0].kernel.value), [[w]], rtol=1e-3)
    np.testing.assert_allclose(history.history["loss"], [np.mean(expected_losses)], rtol=1e-3)  # unscaled


@requires_training
def test_a_variable_overwritten_with_its_gradient_takes_it_unscaled():
    variable = backend.Variable(np.array([1.0, 2.0], "float32"), name="scale")
    variable.overwrite_with_gradient = True
    optimizer = optimizers.LossScaleOptimizer(optimizers.SGD(learning_rate=0.5), initial_scale=8.0)
    optimizer.apply([FINITE], [variable])
    np.testing.assert_allclose(variable.numpy(), FINITE)
