"""Cropping, ZeroPadding and UpSampling 1D-3D, Permute and RepeatVector against NumPy (and torch for bilinear)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from brickwork import backend, layers
from tests.layers.harness import run_layer_test


def _spatial(x, data_format):
    """View ``x`` channels last, and a function putting a result back in ``data_format``."""
    if data_format == "channels_first":
        return np.moveaxis(x, 1, -1), lambda y: np.moveaxis(y, -1, 1)
    return x, lambda y: y


def numpy_crop(pairs, data_format):
    def reference(x, weights):
        x, back = _spatial(x, data_format)
        index = (slice(None),) + tuple(slice(a, x.shape[i + 1] - b) for i, (a, b) in enumerate(pairs))
        return back(x[index])
    return reference


def numpy_pad(pairs, data_format):
    def reference(x, weights):
        x, back = _spatial(x, data_format)
        return back(np.pad(x, [(0, 0)] + list(pairs) + [(0, 0)]))
    return reference


def numpy_repeat(factors, data_format):
    def reference(x, weights):
        x, back = _spatial(x, data_format)
        for axis, factor in enumerate(factors, start=1):
            x = np.repeat(x, factor, axis=axis)
        return back(x)
    return reference


CASES = [
    # (layer class, init kwargs, input shape, expected output shape, reference)
    (layers.Cropping1D, {}, (2, 5, 3), (2, 3, 3), numpy_crop([(1, 1)], "channels_last")),
    (layers.Cropping1D, {"cropping": (0, 2)}, (2, 5, 3), (2, 3, 3), numpy_crop([(0, 2)], "channels_last")),
    (layers.Cropping2D, {"cropping": ((1, 0), (2, 1))}, (2, 4, 5, 3), (2, 3, 2, 3),
     numpy_crop([(1, 0), (2, 1)], "channels_last")),
    (layers.Cropping2D, {"cropping": 1, "data_format": "channels_first"}, (2, 3, 4, 5), (2, 3, 2, 3),
     numpy_crop([(1, 1), (1, 1)], "channels_first")),
    (layers.Cropping3D, {"cropping": (1, (0, 1), 0)}, (1, 4, 3, 2, 2), (1, 2, 2, 2, 2),
     numpy_crop([(1, 1), (0, 1), (0, 0)], "channels_last")),
    (layers.Cropping3D, {"cropping": 1, "data_format": "channels_first"}, (1, 2, 3, 4, 5), (1, 2, 1, 2, 3),
     numpy_crop([(1, 1)] * 3, "channels_first")),
    (layers.ZeroPadding1D, {}, (2, 3, 2), (2, 5, 2), numpy_pad([(1, 1)], "channels_last")),
    (layers.ZeroPadding1D, {"padding": (2, 0), "data_format": "channels_first"}, (2, 2, 3), (2, 2, 5),
     numpy_pad([(2, 0)], "channels_first")),
    (layers.ZeroPadding2D, {"padding": ((1, 0), (2, 3))}, (2, 2, 3, 2), (2, 3, 8, 2),
     numpy_pad([(1, 0), (2, 3)], "channels_last")),
    (layers.ZeroPadding2D, {"padding": (1, 2), "data_format": "channels_first"}, (1, 2, 2, 2), (1, 2, 4, 6),
     numpy_pad([(1, 1), (2, 2)], "channels_first")),
    (layers.ZeroPadding3D, {}, (1, 2, 2, 1, 2), (1, 4, 4, 3, 2), numpy_pad([(1, 1)] * 3, "channels_last")),
    (layers.ZeroPadding3D, {"padding": (0, 1, (2, 0)), "data_format": "channels_first"}, (1, 2, 2, 2, 2),
     (1, 2, 2, 4, 4), numpy_pad([(0, 0), (1, 1), (2, 0)], "channels_first")),
    (layers.UpSampling1D, {"size": 3}, (2, 3, 2), (2, 9, 2), numpy_repeat([3], "channels_last")),
    (layers.UpSampling2D, {}, (2, 2, 3, 2), (2, 4, 6, 2), numpy_repeat([2, 2], "channels_last")),
    (layers.UpSampling2D, {"size": (1, 3), "data_format": "channels_first"}, (1, 2, 2, 3), (1, 2, 2, 9),
     numpy_repeat([1, 3], "channels_first")),
    (layers.UpSampling3D, {"size": (2, 1, 3)}, (1, 2, 2, 2, 2), (1, 4, 2, 6, 2),
     numpy_repeat([2, 1, 3], "channels_last")),
    (layers.UpSampling3D, {"size": 2, "data_format": "channels_first"}, (1, 2, 1, 2, 3), (1, 2, 2, 4, 6),
     numpy_repeat([2, 2, 2], "channels_first")),
    (layers.Permute, {"dims": (2, 1)}, (2, 3, 4), (2, 4, 3), lambda x, w: np.transpose(x, (0, 2, 1))),
    (layers.Permute, {"dims": (3, 1, 2)}, (2, 3, 4, 5), (2, 5, 3, 4), lambda x, w: np.transpose(x, (0, 3, 1, 2))),
    (layers.RepeatVector, {"n": 3}, (2, 4), (2, 3, 4), lambda x, w: np.repeat(x[:, None], 3, axis=1)),
]


@pytest.mark.parametrize("layer_cls, kwargs, input_shape, output_shape, reference", CASES,
                         ids=[f"{c.__name__}-{i}" for i, (c, *_) in enumerate(CASES)])
def test_matches_numpy(layer_cls, kwargs, input_shape, output_shape, reference):
    run_layer_test(layer_cls, kwargs, input_shape=input_shape, expected_output_shape=output_shape,
                   expected_num_trainable_weights=0, reference=reference)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_bilinear_up_sampling_matches_torch_interpolate(data_format):
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 2)).astype("float32")
    x_first = np.moveaxis(x, -1, 1)
    expected = F.interpolate(torch.tensor(x_first), scale_factor=(2, 3), mode="bilinear", align_corners=False).numpy()
    if data_format == "channels_last":
        layer_input, expected = x, np.moveaxis(expected, 1, -1)
    else:
        layer_input = x_first
    run_layer_test(layers.UpSampling2D, {"size": (2, 3), "interpolation": "bilinear", "data_format": data_format},
                   input_data=layer_input, rtol=1e-5, atol=1e-6, reference=lambda inp, w: expected)


def test_cropping_and_padding_keep_integer_dtypes():
    x = np.arange(24, dtype="int32").reshape(1, 4, 6)
    assert backend.convert_to_numpy(layers.Cropping1D(1)(x)).dtype == np.int32
    assert backend.convert_to_numpy(layers.ZeroPadding1D(1)(x)).dtype == np.int32
    assert backend.convert_to_numpy(layers.UpSampling1D(2)(x)).dtype == np.int32


def test_symbolic_shapes_with_unknown_sizes():
    kt = backend.KerasTensor
    assert layers.Cropping2D(((1, 1), (0, 2)))(kt((None, None, 5, 3))).shape == (None, None, 3, 3)
    assert layers.ZeroPadding3D(1, data_format="channels_first")(kt((None, 2, None, 3, 4))).shape == (
        None, 2, None, 5, 6)
    assert layers.UpSampling2D(2, interpolation="bilinear")(kt((None, None, 3, 2))).shape == (None, None, 6, 2)
    assert layers.Permute((2, 1))(kt((None, None, 4))).shape == (None, 4, None)
    assert layers.RepeatVector(5)(kt((None, 3))).shape == (None, 5, 3)


def test_configs_use_keras_keys_and_standard_forms():
    assert layers.Cropping1D(2).get_config()["cropping"] == (2, 2)
    assert layers.Cropping2D(1).get_config()["cropping"] == ((1, 1), (1, 1))
    assert layers.Cropping3D().get_config()["cropping"] == ((1, 1), (1, 1), (1, 1))
    assert layers.ZeroPadding2D((1, 2)).get_config()["padding"] == ((1, 1), (2, 2))
    assert layers.UpSampling1D().get_config()["size"] == 2
    config = layers.UpSampling2D(interpolation="Bilinear").get_config()
    assert config["size"] == (2, 2) and config["interpolation"] == "bilinear"
    assert layers.Permute([2, 1]).get_config()["dims"] == (2, 1)
    assert "data_format" not in layers.Cropping1D().get_config()


@pytest.mark.parametrize("make, match", [
    (lambda: layers.Cropping2D(-1), "cropping"),
    (lambda: layers.Cropping2D((1, 2, 3)), "cropping"),
    (lambda: layers.ZeroPadding3D(((1, 1), (1, 1))), "padding"),
    (lambda: layers.UpSampling2D(0), "size"),
    (lambda: layers.Permute((1, 3)), "dims"),
    (lambda: layers.RepeatVector(0), "n"),
])
def test_bad_arguments_are_named(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_inputs_name_the_layer():
    with pytest.raises(ValueError, match="crop"):
        layers.Cropping1D((2, 2), name="crop")(np.zeros((1, 4, 2), dtype="float32"))
    with pytest.raises(ValueError, match="ndim=2"):
        layers.RepeatVector(2)(np.zeros((1, 4, 2), dtype="float32"))
    with pytest.raises(ValueError, match="interpolation"):
        layers.UpSampling2D(interpolation="area")
    with pytest.raises(TypeError, match="n"):
        layers.RepeatVector(2.5)


@pytest.mark.parametrize("interpolation", ["bicubic", "lanczos3", "lanczos5"])
def test_up_sampling_2d_resize_methods(interpolation):
    """The methods beyond nearest/bilinear resize to (rows * h, cols * w) as ops.image.resize does."""
    from brickwork import backend, ops

    x = np.random.default_rng(0).normal(size=(2, 3, 4, 2)).astype("float32")
    layer = layers.UpSampling2D(size=(2, 3), interpolation=interpolation)
    if backend.backend() == "torch" and interpolation != "bicubic":
        with pytest.raises(ValueError, match="Lanczos"):
            layer(x)
        return
    expected = ops.convert_to_numpy(ops.image.resize(x, (6, 12), interpolation=interpolation))
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), expected, atol=1e-6)
    assert layer.get_config()["interpolation"] == interpolation
