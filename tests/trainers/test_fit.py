"""compile / fit / evaluate / predict end to end, on tiny data."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from brickwork import layers, models, optimizers
from tests.conftest import BACKEND, requires_training


def _blobs(n=256, features=8, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=3.0, size=(classes, features))
    labels = rng.integers(0, classes, size=n)
    x = (centers[labels] + rng.normal(size=(n, features))).astype("float32")
    return x, labels


@requires_training
def test_seed_example_runs_verbatim_and_learns():
    from brickwork.layers import Dense
    from brickwork.models import Sequential
    from brickwork.utils import to_categorical

    model = Sequential()
    model.add(Dense(32, activation='relu', input_shape=(784,)))
    model.add(Dense(10, activation='softmax'))
    model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])

    rng = np.random.default_rng(0)
    prototypes = rng.random((10, 784)).astype("float32")
    labels = rng.integers(0, 10, size=200)
    x = prototypes[labels] + 0.1 * rng.random((200, 784)).astype("float32")
    history = model.fit(x, to_categorical(labels, 10), batch_size=32, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.9
    assert history.epoch == [0, 1, 2, 3, 4]


@requires_training
def test_fit_evaluate_predict_with_validation():
    x, y = _blobs()
    model = models.Sequential([layers.Input((8,)), layers.Dense(16, activation="relu"),
                               layers.Dense(3, activation="softmax")])
    model.compile(optimizer=optimizers.Adam(0.03), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=4, validation_split=0.25, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy > 0.8
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(loss, rel=1e-5)
    predictions = model.predict(x[:10], verbose=0)
    assert predictions.shape == (10, 3)
    np.testing.assert_allclose(predictions.sum(axis=1), 1.0, rtol=1e-5)


@requires_training
def test_train_and_test_on_batch():
    x, y = _blobs(64)
    model = models.Sequential([layers.Input((8,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    first = model.train_on_batch(x, y, return_dict=True)
    for _ in range(20):
        model.train_on_batch(x, y)
    last = model.test_on_batch(x, y, return_dict=True)
    assert last["loss"] < first["loss"]
    assert model.predict_on_batch(x).shape == (64, 3)


@requires_training
def test_sample_weight_zero_ignores_samples():
    x, y = _blobs(64)
    model = models.Sequential([layers.Input((8,)), layers.Dense(3)])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    weights = np.zeros(64, dtype="float32")
    before = [w.copy() for w in model.get_weights()]
    model.fit(x, y, sample_weight=weights, epochs=1, batch_size=16, verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_allclose(a, b)


def test_fit_before_compile_is_a_value_error_as_in_keras():
    # Keras 3.15.1 raises ValueError("You must call `compile()` before ..."); KerasHub's task tests match
    # exactly that (assertRaisesRegex(ValueError, "You must call `compile")).
    from tests.layers.keras_reference import run_keras

    keras_result = run_keras("""
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
try:
    model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    out["error"] = np.array("")
except Exception as error:
    out["error"] = np.array(type(error).__name__ + ": " + str(error))
""")
    kind, message = str(keras_result["error"]).split(": ", 1)
    assert kind == "ValueError" and message.startswith("You must call `compile")
    model = models.Sequential([layers.Input((2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="You must call `compile"):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)


@requires_training
def test_feature_size_mismatch_names_the_layer_and_shapes():
    model = models.Sequential([layers.Input((8,)), layers.Dense(3, name="hidden")])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=r"(hidden|sequential).*8.*5"):
        model.fit(np.ones((4, 5), dtype="float32"), np.ones((4, 3), dtype="float32"), verbose=0)


@requires_training
def test_x_and_y_length_mismatch():
    model = models.Sequential([layers.Input((2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=r"10.*7|7.*10"):
        model.fit(np.ones((10, 2)), np.ones((7, 1)), verbose=0)


def test_unknown_names_list_close_matches():
    model = models.Sequential([layers.Input((2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="categorical_crossentropy"):
        model.compile(optimizer="adam", loss="categorical_crossentropyy")
    with pytest.raises(ValueError, match="adam"):
        model.compile(optimizer="adamm", loss="mse")


@pytest.mark.skipif(BACKEND != "numpy", reason="numpy-backend behaviour")
def test_numpy_backend_refuses_to_train_but_predicts():
    model = models.Sequential([layers.Input((2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(NotImplementedError, match="inference only"):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    assert model.predict(np.ones((4, 2)), verbose=0).shape == (4, 1)


_SAME_RUN = textwrap.dedent("""
    import numpy as np
    from brickwork import layers, models, optimizers
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype("float32")
    y = (x @ rng.normal(size=(8, 2))).astype("float32")
    model = models.Sequential([layers.Input((8,)), layers.Dense(16, activation="tanh"), layers.Dense(2)])
    model.set_weights([rng.normal(size=w.shape).astype("float32") * 0.3 for w in model.get_weights()])
    model.compile(optimizer=optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, y, batch_size=16, epochs=5, shuffle=False, verbose=0)
    print(repr(history.history["loss"]))
""")


@pytest.mark.skipif(BACKEND != "torch", reason="runs both engines in subprocesses once")
def test_torch_and_jax_reach_the_same_loss_from_the_same_weights():
    losses = {}
    for name in ("torch", "jax"):
        env = dict(os.environ, BRICKWORK_BACKEND=name)
        out = subprocess.run([sys.executable, "-c", _SAME_RUN], env=env, capture_output=True, text=True,
                             cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))), timeout=300)
        assert out.returncode == 0, out.stderr
        losses[name] = eval(out.stdout.strip().splitlines()[-1])
    assert losses["torch"][-1] < losses["torch"][0]
    np.testing.assert_allclose(losses["torch"], losses["jax"], rtol=1e-4)


@requires_training
@pytest.mark.parametrize("run_eagerly", [True, False])
def test_steps_see_backend_tensors_and_match_a_numpy_forward(run_eagerly):
    """Batches of NumPy data may be sliced on the host (jax), yet an eager step gets backend tensors, as in
    Keras, and predict/evaluate/fit give what NumPy computes from the same weights."""
    from brickwork import backend

    seen = []

    class Probe(models.Sequential):
        def test_step(self, *args):
            data = args[-1]
            if run_eagerly:
                seen.append(backend.is_tensor(data[0]))
            return super().test_step(*args)

    x, labels = _blobs(n=100)
    y = (x @ np.arange(8, dtype="float32")[:, None] / 8).astype("float32")
    model = Probe([layers.Input((8,)), layers.Dense(1)])
    model.compile(optimizer=optimizers.SGD(0.01), loss="mse", run_eagerly=run_eagerly)
    kernel, bias = (np.asarray(backend.convert_to_numpy(w)) for w in model.get_weights())
    expected = x @ kernel + bias
    np.testing.assert_allclose(model.predict(x, batch_size=32, verbose=0), expected, rtol=1e-5, atol=1e-6)
    loss = model.evaluate(x, y, batch_size=32, verbose=0)
    np.testing.assert_allclose(loss, np.mean((expected - y) ** 2), rtol=1e-5)
    assert seen == ([True] * 4 if run_eagerly else [])
    before = model.get_weights()[0].copy()
    model.fit(x, y, batch_size=32, epochs=1, shuffle=True, verbose=0)
    assert not np.allclose(model.get_weights()[0], before)
