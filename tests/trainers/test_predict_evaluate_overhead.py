"""predict and evaluate do per batch only what a batch needs: metric results are computed when someone reads
them (a callback, the end of the loop), not at every batch; predict's outputs are joined once at the end."""

import numpy as np

import brickwork as keras
from brickwork import metrics
from tests.conftest import requires_training


class _CountingMean(metrics.Mean):
    """A Mean that counts how often its result is computed."""

    results = 0

    def result(self):
        _CountingMean.results += 1
        return super().result()


class _BatchLogs(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_test_batch_end(self, batch, logs=None):
        self.seen.append(dict(logs))


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer="ones")])
    model.compile(optimizer="sgd", loss="mse", metrics=[_CountingMean(name="counted")])
    return model


def _data():
    rng = np.random.default_rng(0)
    return rng.random((40, 3), dtype=np.float32), rng.random((40, 2), dtype=np.float32)


def test_evaluate_computes_metric_results_once_not_per_batch():
    model, (x, y) = _model(), _data()
    _CountingMean.results = 0
    logs = model.evaluate(x, y, batch_size=5, verbose=0, return_dict=True)  # 8 batches
    assert _CountingMean.results <= 2, _CountingMean.results
    kernel, bias = (np.asarray(keras.ops.convert_to_numpy(w)) for w in model.layers[0].weights)
    expected = np.mean((y - (x @ kernel + bias)) ** 2)
    np.testing.assert_allclose(logs["loss"], expected, rtol=1e-5)


@requires_training
def test_fit_with_history_computes_metric_results_once_per_epoch():
    model, (x, y) = _model(), _data()
    _CountingMean.results = 0
    model.fit(x, y, batch_size=5, epochs=1, verbose=0, shuffle=False)  # History reads only the epoch's logs
    assert _CountingMean.results <= 3, _CountingMean.results


def test_a_callback_still_sees_every_batchs_logs():
    model, (x, y) = _model(), _data()
    seen = _BatchLogs()
    model.evaluate(x, y, batch_size=5, verbose=0, callbacks=[seen])
    assert len(seen.seen) == 8
    assert all(isinstance(logs["loss"], float) for logs in seen.seen)


def test_predict_joins_batches_in_order_as_numpy():
    model, (x, _) = _model(), _data()
    out = model.predict(x, batch_size=7, verbose=0)  # a short last batch
    kernel, bias = (np.asarray(keras.ops.convert_to_numpy(w)) for w in model.layers[0].weights)
    assert isinstance(out, np.ndarray) and out.shape == (40, 2) and out.dtype == np.float32
    np.testing.assert_allclose(out, x @ kernel + bias, rtol=1e-5)
    out[:] = 0  # the caller owns the array
    np.testing.assert_allclose(model.predict(x, batch_size=7, verbose=0), x @ kernel + bias, rtol=1e-5)
