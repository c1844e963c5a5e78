"""TorchModuleWrapper: a torch.nn.Module as a layer. Training is checked against torch's own optimizer on a
hand-written loop; saving against the module's state_dict; the pickle in the config against safe mode."""

import copy
import os

import numpy as np
import pytest

import brickwork as keras
from brickwork import backend, layers, saving
from brickwork.saving.serialization_lib import SafeModeScope
from tests.conftest import BACKEND

torch = pytest.importorskip("torch")

on_torch = pytest.mark.skipif(BACKEND != "torch", reason="TorchModuleWrapper runs only on the torch backend")


def _module(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.BatchNorm1d(5),
                               torch.nn.Linear(5, 2))


def _data(n=32):
    rng = np.random.default_rng(1)
    return rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 2)).astype("float32")


def _numpy_state(module):
    return {k: v.detach().cpu().numpy().copy() for k, v in module.state_dict().items()}


@pytest.mark.skipif(BACKEND == "torch", reason="checks the refusal on the other backends")
def test_other_backends_refuse_with_the_fix():
    with pytest.raises(ValueError, match="runs only on the torch backend.*KERAS_BACKEND=torch"):
        layers.TorchModuleWrapper(torch.nn.Linear(2, 2))


@on_torch
def test_variables_are_the_module_tensors():
    module = _module()
    wrapper = layers.TorchModuleWrapper(module)
    assert [v.path for v in wrapper.trainable_variables] == [
        "torch_module_wrapper/0.weight", "torch_module_wrapper/0.bias", "torch_module_wrapper/2.weight",
        "torch_module_wrapper/2.bias", "torch_module_wrapper/3.weight", "torch_module_wrapper/3.bias"]
    assert [v.path.split("/")[1] for v in wrapper.non_trainable_variables] == [
        "2.running_mean", "2.running_var", "2.num_batches_tracked"]
    assert wrapper.built and wrapper.non_trainable_variables[-1].dtype == "int64"
    # the same tensors, not copies: assigning a variable changes what the module computes with
    wrapper.trainable_variables[0].assign(np.zeros((5, 3), "float32"))
    assert float(module[0].weight.detach().abs().sum()) == 0.0
    assert list(wrapper.parameters()) == list(module.parameters())


@on_torch
def test_frozen_parameters_are_non_trainable():
    module = torch.nn.Linear(2, 2)
    module.bias.requires_grad_(False)
    wrapper = layers.TorchModuleWrapper(module)
    assert [v.path for v in wrapper.trainable_variables] == ["torch_module_wrapper/weight"]
    assert [v.path for v in wrapper.non_trainable_variables] == ["torch_module_wrapper/bias"]


@on_torch
def test_refuses_an_uninitialized_lazy_module():
    with pytest.raises(ValueError, match="lazy module must be initialized"):
        layers.TorchModuleWrapper(torch.nn.LazyLinear(3))
    with pytest.raises(TypeError, match="must be a torch.nn.Module"):
        layers.TorchModuleWrapper(np.ones(3))


@on_torch
@pytest.mark.parametrize("optimizer", ["sgd_momentum", "adam"])
def test_fit_trains_the_module_as_a_torch_loop_does(optimizer):
    x, y = _data()
    module = _module()
    reference = copy.deepcopy(module)
    if optimizer == "sgd_momentum":
        keras_optimizer = keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)
        torch_optimizer = torch.optim.SGD(reference.parameters(), lr=0.05, momentum=0.9)
    else:
        # Keras adds epsilon to sqrt(v) before the bias correction, torch after: a tiny epsilon makes that moot
        keras_optimizer = keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-12)
        torch_optimizer = torch.optim.Adam(reference.parameters(), lr=0.01, eps=1e-12)
    model = keras.Sequential([keras.Input((3,)), layers.TorchModuleWrapper(module)])
    model.compile(optimizer=keras_optimizer, loss="mse")
    model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)

    reference.train()
    for _ in range(3):
        for start in range(0, len(x), 8):
            torch_optimizer.zero_grad()
            prediction = reference(torch.from_numpy(x[start:start + 8]))
            loss = ((prediction - torch.from_numpy(y[start:start + 8])) ** 2).mean()
            loss.backward()
            torch_optimizer.step()

    trained, expected = _numpy_state(module), _numpy_state(reference)
    assert trained.keys() == expected.keys()
    for key in trained:
        np.testing.assert_allclose(trained[key], expected[key], rtol=1e-5, atol=1e-5, err_msg=key)
    assert int(trained["2.num_batches_tracked"]) == 12  # the buffers followed the training batches too


@on_torch
def test_training_flag_selects_the_module_mode():
    module = _module()
    wrapper = layers.TorchModuleWrapper(module)
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    wrapper(x, training=False)
    assert not module.training
    np.testing.assert_array_equal(module[2].running_mean.detach().numpy(), np.zeros(5))
    wrapper(x)  # as in Keras, anything but training=False trains (BatchNorm's statistics move)
    assert module.training
    assert float(module[2].running_mean.abs().sum()) > 0
    moved = module[2].running_mean.detach().clone()
    model = keras.Sequential([keras.Input((3,)), wrapper])
    model.predict(x, verbose=0)
    np.testing.assert_array_equal(module[2].running_mean.detach().numpy(), moved.numpy())


