"""TensorBoard: event files read back with tensorboard's EventAccumulator — tags, steps and values."""

import json
import os

import numpy as np
import pytest

pytest.importorskip("tensorboard")
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from brickwork.callbacks import TensorBoard
from tests.callbacks.callback_models import StubModel, dense_model, regression_data
from tests.conftest import requires_training


def _read(folder):
    accumulator = EventAccumulator(str(folder), size_guidance={"scalars": 0, "histograms": 0, "tensors": 0})
    accumulator.Reload()
    return accumulator


def _scalars(accumulator, tag):
    return [(event.step, event.value) for event in accumulator.Scalars(tag)]


def test_epoch_scalars_go_to_train_and_validation_folders(tmp_path):
    model = StubModel(learning_rate=0.25)
    callback = TensorBoard(log_dir=tmp_path, write_graph=False)
    callback.set_model(model)
    callback.on_train_begin({})
    for epoch in range(2):
        callback.on_epoch_begin(epoch, {})
        callback.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 1), "accuracy": 0.5, "val_loss": 2.0 - epoch})
    callback.on_train_end({})
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    train, validation = _read(tmp_path / "train"), _read(tmp_path / "validation")
    assert sorted(train.Tags()["scalars"]) == ["epoch_accuracy", "epoch_learning_rate", "epoch_loss"]
    assert _scalars(train, "epoch_loss") == [(0, 1.0), (1, 0.5)]
    assert _scalars(train, "epoch_learning_rate") == [(0, 0.25), (1, 0.25)]
    assert validation.Tags()["scalars"] == ["epoch_loss"]
    assert _scalars(validation, "epoch_loss") == [(0, 2.0), (1, 1.0)]


def test_no_validation_folder_without_validation(tmp_path):
    callback = TensorBoard(log_dir=tmp_path, write_graph=False)
    callback.set_model(StubModel())
    callback.on_train_begin({})
    callback.on_epoch_end(0, {"loss": 1.0})
    callback.on_train_end({})
    assert os.listdir(tmp_path) == ["train"]


@pytest.mark.parametrize("kwargs, match", [({"update_freq": 0}, "update_freq"),
                                           ({"profile_batch": 2}, "profile_batch=2")])
def test_bad_arguments_are_named(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        TensorBoard(log_dir=tmp_path, **kwargs)


@requires_training
def test_fit_writes_batch_epoch_evaluation_scalars_and_histograms(tmp_path):
    x, y = regression_data(n=32)
    model = dense_model(learning_rate=0.05)
    callback = TensorBoard(log_dir=tmp_path / "logs", histogram_freq=1, update_freq=3)
    history = model.fit(x[:24], y[:24], batch_size=6, epochs=2, validation_data=(x[24:], y[24:]),
                        callbacks=[callback], verbose=0)
    train, validation = _read(tmp_path / "logs" / "train"), _read(tmp_path / "logs" / "validation")

    assert set(train.Tags()["scalars"]) == {"batch_loss", "epoch_loss", "epoch_learning_rate"}
    assert [step for step, _ in _scalars(train, "batch_loss")] == [3, 6]  # every 3rd of 8 batches
    assert [value for _, value in _scalars(train, "epoch_loss")] == pytest.approx(history.history["loss"])
    assert [value for _, value in _scalars(train, "epoch_learning_rate")] == pytest.approx([0.05, 0.05])
    assert [value for _, value in _scalars(validation, "epoch_loss")] == pytest.approx(history.history["val_loss"])
    # Evaluation against the optimizer's step count: 4 steps per epoch.
    assert [step for step, _ in _scalars(validation, "evaluation_loss_vs_iterations")] == [4, 8]

    kernel_tag = next(tag for tag in train.Tags()["histograms"] if tag.endswith("kernel/histogram"))
    assert len(train.Tags()["histograms"]) == 2  # kernel and bias
    histograms = train.Histograms(kernel_tag)
    assert [event.step for event in histograms] == [0, 1]
    kernel = model.get_weights()[0]
    last = histograms[-1].histogram_value
    assert last.num == kernel.size
    assert last.min == pytest.approx(kernel.min()) and last.max == pytest.approx(kernel.max())
    assert last.sum == pytest.approx(kernel.sum(), rel=1e-5)
    assert sum(last.bucket) == kernel.size

    graph = train.Tensors("keras")  # the model config, for the graph plugin
    assert json.loads(graph[0].tensor_proto.string_val[0])["class_name"] == "Sequential"


@requires_training
def test_update_freq_batch_writes_every_batch(tmp_path):
    x, y = regression_data(n=16)
    callback = TensorBoard(log_dir=tmp_path, update_freq="batch", write_graph=False,
                           write_steps_per_second=True)
    dense_model().fit(x, y, batch_size=8, epochs=2, callbacks=[callback], verbose=0)
    train = _read(tmp_path / "train")
    assert [step for step, _ in _scalars(train, "batch_loss")] == [1, 2, 3, 4]
    assert [step for step, _ in _scalars(train, "batch_steps_per_second")] == [1, 2, 3, 4]
    assert all(np.isfinite(value) and value > 0 for _, value in _scalars(train, "epoch_steps_per_second"))
