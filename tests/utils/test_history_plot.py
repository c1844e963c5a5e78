"""History.plot / plot_history: a PNG with one panel per metric, training and validation curves."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")
from matplotlib import image

from brickwork.callbacks import History
from brickwork.utils.history_plot import plot_history
from tests.callbacks.callback_models import dense_model, regression_data
from tests.conftest import requires_training


def _history(logs):
    history = History()
    history.history = logs
    history.epoch = list(range(len(next(iter(logs.values())))))
    return history


def _curves(axes):
    return {line.get_label(): list(line.get_ydata()) for line in axes.get_lines()}


def test_writes_a_png_with_a_panel_per_metric(tmp_path):
    logs = {"accuracy": [0.5, 0.7, 0.9], "loss": [1.0, 0.6, 0.3], "val_loss": [1.2, 0.8, 0.5],
            "val_accuracy": [0.4, 0.6, 0.7], "learning_rate": [0.1, 0.1, 0.05]}
    path = tmp_path / "history.png"
    figure = _history(logs).plot(path, dpi=50)
    pixels = image.imread(path)
    assert open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert pixels.ndim == 3 and pixels.shape[0] > 100 and pixels.shape[1] > pixels.shape[0]  # side by side
    assert np.ptp(pixels[..., :3]) > 0.5  # something is drawn
    loss_axes, accuracy_axes = figure.axes  # loss first; the learning rate is not a metric panel
    assert loss_axes.get_title() == "loss" and accuracy_axes.get_title() == "accuracy"
    assert _curves(loss_axes) == {"training": [1.0, 0.6, 0.3], "validation": [1.2, 0.8, 0.5]}
    assert list(loss_axes.get_lines()[0].get_xdata()) == [1, 2, 3]


def test_a_dict_and_chosen_metrics(tmp_path):
    figure = plot_history({"loss": [2.0, 1.0], "mae": [0.5, 0.4]}, metrics="mae")
    (axes,) = figure.axes
    assert _curves(axes) == {"training": [0.5, 0.4]}
    with pytest.raises(ValueError, match="no metric \\['auc'\\]"):
        plot_history({"loss": [1.0]}, metrics=["auc"])
    with pytest.raises(ValueError, match="non-empty dict"):
        plot_history({})


@requires_training
def test_after_fit(tmp_path):
    x, y = regression_data()
    history = dense_model().fit(x, y, batch_size=8, epochs=2, validation_split=0.25, verbose=0)
    path = tmp_path / "fit.png"
    figure = history.plot(str(path))
    assert path.stat().st_size > 1000
    assert _curves(figure.axes[0])["validation"] == pytest.approx(history.history["val_loss"])
