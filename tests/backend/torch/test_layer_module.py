"""On torch a brickwork layer is a ``torch.nn.Module`` (brickwork/backend/torch/layer.py): its variables are its
parameters, its sublayers its child modules. Training through torch's own optimizer is checked against
gradients written out by hand in NumPy."""

import copy
import io
import pickle

import numpy as np
import pytest

import brickwork as keras
from tests.conftest import BACKEND

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.skipif(BACKEND != "torch", reason="a layer is a torch.nn.Module only on the torch backend")


def _mlp(seed=0):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(1)])
    model.build((None, 3))
    return model


class _Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = keras.layers.Dense(2, name="inner")
        self.norm = keras.layers.BatchNormalization()
        self.stack = [keras.layers.Dense(2, name="first"), keras.layers.Dense(2, name="second")]
        self.alias = self.stack[0]  # the same layer twice: registered once

    def call(self, x, training=None):
        x = self.norm(self.inner(x), training=training)
        for layer in self.stack:
            x = layer(x)
        return x


def test_a_layer_is_a_module_whose_parameters_are_its_variables():
    model = _mlp()
    assert isinstance(model, torch.nn.Module) and isinstance(model.layers[0], torch.nn.Module)
    parameters = list(model.parameters())
    assert len(parameters) == len(model.weights) == 4
    assert all(p is v.value for p, v in zip(parameters, model.weights))
    # keyed by position, as torch.nn.Sequential's layers are: not by generated names like dense_7
    assert [name for name, _ in model.named_parameters()] == ["0.kernel", "0.bias", "1.kernel", "1.bias"]
    assert [name for name, _ in model.named_modules()] == ["", "0", "1"]
    assert len(model.torch_params) == 4


def test_non_trainable_variables_and_seed_states_are_parameters_without_grad():
    keras.utils.set_random_seed(0)
    block = _Block()
    block(np.ones((2, 3), "float32"))
    named = dict(block.named_parameters())
    weights = block.weights
    assert len(named) == len(weights) and {id(p) for p in named.values()} == {id(v.value) for v in weights}
    assert not named["norm.moving_mean"].requires_grad and named["norm.gamma"].requires_grad
    assert [name for name, _ in block.named_children()] == ["inner", "norm", "alias", "3"]
    assert len(block.state_dict()) == len(weights)  # the aliased layer's weights once
    dropout = keras.layers.Dropout(0.5, seed=1)
    assert [name for name, p in dropout.named_parameters() if not p.requires_grad] == ["seed_generator_state"]
    assert len(dropout.torch_params) == 1


def test_state_dict_round_trip_and_torch_save():
    source, target = _mlp(0), _mlp(1)
    state = source.state_dict()
    assert list(state) == ["0.kernel", "0.bias", "1.kernel", "1.bias"]
    buffer = io.BytesIO()
    torch.save(state, buffer)
    buffer.seek(0)
    target.load_state_dict(torch.load(buffer))
    for a, b in zip(source.get_weights(), target.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert all(p is v.value for p, v in zip(target.parameters(), target.weights))  # loaded in place
    with pytest.raises(RuntimeError, match="Missing key"):
        target.load_state_dict({"0.kernel": state["0.kernel"]})


def test_to_train_eval_and_zero_grad():
    model = _mlp()
    assert model.to("cpu") is model and model.cpu() is model
    assert all(p is v.value for p, v in zip(model.parameters(), model.weights))
    model.eval()
    assert not any(module.training for module in model.modules())
    model.train()
    assert all(module.training for module in model.modules())
    model(torch.ones(2, 3)).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def _reference_sgd(weights, x, y, lr, steps):
    """The same steps in NumPy: tanh layer, linear layer, mean squared error, gradients by hand."""
    w1, b1, w2, b2 = [w.astype("float64") for w in weights]
    for _ in range(steps):
        h = np.tanh(x @ w1 + b1)
        out = h @ w2 + b2
        d_out = 2 * (out - y) / out.size
        d_w2, d_b2 = h.T @ d_out, d_out.sum(0)
        d_z = (d_out @ w2.T) * (1 - h ** 2)
        d_w1, d_b1 = x.T @ d_z, d_z.sum(0)
        w1, b1, w2, b2 = w1 - lr * d_w1, b1 - lr * d_b1, w2 - lr * d_w2, b2 - lr * d_b2
    return [w1, b1, w2, b2]


def test_torch_optimizer_trains_a_sequential_as_hand_computed_sgd():
    model = _mlp()
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 3)).astype("float32"), rng.normal(size=(8, 1)).astype("float32")
    expected = _reference_sgd(model.get_weights(), x, y, lr=0.1, steps=5)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(5):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(torch.from_numpy(x)), torch.from_numpy(y))
        loss.backward()
        optimizer.step()
    for got, want in zip(model.get_weights(), expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_a_model_inside_a_torch_module_trains_with_it():
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = _mlp()
            self.head = torch.nn.Linear(1, 1)

        def forward(self, x):
            return self.head(self.body(x))

    net = Net()
    assert len(list(net.parameters())) == 6
    assert "body.0.kernel" in net.state_dict()
    before = net.body.get_weights()
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    x, y = torch.randn(16, 3), torch.randn(16, 1)
    losses = []
    for _ in range(20):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    assert losses[-1] < losses[0]
    assert all(not np.allclose(a, b) for a, b in zip(before, net.body.get_weights()))


def test_forward_hooks_fire_and_forward_runs_call():
    model = _mlp()
    seen = []
    pre = model.layers[0].register_forward_pre_hook(lambda module, args: seen.append(("pre", module.name)))
    post = model.register_forward_hook(lambda module, args, output: seen.append(("post", tuple(output.shape))))
    x = torch.ones(2, 3)
    out = model(x)
    assert seen == [("pre", "dense"), ("post", (2, 1))]
    pre.remove()
    post.remove()
    model(x)
    assert len(seen) == 2
    np.testing.assert_allclose(model.forward(x).detach().numpy(), out.detach().numpy())


def test_copies_keep_parameters_and_variables_together():
    model = _mlp()
    for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert all(p is v.value for p, v in zip(clone.parameters(), clone.weights))
        assert not any(p is q for p, q in zip(clone.parameters(), model.parameters()))
        for a, b in zip(clone.get_weights(), model.get_weights()):
            np.testing.assert_array_equal(a, b)