@on_torch
def test_symbolic_call_infers_the_shape_without_touching_the_module():
    module = _module()
    before = _numpy_state(module)
    inputs = keras.Input((3,))
    outputs = layers.TorchModuleWrapper(module)(inputs)
    assert outputs.shape == (None, 2)
    for key, value in _numpy_state(module).items():
        np.testing.assert_array_equal(value, before[key], err_msg=key)
    given = layers.TorchModuleWrapper(torch.nn.Linear(3, 7), output_shape=(None, 7))(inputs)
    assert given.shape == (None, 7)


@on_torch
def test_a_stateless_scope_supplies_the_values():
    module = torch.nn.Sequential(torch.nn.Linear(2, 2, bias=False), torch.nn.BatchNorm1d(2))
    wrapper = layers.TorchModuleWrapper(module)
    x = np.array([[1.0, 2.0], [3.0, 5.0]], "float32")
    kernel = torch.tensor([[1.0, 0.0], [0.0, 2.0]])
    values = [kernel, torch.ones(2), torch.zeros(2)] + [v.value.clone() for v in wrapper.non_trainable_variables]
    with backend.StatelessScope(state_mapping=list(zip(wrapper.variables, values))) as scope:
        outputs = wrapper(x, training=True)
    h = x @ kernel.numpy().T
    expected = (h - h.mean(0)) / np.sqrt(h.var(0) + 1e-5)
    np.testing.assert_allclose(backend.convert_to_numpy(outputs), expected, rtol=1e-4, atol=1e-4)
    running_mean, _, batches = (scope.get_current_value(v) for v in wrapper.non_trainable_variables)
    np.testing.assert_allclose(backend.convert_to_numpy(running_mean), 0.1 * h.mean(0), rtol=1e-5)
    assert int(batches) == 1
    # the module's own tensors were neither used nor updated
    np.testing.assert_array_equal(module[1].running_mean.detach().numpy(), np.zeros(2))
    assert int(module[1].num_batches_tracked) == 0


@on_torch
def test_weights_file_holds_the_state_dict(tmp_path):
    x, y = _data()
    model = keras.Sequential([keras.Input((3,)), layers.TorchModuleWrapper(_module(0))])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    path = os.path.join(tmp_path, "model.weights.h5")
    model.save_weights(path)
    import h5py

    with h5py.File(path, "r") as f:
        group = f["layers/torch_module_wrapper/vars"]
        assert sorted(group) == sorted(model.layers[0].module.state_dict())
    fresh = keras.Sequential([keras.Input((3,)), layers.TorchModuleWrapper(_module(1))])
    fresh.load_weights(path)
    np.testing.assert_allclose(fresh.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    for key, value in _numpy_state(fresh.layers[0].module).items():
        np.testing.assert_array_equal(value, _numpy_state(model.layers[0].module)[key], err_msg=key)


@on_torch
def test_save_and_load_round_trip_needs_unsafe_mode(tmp_path):
    x, y = _data()
    model = keras.Sequential([keras.Input((3,)), layers.TorchModuleWrapper(_module())])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    path = os.path.join(tmp_path, "model.keras")
    model.save(path)

    with pytest.raises(ValueError, match="torch.load.*arbitrary code execution.*safe_mode=False"):
        saving.load_model(path)
    loaded = saving.load_model(path, safe_mode=False)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    wrapper = loaded.layers[0]
    assert isinstance(wrapper, layers.TorchModuleWrapper)
    assert len(wrapper.trainable_variables) == 6
    assert loaded.evaluate(x, y, verbose=0) == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-6)


@on_torch
def test_from_config_refuses_the_pickle_unless_safe_mode_is_off():
    wrapper = layers.TorchModuleWrapper(torch.nn.Linear(2, 4))
    config = wrapper.get_config()
    assert set(config) >= {"name", "module", "output_shape"} and isinstance(config["module"], str)
    with pytest.raises(ValueError, match="torch.load"):
        layers.TorchModuleWrapper.from_config(config)
    with pytest.raises(ValueError, match="torch.load"):
        layers.TorchModuleWrapper.from_config(config, safe_mode=True)
    with SafeModeScope(True), pytest.raises(ValueError, match="torch.load"):
        layers.TorchModuleWrapper.from_config(config)
    for rebuilt in (layers.TorchModuleWrapper.from_config(config, safe_mode=False),):
        for a, b in zip(rebuilt.get_weights(), wrapper.get_weights()):
            np.testing.assert_array_equal(a, b)
    with SafeModeScope(False):
        rebuilt = layers.TorchModuleWrapper.from_config(config)
    assert rebuilt.module is not wrapper.module


@on_torch
def test_a_module_attribute_is_wrapped_and_trained():
    class Regressor(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = torch.nn.Linear(3, 4)
            self.out = layers.Dense(2)

        def call(self, x):
            return self.out(torch.tanh(self.hidden(x)))

    model = Regressor()
    assert isinstance(model.hidden, layers.TorchModuleWrapper)
    x, y = _data()
    model(x[:1])
    assert len(model.trainable_weights) == 4
    before = model.hidden.module.weight.detach().clone()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    assert not torch.equal(before, model.hidden.module.weight.detach())
