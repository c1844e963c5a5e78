"""``jit_compile=True`` on torch: the forward pass and the loss run as one compiled graph with no graph breaks,
and training gives the numbers eager training gives (the eager step is the reference)."""

import numpy as np
import pytest

from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "torch", reason="torch.compile is torch's")


def _trained(jit_compile, x, y):
    import brickwork

    brickwork.utils.set_random_seed(0)
    model = brickwork.Sequential([brickwork.Input((6,)), brickwork.layers.Dense(8, activation="relu"),
                                  brickwork.layers.Dropout(0.0), brickwork.layers.Dense(3)])
    model.compile(optimizer="adam", loss=brickwork.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"], jit_compile=jit_compile)
    history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    return model, history.history


def test_compiled_step_has_no_graph_breaks_and_trains_as_eager_does():
    from torch._dynamo.utils import counters

    from brickwork.backend.torch.trainer import CompiledTrainStep

    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 6)).astype("float32")
    y = rng.integers(0, 3, size=32)
    eager, eager_history = _trained(False, x, y)
    counters.clear()
    compiled, compiled_history = _trained(True, x, y)
    assert isinstance(compiled.train_function.__closure__[0].cell_contents, CompiledTrainStep)
    assert sum(counters["graph_break"].values()) == 0, dict(counters["graph_break"])
    assert counters["stats"]["unique_graphs"] >= 1  # the step did compile
    for a, b in zip(eager.get_weights(), compiled.get_weights()):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(compiled_history["loss"], eager_history["loss"], rtol=1e-5)
    assert compiled_history["accuracy"] == eager_history["accuracy"]


def test_a_train_step_written_by_the_user_is_compiled_whole():
    import brickwork

    class Custom(brickwork.Model):
        def train_step(self, data):
            return super().train_step(data)

    inputs = brickwork.Input((2,))
    model = Custom(inputs, brickwork.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse", jit_compile=True)
    model.make_train_function()
    step = model.train_function.__closure__[0].cell_contents
    assert not isinstance(step, brickwork.backend.torch.trainer.CompiledTrainStep)
    assert step._torchdynamo_orig_callable.__func__ is Custom.train_step  # torch.compile of the user's step
