"""MaxPooling1D-3D and AveragePooling1D-3D against a NumPy loop over windows, and against torch where equal."""

import itertools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from brickwork import backend, layers
from tests.layers.harness import run_layer_test


def numpy_pool(x, pool_size, strides, padding, data_format, mode):
    """Pool a NumPy array window by window; "same" windows use only their real elements (TensorFlow's rule)."""
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    spatial = x.shape[1:-1]
    starts = []
    for n, k, s in zip(spatial, pool_size, strides):
        if padding == "valid":
            count, before = (n - k) // s + 1, 0
        else:
            count = math.ceil(n / s)
            before = max((count - 1) * s + k - n, 0) // 2
        starts.append([i * s - before for i in range(count)])
    out = np.zeros((x.shape[0],) + tuple(len(s) for s in starts) + (x.shape[-1],), dtype=np.float64)
    for index in itertools.product(*[range(len(s)) for s in starts]):
        window = tuple(slice(max(starts[d][i], 0), min(starts[d][i] + pool_size[d], spatial[d]))
                       for d, i in enumerate(index))
        values = x[(slice(None),) + window + (slice(None),)].reshape(x.shape[0], -1, x.shape[-1])
        out[(slice(None),) + index + (slice(None),)] = values.max(1) if mode == "max" else values.mean(1)
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


POOLS = {
    1: (layers.MaxPooling1D, layers.AveragePooling1D),
    2: (layers.MaxPooling2D, layers.AveragePooling2D),
    3: (layers.MaxPooling3D, layers.AveragePooling3D),
}
CASES = [
    # (rank, init kwargs, input shape)
    (1, {}, (2, 7, 3)),
    (1, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 8, 2)),
    (1, {"pool_size": 2, "strides": 1, "data_format": "channels_first"}, (2, 3, 5)),
    (2, {}, (2, 5, 4, 3)),
    (2, {"pool_size": (3, 2), "strides": (2, 1), "padding": "same"}, (2, 5, 4, 2)),
    (2, {"pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"}, (1, 2, 6, 5)),
    (3, {"pool_size": 2}, (1, 4, 5, 4, 2)),
    (3, {"pool_size": (2, 3, 2), "strides": 2, "padding": "same", "data_format": "channels_first"}, (1, 2, 3, 5, 4)),
]


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("rank, kwargs, input_shape", CASES, ids=[f"{c[0]}d-{i}" for i, c in enumerate(CASES)])
def test_pooling_matches_numpy_windows(mode, rank, kwargs, input_shape):
    layer_cls = POOLS[rank][0 if mode == "max" else 1]
    pool_size = kwargs.get("pool_size", 2)
    pool_size = (pool_size,) * rank if isinstance(pool_size, int) else pool_size
    strides = kwargs.get("strides") or pool_size
    strides = (strides,) * rank if isinstance(strides, int) else strides

    def reference(x, weights):
        return numpy_pool(x, pool_size, strides, kwargs.get("padding", "valid"),
                          kwargs.get("data_format", "channels_last"), mode)

    layer, output = run_layer_test(layer_cls, kwargs, input_shape=input_shape, reference=reference,
                                   expected_num_trainable_weights=0, rtol=1e-5, atol=1e-6)
    assert output.dtype == np.float32


def test_matches_torch_pooling_on_valid_windows():
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 6)).astype("float32")
    out = layers.MaxPooling2D(3, strides=2, data_format="channels_first")(x)
    np.testing.assert_allclose(backend.convert_to_numpy(out), F.max_pool2d(torch.tensor(x), 3, 2).numpy())
    out = layers.AveragePooling1D(2, data_format="channels_first")(x[:, :, 0])
    np.testing.assert_allclose(backend.convert_to_numpy(out), F.avg_pool1d(torch.tensor(x[:, :, 0]), 2).numpy(),
                               rtol=1e-6)


def test_integer_inputs_keep_their_dtype_in_max_pooling():
    x = np.arange(16, dtype="int32").reshape(1, 4, 4, 1)
    out = backend.convert_to_numpy(layers.MaxPooling2D()(x))
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out[0, :, :, 0], [[5, 7], [13, 15]])


def test_symbolic_shapes_with_unknown_sizes():
    assert layers.MaxPooling2D(2)(backend.KerasTensor((None, None, 7, 3))).shape == (None, None, 3, 3)
    assert layers.AveragePooling1D(3, strides=2, padding="same")(
        backend.KerasTensor((None, 7, 4))).shape == (None, 4, 4)
    assert layers.MaxPooling3D(2, data_format="channels_first")(
        backend.KerasTensor((None, 3, 4, None, 6))).shape == (None, 3, 2, None, 3)


def test_aliases_config_and_defaults():
    assert layers.MaxPool1D is layers.MaxPooling1D and layers.AvgPool2D is layers.AveragePooling2D
    assert layers.MaxPool3D is layers.MaxPooling3D and layers.AvgPool3D is layers.AveragePooling3D
    config = layers.MaxPooling2D().get_config()
    assert config["pool_size"] == (2, 2) and config["strides"] == (2, 2) and config["padding"] == "valid"
    assert {"pool_size", "padding", "strides", "data_format"} <= set(config)
    assert layers.MaxPooling1D().get_config()["pool_size"] == (2,)
    assert layers.AveragePooling3D(strides=1).get_config()["strides"] == (1, 1, 1)


def test_bad_arguments_and_inputs_are_named():
    with pytest.raises(ValueError, match="padding"):
        layers.MaxPooling2D(padding="full")
    with pytest.raises(ValueError, match="pool_size"):
        layers.AveragePooling2D(pool_size=(2, 2, 2))
    with pytest.raises(ValueError, match="ndim=4"):
        layers.MaxPooling2D()(np.zeros((2, 4, 4), dtype="float32"))
    with pytest.raises(ValueError, match="too small"):
        layers.MaxPooling1D(4)(np.zeros((1, 3, 2), dtype="float32"))
