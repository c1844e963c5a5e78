"""``utils.find_learning_rate``: the range test leaves the model and optimizer bit-identical, its rates
are ``np.geomspace``, it stops where gradient descent must diverge, and its suggestion trains.

The reference for "where it must diverge": on a least-squares problem trained with full-batch SGD,
every step with a rate below ``2 / lambda_max`` (the Hessian's largest eigenvalue) shrinks every error
component, so the loss (and its moving average) cannot grow before the rate passes that bound.
"""

import numpy as np
import pytest

import brickwork as keras
from brickwork.utils import find_learning_rate
from tests.conftest import requires_training

pytestmark = requires_training


def _regression(n=128, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32") * np.array([1.0, 2.0, 0.5, 1.5], "float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]]) + 0.3 + 0.2 * rng.normal(size=(n, 1))).astype("float32")
    return x, y


def _divergence_bound(x) -> float:
    """``2 / lambda_max`` of the Hessian of the mean squared error in (kernel, bias)."""
    design = np.concatenate([x, np.ones((len(x), 1), "float32")], axis=1).astype("float64")
    return 2.0 / np.linalg.eigvalsh(2.0 * design.T @ design / len(x)).max()


def _linear_model(optimizer):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer, "mse")
    return model


def _state(model) -> list:
    return [np.array(v.numpy()).tobytes() for v in [*model.variables, *model.optimizer.variables]]


def test_weights_optimizer_state_and_learning_rate_come_back_bit_identical():
    x, y = _regression()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dropout(0.2, seed=1), keras.layers.Dense(1)])
    model.compile(keras.optimizers.Adam(3e-3), "mse", metrics=["mae"])
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)  # Adam's moments and iterations are not zero
    before = _state(model)
    twin = keras.models.clone_model(model)
    twin.compile(keras.optimizers.Adam(3e-3), "mse", metrics=["mae"])
    twin.fit(x[:16], y[:16], batch_size=16, epochs=1, verbose=0)  # builds its optimizer...
    for mine, theirs in zip([*twin.variables, *twin.optimizer.variables], [*model.variables, *model.optimizer.variables]):
        mine.assign(theirs.numpy())  # ...then takes model's weights, seed state and optimizer state

    result = find_learning_rate(model, x, y, steps=25, batch_size=16, min_lr=1e-4, max_lr=1.0)

    assert len(result.rates) >= 3
    assert _state(model) == before
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(3e-3)
    # Afterwards the model trains as if the test had never run (the random states came back too).
    np.random.seed(7)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    np.random.seed(7)
    twin.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert [w.tobytes() for w in model.get_weights()] == [w.tobytes() for w in twin.get_weights()]


def test_rates_are_geometric_and_every_step_runs_without_stop_factor():
    x, y = _regression()
    result = find_learning_rate(_linear_model(keras.optimizers.SGD(0.01)), x, y, min_lr=1e-6, max_lr=1e-2,
                                steps=30, stop_factor=None)
    np.testing.assert_allclose(result.rates, np.geomspace(1e-6, 1e-2, 30), rtol=1e-12)
    assert result.stopped_early is False and len(result.losses) == 30
    average, expected = 0.0, []  # the bias-corrected moving average, written out
    for step, loss in enumerate(result.losses, start=1):
        average = 0.98 * average + 0.02 * loss
        expected.append(average / (1 - 0.98 ** step))
    np.testing.assert_allclose(result.smoothed_losses, expected, rtol=1e-12)


def test_stops_only_past_the_divergence_bound_and_the_suggestion_trains():
    x, y = _regression()
    bound = _divergence_bound(x)
    model = _linear_model(keras.optimizers.SGD(0.01))
    result = find_learning_rate(model, x, y, min_lr=1e-4, max_lr=100.0, steps=60, batch_size=len(x))
    assert result.stopped_early and len(result.rates) < 60
    assert result.rates[-1] > bound  # the rates were applied: below the bound the loss cannot grow
    assert result.suggested_rate == pytest.approx(result.min_loss_rate / 10)
    assert 1e-3 * bound < result.suggested_rate < bound
    start = model.evaluate(x, y, verbose=0)
    model.optimizer.learning_rate = result.suggested_rate
    history = model.fit(x, y, batch_size=len(x), epochs=20, verbose=0)
    assert np.all(np.diff(history.history["loss"]) <= 0)
    assert history.history["loss"][-1] < 0.2 * start


def test_a_dataset_is_cycled_when_it_has_fewer_batches_than_steps():
    x, y = _regression(n=48)

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 3

        def __getitem__(self, index):
            return x[index * 16:(index + 1) * 16], y[index * 16:(index + 1) * 16]

    result = find_learning_rate(_linear_model("sgd"), Batches(), min_lr=1e-5, max_lr=1e-3, steps=8)
    assert len(result.losses) == 8 and np.all(np.isfinite(result.losses))


def test_uncompiled_model_and_bad_arguments_are_refused():
    x, y = _regression()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    with pytest.raises(RuntimeError, match="must be compiled"):
        find_learning_rate(model, x, y)
    with pytest.raises(ValueError, match="schedule"):
        schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)
        find_learning_rate(_linear_model(keras.optimizers.SGD(schedule)), x, y)
    with pytest.raises(ValueError, match="min_lr < max_lr"):
        find_learning_rate(_linear_model("sgd"), x, y, min_lr=1.0, max_lr=0.1)


def test_plot_draws_the_curve_on_a_log_axis(tmp_path):
    pytest.importorskip("matplotlib")
    x, y = _regression()
    result = find_learning_rate(_linear_model("sgd"), x, y, steps=10, min_lr=1e-5, max_lr=1e-2, plot=True)
    axes = result.figure.axes[0]
    assert axes.get_xscale() == "log"
    np.testing.assert_allclose(axes.get_lines()[0].get_ydata(), result.smoothed_losses)
    result.plot(tmp_path / "lr.png")
    assert (tmp_path / "lr.png").read_bytes()[:4] == b"\x89PNG"


def test_plot_without_matplotlib_says_what_to_install(monkeypatch):
    import sys

    from brickwork.utils.lr_finder import LearningRateFinderResult

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    result = LearningRateFinderResult(np.ones(3), np.ones(3), np.ones(3), 0.1, 1.0, False)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        result.plot()
