"""Flatten and Reshape on batches whose sizes vary from one batch to the next: a traced step (TensorFlow's
``tf.function`` with ``reduce_retracing``) sees those dimensions as unknown, and the results must still be
NumPy's ``reshape`` of each batch."""

import numpy as np

from brickwork import layers, models
from tests.conftest import requires_training


def test_flatten_predicts_batches_of_varying_shapes_as_numpy():
    batches = [np.arange(3 * 5 * 7, dtype="float32").reshape(3, 5, 7), np.ones((2, 7, 5), "float32")]
    model = models.Sequential([layers.Flatten()])
    out = model.predict((b,) for b in batches)  # a generator: each batch its own shape
    np.testing.assert_array_equal(out, np.concatenate([b.reshape(len(b), -1) for b in batches]))


@requires_training
def test_reshape_with_minus_one_fits_and_predicts_batches_of_varying_lengths():
    def batches():
        yield np.ones((1, 12, 2), "float32"), np.zeros((1, 3, 8), "float32")
        yield np.ones((1, 20, 2), "float32"), np.zeros((1, 5, 8), "float32")

    model = models.Sequential([layers.Reshape((-1, 8))])
    model.compile(loss="mean_squared_error")
    history = model.fit(batches(), steps_per_epoch=2, epochs=1, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [1.0])  # ones against zeros
    for length in (12, 20, 24):
        x = np.arange(length * 2, dtype="float32").reshape(1, length, 2)
        np.testing.assert_array_equal(np.asarray(model(x)), x.reshape(1, -1, 8))
        np.testing.assert_array_equal(model.predict(x, verbose=0), x.reshape(1, -1, 8))
