"""fit with every kind of data and the loop's options: generators, PyDataset, DataLoader,
dicts, steps_per_epoch, initial_epoch, validation_freq, class_weight, multi-output losses."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import layers, models, utils
from tests.conftest import requires_training

pytestmark = requires_training


def _regression(n=64):
    rng = np.random.default_rng(0)
    x = rng.random((n, 4), dtype=np.float32)
    return x, (x @ np.array([1.0, -2.0, 0.5, 3.0], np.float32))[:, None]


def _model():
    model = models.Sequential([layers.Input((4,)), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return model


def test_generator():
    x, y = _regression()

    def batches():
        while True:
            for i in range(0, 64, 16):
                yield x[i:i + 16], y[i:i + 16]

    model = _model()
    history = model.fit(batches(), steps_per_epoch=4, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_py_dataset():
    x, y = _regression()

    class Data(utils.PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, index):
            return x[index * 16:(index + 1) * 16], y[index * 16:(index + 1) * 16]

    history = _model().fit(Data(), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_torch_data_loader_on_any_backend():
    torch = pytest.importorskip("torch")
    x, y = _regression()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)),
                                         batch_size=16)
    history = _model().fit(loader, epochs=2, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_initial_epoch_and_validation_freq():
    x, y = _regression()
    history = _model().fit(x, y, epochs=5, initial_epoch=2, validation_data=(x, y), validation_freq=2,
                           batch_size=16, verbose=0)
    assert history.epoch == [2, 3, 4]
    assert len(history.history["loss"]) == 3
    # Validation after epochs 2 and 4 (1-based: the 2nd and 4th).
    assert len(history.history["val_loss"]) == 1


def test_class_weight_scales_the_loss():
    x = np.zeros((8, 4), np.float32)
    y = np.array([0, 1] * 4)
    model = models.Sequential([layers.Input((4,)), layers.Dense(2, activation="softmax", kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    plain = model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False).history["loss"][0]
    weighted = model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False,
                         class_weight={0: 1.0, 1: 3.0}).history["loss"][0]
    # Every sample has loss log(2); weights 1 and 3 average to 2 over the batch.
    assert plain == pytest.approx(np.log(2), rel=1e-5)
    assert weighted == pytest.approx(2 * np.log(2), rel=1e-5)


def test_multi_output_losses_weights_and_metrics_by_name():
    inputs = layers.Input((4,), name="features")
    a = layers.Dense(1, name="reg")(inputs)
    b = layers.Dense(3, activation="softmax", name="cls")(inputs)
    model = models.Model(inputs, [a, b])
    model.compile(optimizer="adam", loss={"reg": "mse", "cls": "sparse_categorical_crossentropy"},
                  loss_weights={"reg": 0.5, "cls": 2.0}, metrics={"cls": ["accuracy"]})
    x, y = _regression()
    labels = (y[:, 0] > y.mean()).astype("int64")
    logs = model.evaluate(x, {"reg": y, "cls": labels}, verbose=0, return_dict=True)
    preds = model.predict(x, verbose=0)
    mse = np.mean((preds[0] - y) ** 2)
    ce = -np.mean(np.log(np.clip(preds[1][np.arange(64), labels], 1e-7, 1)))
    assert logs["loss"] == pytest.approx(0.5 * mse + 2.0 * ce, rel=1e-4)
    assert "cls_accuracy" in logs
    history = model.fit(x, [y, labels], epochs=2, verbose=0)
    assert "cls_accuracy" in history.history


def test_dict_outputs_match_targets_by_key_whatever_their_order():
    """Outputs declared ``{"b": …, "a": …}`` meet targets by key (KerasHub's Bert/T5/Whisper backbones)."""
    inputs = layers.Input((4,))
    model = models.Model(inputs, {"b": layers.Dense(2)(inputs), "a": layers.Dense(3)(inputs)})
    model.compile(optimizer="sgd", loss="mse", loss_weights={"a": 2.0, "b": 1.0}, metrics={"b": ["mae"]})
    x, _ = _regression(8)
    targets = {"a": np.ones((8, 3), "float32"), "b": np.zeros((8, 2), "float32")}
    logs = model.evaluate(x, targets, verbose=0, return_dict=True)
    preds = model.predict(x, verbose=0)
    expected = 2.0 * np.mean((preds["a"] - 1.0) ** 2) + np.mean(preds["b"] ** 2)
    assert logs["loss"] == pytest.approx(expected, rel=1e-5)
    assert logs["b_mae"] == pytest.approx(np.mean(np.abs(preds["b"])), rel=1e-5)
    assert np.isfinite(model.fit(x, targets, verbose=0).history["loss"][0])


def test_add_loss_is_part_of_the_training_loss():
    class Penalty(layers.Layer):
        def call(self, x):
            self.add_loss(1.5)
            return x

    model = models.Sequential([layers.Input((4,)), Penalty(), layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    x = np.zeros((8, 4), np.float32)
    y = np.zeros((8, 1), np.float32)
    logs = model.fit(x, y, epochs=1, batch_size=8, verbose=0).history
    assert logs["loss"][0] == pytest.approx(1.5)


def test_verbose_output_format(capsys):
    x, y = _regression(32)
    model = _model()
    model.fit(x, y, epochs=2, batch_size=16, verbose=2)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "2/2 - " in out and "loss: " in out


def test_compute_loss_override_passing_one_output_of_several():
    """A model with two outputs whose ``compute_loss`` hands the compiled loss one tensor (KerasHub's SigLIP) gets
    that loss, as in Keras, not an error about the number of outputs."""

    class OneOutputLoss(models.Model):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, **kwargs):
            return super().compute_loss(x=x, y=y["a"], y_pred=y_pred["a"], sample_weight=sample_weight, **kwargs)

    inputs = layers.Input((4,))
    model = OneOutputLoss(inputs, {"a": layers.Dense(2)(inputs), "b": layers.Dense(3)(inputs)})
    model.compile(optimizer="sgd", loss="mse")
    x, _ = _regression(8)
    targets = {"a": np.ones((8, 2), "float32"), "b": np.zeros((8, 3), "float32")}
    logs = model.evaluate(x, targets, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(np.mean((model.predict(x, verbose=0)["a"] - 1.0) ** 2), rel=1e-5)
    assert np.isfinite(model.fit(x, targets, verbose=0).history["loss"][0])
