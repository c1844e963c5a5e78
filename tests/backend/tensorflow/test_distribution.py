"""Distribution on the TensorFlow engine: a DataParallel over one device fits exactly as no distribution does
(SGD written out in NumPy is the reference); a mesh of more devices is refused with an error naming the engine."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import distribution, layers, optimizers
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "tensorflow", reason="the tensorflow engine's distribution rules")


def _fit(x, y, scope=None):
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer=optimizers.SGD(0.1), loss="mse")
    if scope is None:
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    else:
        with scope:
            model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    return model.get_weights()


def test_data_parallel_on_one_device_fits_as_sgd_written_out():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 3)).astype("float32"), rng.normal(size=(8, 1)).astype("float32")
    kernel, bias = np.ones((3, 1)), np.zeros(1)
    for start in (0, 4):  # two batches of 4, mean squared error, SGD(0.1)
        xb, yb = x[start:start + 4].astype("float64"), y[start:start + 4].astype("float64")
        residual = 2 * (xb @ kernel + bias - yb) / len(xb)
        kernel, bias = kernel - 0.1 * xb.T @ residual, bias - 0.1 * residual.sum(0)
    data_parallel = distribution.DataParallel(devices=distribution.list_devices()[:1])
    got = _fit(x, y, data_parallel.scope())
    np.testing.assert_allclose(got[0], kernel, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[1], bias, rtol=1e-5, atol=1e-6)


def test_a_mesh_of_two_devices_is_refused_naming_the_engine():
    mesh = distribution.DeviceMesh((2,), ["batch"], devices=["cpu:0", "cpu:1"])
    with pytest.raises(RuntimeError, match="tensorflow backend does not distribute"):
        distribution.DataParallel(device_mesh=mesh)


def test_model_parallel_is_refused_naming_the_engine():
    mesh = distribution.DeviceMesh((1,), ["model"], devices=distribution.list_devices()[:1])
    layout_map = distribution.LayoutMap(mesh)
    with pytest.raises(RuntimeError, match="ModelParallel over 1 device"):
        distribution.ModelParallel(layout_map=layout_map)
