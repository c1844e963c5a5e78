"""GlobalMax/AveragePooling1D-3D against NumPy reductions, keepdims, data formats and 1D masks."""

import numpy as np
import pytest

from brickwork import backend, layers, models, ops
from brickwork.layers import masking
from tests.layers.harness import run_layer_test

LAYERS = [
    (layers.GlobalMaxPooling1D, 1, np.max), (layers.GlobalAveragePooling1D, 1, np.mean),
    (layers.GlobalMaxPooling2D, 2, np.max), (layers.GlobalAveragePooling2D, 2, np.mean),
    (layers.GlobalMaxPooling3D, 3, np.max), (layers.GlobalAveragePooling3D, 3, np.mean),
]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("layer_cls, rank, reduce", LAYERS, ids=[c.__name__ for c, *_ in LAYERS])
def test_global_pooling_matches_numpy(layer_cls, rank, reduce, data_format, keepdims):
    input_shape = (2,) + (3, 4, 2)[:rank] + (5,) if data_format == "channels_last" else (2, 5) + (3, 4, 2)[:rank]
    axes = tuple(range(1, rank + 1)) if data_format == "channels_last" else tuple(range(2, rank + 2))
    run_layer_test(layer_cls, {"data_format": data_format, "keepdims": keepdims}, input_shape=input_shape,
                   reference=lambda x, w: reduce(x, axis=axes, keepdims=keepdims), rtol=1e-5, atol=1e-6,
                   expected_output_shape=tuple(1 if i in axes else d for i, d in enumerate(input_shape))
                   if keepdims else (2, 5))


def _masked_input(data_format):
    x = np.random.default_rng(0).standard_normal((2, 4, 3)).astype("float32")
    mask = np.array([[True, True, False, False], [True, False, True, True]])
    if data_format == "channels_first":
        return np.moveaxis(x, 1, 2), x, mask
    return x, x, mask


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_1d_masks_leave_masked_steps_out(data_format):
    x, steps_last, mask = _masked_input(data_format)
    expected_mean = np.stack([steps_last[i][mask[i]].mean(0) for i in range(2)])
    expected_max = np.stack([steps_last[i][mask[i]].max(0) for i in range(2)])
    mask_tensor = backend.convert_to_tensor(mask)
    for layer_cls, expected in ((layers.GlobalAveragePooling1D, expected_mean),
                                (layers.GlobalMaxPooling1D, expected_max)):
        layer = layer_cls(data_format=data_format)
        out = layer(x, mask=mask_tensor)
        np.testing.assert_allclose(backend.convert_to_numpy(out), expected, rtol=1e-6)
        assert masking.get_mask(out) is None  # the steps axis, and with it the mask, is gone
        kept = backend.convert_to_numpy(layer_cls(data_format=data_format, keepdims=True)(x, mask=mask_tensor))
        np.testing.assert_allclose(kept.squeeze(1 if data_format == "channels_last" else 2), expected, rtol=1e-6)


def test_mask_from_a_previous_layer_travels_in_a_functional_model():
    class MaskZeroSteps(layers.Layer):
        """Masks the steps whose features are all zero (what keras.layers.Masking does)."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, inputs):
            return inputs

        def compute_mask(self, inputs, previous_mask=None):
            return ops.any(ops.not_equal(inputs, 0), axis=-1)

    x = np.random.default_rng(1).standard_normal((2, 4, 3)).astype("float32")
    x[0, 2:] = 0.0
    x[1, 1] = 0.0
    inputs = layers.Input((4, 3))
    hidden = MaskZeroSteps()(inputs)
    model = models.Model(inputs, [layers.GlobalAveragePooling1D()(hidden), layers.GlobalMaxPooling1D()(hidden)])
    mean, largest = (backend.convert_to_numpy(t) for t in model(x))
    keep = [x[0, :2], x[1, [0, 2, 3]]]
    np.testing.assert_allclose(mean, np.stack([k.mean(0) for k in keep]), rtol=1e-6)
    np.testing.assert_allclose(largest, np.stack([k.max(0) for k in keep]), rtol=1e-6)


def test_symbolic_shapes_and_aliases():
    assert layers.GlobalMaxPooling2D()(backend.KerasTensor((None, None, None, 3))).shape == (None, 3)
    assert layers.GlobalAveragePooling3D(keepdims=True, data_format="channels_first")(
        backend.KerasTensor((None, 3, 4, None, 6))).shape == (None, 3, 1, 1, 1)
    assert layers.GlobalAvgPool1D is layers.GlobalAveragePooling1D
    assert layers.GlobalMaxPool1D is layers.GlobalMaxPooling1D
    assert layers.GlobalAvgPool2D is layers.GlobalAveragePooling2D
    assert layers.GlobalMaxPool3D is layers.GlobalMaxPooling3D
    assert set(layers.GlobalMaxPooling1D().get_config()) >= {"data_format", "keepdims"}


def test_wrong_rank_names_the_layer():
    with pytest.raises(ValueError, match="gap"):
        layers.GlobalAveragePooling2D(name="gap")(np.zeros((2, 3, 4), dtype="float32"))
