"""MultiOptimizer and OptimizerMap: delegation equals running each optimizer on its own share; jit, fit, config."""

import contextlib

import numpy as np
import pytest

import brickwork as keras
from brickwork import backend, optimizers
from tests.conftest import BACKEND, requires_training

rng = np.random.default_rng(0)
PATHS = ["encoder/dense/kernel", "encoder/dense/bias", "head/kernel", "head/bias"]
SHAPES = [(3, 4), (4,), (4, 1), (1,)]


def _variables(initial):
    variables = []
    for path, value in zip(PATHS, initial):
        *scopes, name = path.split("/")
        with contextlib.ExitStack() as stack:
            for scope in scopes:  # one component a scope, as Keras's name_scope takes them
                stack.enter_context(backend.name_scope(scope))
            variables.append(keras.Variable(value, name=name))
    return variables


def _map():
    return optimizers.OptimizerMap(optimizers.SGD(0.1, momentum=0.5), {"encoder/.*": optimizers.Adam(0.01)})


def test_optimizer_map_lookup():
    adam, sgd, rmsprop = optimizers.Adam(), optimizers.SGD(), optimizers.RMSprop()
    mapping = optimizers.OptimizerMap(rmsprop)
    mapping["encoder/layer_0/dense"] = adam
    mapping["encoder/.*"] = sgd
    mapping["decoder"] = adam
    assert mapping["decoder"] is adam and mapping["encoder/layer_0/dense"] is adam
    assert mapping["encoder/layer_0/attention/query"] is sgd and mapping["decoder/layer_0/dense"] is rmsprop
    mapping["enc.*"] = adam
    with pytest.raises(ValueError, match="several keys"):
        mapping["encoder/x"]
    with pytest.raises(ValueError, match="already mapped"):
        mapping["decoder"] = sgd
    with pytest.raises(ValueError, match="optimizer cannot be LossScaleOptimizer"):
        mapping["other"] = optimizers.LossScaleOptimizer(optimizers.SGD())
    assert len(mapping) == 4 and set(mapping) == {"encoder/layer_0/dense", "encoder/.*", "decoder", "enc.*"}


@requires_training
@pytest.mark.parametrize("use_function", [False, True])
def test_updates_equal_each_optimizer_on_its_share(use_function):
    initial = [rng.normal(size=shape).astype("float32") for shape in SHAPES]
    grads = [[rng.normal(size=shape).astype("float32") for shape in SHAPES] for _ in range(3)]
    variables = _variables(initial)
    adam, sgd = optimizers.Adam(0.01), optimizers.SGD(0.1, momentum=0.5)
    selector = (lambda v: adam if v.path.startswith("encoder") else sgd) if use_function else (
        optimizers.OptimizerMap(sgd, {"encoder/.*": adam}))
    multi = optimizers.MultiOptimizer(selector)
    for step in grads:
        multi.apply(step, variables)
    encoder, head = _variables(initial[:2]), _variables(initial)[2:]
    reference_adam, reference_sgd = optimizers.Adam(0.01), optimizers.SGD(0.1, momentum=0.5)
    for step in grads:
        reference_adam.apply(step[:2], encoder)
        reference_sgd.apply(step[2:], head)
    for ours, expected in zip(variables, encoder + head):
        np.testing.assert_allclose(backend.convert_to_numpy(ours.value), backend.convert_to_numpy(expected.value),
                                   rtol=1e-6)
    assert int(backend.convert_to_numpy(multi.iterations)) == 3
    assert [int(backend.convert_to_numpy(o.iterations)) for o in multi.optimizers] == [3, 3]
    assert len(multi.variables) == 2 + len(adam.variables) + len(sgd.variables)
    with pytest.raises(AttributeError, match="learning rate"):
        multi.learning_rate  # noqa: B018


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit is the jax backend's compiler")
def test_stateless_apply_inside_jax_jit_matches_eager():
    import jax

    initial = [rng.normal(size=shape).astype("float32") for shape in SHAPES]
    grads = [[rng.normal(size=shape).astype("float32") for shape in SHAPES] for _ in range(3)]
    eager_variables, eager = _variables(initial), optimizers.MultiOptimizer(_map())
    for step in grads:
        eager.apply(step, eager_variables)
    variables, multi = _variables(initial), optimizers.MultiOptimizer(_map())
    multi.build(variables)
    step_fn = jax.jit(multi.stateless_apply)
    values, state = [v.value for v in variables], [v.value for v in multi.variables]
    for step in grads:
        values, state = step_fn(state, step, values)
    for value, expected in zip(values, eager_variables):
        np.testing.assert_allclose(np.asarray(value), np.asarray(expected.value), rtol=1e-5, atol=1e-6)


@requires_training
def test_fit_and_save_round_trip(tmp_path):
    x = rng.normal(size=(32, 3)).astype("float32")
    y = (x @ rng.normal(size=(3, 1))).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, name="encoder"),
                              keras.layers.Dense(1, name="head")])
    optimizer_map = optimizers.OptimizerMap(optimizers.SGD(0.05), {"encoder/.*": optimizers.Adam(0.02)})
    model.compile(optimizer=optimizers.MultiOptimizer(optimizer_map), loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=5, verbose=0).history["loss"]
    assert history[-1] < history[0]
    path = tmp_path / "model.keras"
    model.save(path)
    restored = keras.saving.load_model(path)
    assert isinstance(restored.optimizer, optimizers.MultiOptimizer)
    for ours, theirs in zip(model.optimizer.variables, restored.optimizer.variables):
        np.testing.assert_allclose(backend.convert_to_numpy(ours), backend.convert_to_numpy(theirs))


def test_config_round_trip_by_name():
    multi = optimizers.MultiOptimizer(_map(), loss_scale_factor=2.0, name="multi")
    config = optimizers.serialize(multi)
    assert config["class_name"] == "MultiOptimizer"
    assert config["config"]["optimizer_map"]["class_name"] == "OptimizerMap"
    again = optimizers.deserialize(config)
    assert type(again) is optimizers.MultiOptimizer and again.name == "multi"
    assert [type(o).__name__ for o in again.optimizers] == ["Adam", "SGD"]
    assert all(o.loss_scale_factor == 2.0 for o in again.optimizers)
    assert again.get_config() == multi.get_config()
