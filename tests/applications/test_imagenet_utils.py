"""``preprocess_input`` against NumPy formulas (arrays in place, tensors and symbolic inputs alike), input-shape
checks, and the errors every application gives for arguments it cannot use."""

import numpy as np
import pytest

from brickwork import applications, layers, ops
from brickwork.applications import imagenet_utils
from tests.applications.marks import engine_independent

_MEAN_BGR = np.array([103.939, 116.779, 123.68], "float32")
_TORCH_MEAN, _TORCH_STD = np.array([0.485, 0.456, 0.406], "float32"), np.array([0.229, 0.224, 0.225], "float32")


def _expected(x: np.ndarray, mode: str) -> np.ndarray:
    if mode == "tf":
        return x / 127.5 - 1.0
    if mode == "torch":
        return (x / 255.0 - _TORCH_MEAN) / _TORCH_STD
    return x[..., ::-1] - _MEAN_BGR


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_preprocess_input_formulas_for_arrays_and_tensors(mode):
    x = np.random.default_rng(0).uniform(0, 255, (2, 4, 5, 3)).astype("float32")
    expected = _expected(x, mode)
    np.testing.assert_allclose(imagenet_utils.preprocess_input(x.copy(), mode=mode), expected, rtol=1e-5, atol=1e-4)
    tensor = imagenet_utils.preprocess_input(ops.convert_to_tensor(x.copy()), mode=mode)
    np.testing.assert_allclose(ops.convert_to_numpy(tensor), expected, rtol=1e-5, atol=1e-4)
    first = imagenet_utils.preprocess_input(np.moveaxis(x, -1, 1).copy(), data_format="channels_first", mode=mode)
    np.testing.assert_allclose(np.moveaxis(first, 1, -1), expected, rtol=1e-5, atol=1e-4)
    single = imagenet_utils.preprocess_input(x[0].copy(), mode=mode)
    np.testing.assert_allclose(single, expected[0], rtol=1e-5, atol=1e-4)


def test_preprocess_input_scales_float_arrays_in_place_and_converts_integers():
    x = np.full((1, 2, 2, 3), 255.0)
    out = imagenet_utils.preprocess_input(x, mode="tf")
    assert out is x and float(x.max()) == 1.0
    integers = np.full((1, 2, 2, 3), 255, "uint8")
    assert imagenet_utils.preprocess_input(integers, mode="tf").dtype == np.float32


def test_preprocess_input_in_a_model():
    inputs = layers.Input((4, 4, 3))
    model = applications.vgg16.preprocess_input(inputs)
    assert tuple(model.shape) == (None, 4, 4, 3)


def test_module_preprocessing_modes():
    x = np.full((1, 1, 1, 3), 255.0, "float32")
    assert float(applications.mobilenet_v2.preprocess_input(x.copy()).max()) == 1.0
    assert float(applications.resnet_v2.preprocess_input(x.copy()).max()) == 1.0
    torch_scaled = applications.densenet.preprocess_input(x.copy())[0, 0, 0]
    np.testing.assert_allclose(torch_scaled, (1 - _TORCH_MEAN) / _TORCH_STD, rtol=1e-5)
    np.testing.assert_allclose(applications.resnet50.preprocess_input(x.copy())[0, 0, 0], 255 - _MEAN_BGR, rtol=1e-5)
    for module in (applications.efficientnet, applications.efficientnet_v2, applications.convnext,
                   applications.mobilenet_v3):
        assert module.preprocess_input(x) is x


def test_bad_mode_and_data_format_are_named():
    with pytest.raises(ValueError, match="mode=unknown"):
        imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), mode="unknown")
    with pytest.raises(ValueError, match="data_format=rgb"):
        imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), data_format="rgb")


def test_obtain_input_shape():
    shape = imagenet_utils.obtain_input_shape
    assert shape(None, 224, 32, "channels_last", require_flatten=True) == (224, 224, 3)
    assert shape(None, 224, 32, "channels_last", require_flatten=False) == (None, None, 3)
    assert shape(None, 224, 32, "channels_first", require_flatten=False) == (3, None, None)
    assert shape((64, 64, 1), 224, 32, "channels_last", require_flatten=False) == (64, 64, 1)
    with pytest.raises(ValueError, match="at least 32x32"):
        shape((16, 16, 3), 224, 32, "channels_last", require_flatten=False)
    with pytest.raises(ValueError, match="3 channels"):
        shape((64, 64, 1), 224, 32, "channels_last", require_flatten=False, weights="imagenet")
    with pytest.raises(ValueError, match=r"should be \(224, 224, 3\)"):
        shape((64, 64, 3), 224, 32, "channels_last", require_flatten=True, weights="imagenet")
    with pytest.raises(ValueError, match="static"):
        shape((None, None, 3), 224, 32, "channels_last", require_flatten=True)


@engine_independent
def test_argument_errors_name_argument_expected_and_received():
    with pytest.raises(ValueError, match="weights=nowhere.h5"):
        applications.ResNet50(weights="nowhere.h5")
    with pytest.raises(ValueError, match="classes should be 1000|`classes` should be 1000"):
        applications.MobileNetV2(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="at least 32x32"):
        applications.VGG16(weights=None, include_top=False, input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="alpha"):
        applications.MobileNet(weights="imagenet", alpha=0.3, include_top=False, input_shape=(128, 128, 3))
    with pytest.raises(ValueError, match="classifier_activation"):
        applications.MobileNetV3Small(weights="imagenet", classifier_activation="relu", input_shape=(224, 224, 3))


@engine_independent
def test_pooling_input_tensor_and_channel_counts():
    model = applications.MobileNet(weights=None, alpha=0.25, include_top=False, pooling="max",
                                   input_shape=(None, None, 1))
    assert model.output_shape == (None, 256)
    inputs = layers.Input((40, 40, 4), name="custom_input")
    features = layers.Conv2D(3, 2, strides=2)(inputs)
    model = applications.ResNet50V2(weights=None, include_top=False, input_tensor=features)
    assert model.inputs[0] is inputs and model.output_shape == (None, 1, 1, 2048)
    model = applications.EfficientNetB0(weights=None, classifier_activation="softmax", classes=3,
                                        input_shape=(32, 32, 3))
    assert model.layers[-1].activation.__name__ == "softmax"
