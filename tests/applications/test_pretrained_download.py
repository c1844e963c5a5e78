"""``weights="imagenet"`` and ``decode_predictions`` download Keras's files through ``get_file`` — here from a
local HTTP server the test starts (``$BRICKWORK_APPLICATIONS_ORIGIN``), serving files the test writes, with their
hashes patched in: one download, then the cache; a corrupted file refused. Keras's addresses and hashes are
checked without downloading."""

import hashlib
import json

import numpy as np
import pytest

from brickwork import applications, ops
from brickwork.applications import _base, imagenet_utils, mobilenet_v3
from conformance.applications import cases
from tests.datasets.local_server import local_server  # noqa: F401 (fixture)
from tests.applications.marks import engine_independent

_V3_FILE = "weights_mobilenet_v3_small_minimalistic_224_1.0_float_no_top_v2.h5"
_V3_KEY = "small_minimalistic_224_1.0_float"


@pytest.fixture
def mirror(local_server, tmp_path, monkeypatch):  # noqa: F811 (the fixture above)
    monkeypatch.setenv("BRICKWORK_APPLICATIONS_ORIGIN", local_server.url)
    monkeypatch.setenv("BRICKWORK_HOME", str(tmp_path / "home"))
    return local_server


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def _small_v3(weights):
    return applications.MobileNetV3Small(weights=weights, minimalistic=True, include_top=False,
                                         input_shape=(224, 224, 3))


@engine_independent
def test_imagenet_weights_download_once_then_load(mirror, tmp_path, monkeypatch):
    source = _small_v3(None)
    cases.seeded_weights(source)
    source.save(str(tmp_path / "published.h5"))  # Keras publishes whole-model legacy .h5 files
    data = (tmp_path / "published.h5").read_bytes()
    mirror.put(_V3_FILE, data)
    monkeypatch.setitem(mobilenet_v3.WEIGHTS_HASHES, _V3_KEY, ("unused", _md5(data)))
    x = np.random.default_rng(0).uniform(0, 255, (1, 224, 224, 3)).astype("float32")
    expected = ops.convert_to_numpy(source(x))
    for _ in range(2):
        model = _small_v3("imagenet")
        np.testing.assert_allclose(ops.convert_to_numpy(model(x)), expected, rtol=1e-5, atol=1e-5)
    assert mirror.requests == [f"/{_V3_FILE}"]
    assert (tmp_path / "home" / "models" / _V3_FILE).exists()


@engine_independent
def test_corrupted_download_is_refused(mirror, monkeypatch):
    mirror.put(_V3_FILE, b"not the published file")
    monkeypatch.setitem(mobilenet_v3.WEIGHTS_HASHES, _V3_KEY, ("unused", _md5(b"the published file")))
    with pytest.raises(Exception, match="(?i)hash|integrity|corrupt"):
        _small_v3("imagenet")


def test_decode_predictions_reads_the_class_index(mirror, monkeypatch):
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    data = json.dumps(index).encode()
    mirror.put("imagenet_class_index.json", data)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_HASH", _md5(data))
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    scores = np.zeros((2, 1000), "float32")
    scores[0, 7], scores[0, 3], scores[1, 999] = 0.9, 0.5, 0.8
    decoded = applications.resnet50.decode_predictions(scores, top=2)
    assert decoded[0] == [("n00000007", "class_7", np.float32(0.9)), ("n00000003", "class_3", np.float32(0.5))]
    assert decoded[1][0][:2] == ("n00000999", "class_999")
    with pytest.raises(ValueError, match="1000"):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))


class _Fetched(Exception):
    pass


# Keras 3.15.1's published files: (file name, URL, hash) for the smallest variant of each family
_KERAS_FILES = {
    "VGG16": ("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
              "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
              "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "6d6bbae143d832006294945121d1f1fc"),
    "ResNet50": ("resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
                 "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
                 "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", "4d473c1dd8becc155b73f8504c6f6626"),
    "MobileNet": ("mobilenet_2_5_128_tf_no_top.h5",
                  "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
                  "mobilenet_2_5_128_tf_no_top.h5", None),
    "MobileNetV2": ("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5",
                    "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
                    "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5", None),
    "EfficientNetB0": ("efficientnetb0_notop.h5", "https://storage.googleapis.com/keras-applications/"
                       "efficientnetb0_notop.h5", "50bc09e76180e00e4465e1a485ddc09d"),
    "EfficientNetV2B0": ("efficientnetv2-b0_notop.h5", "https://storage.googleapis.com/tensorflow/"
                         "keras-applications/efficientnet_v2/efficientnetv2-b0_notop.h5",
                         "893217f2bb855e2983157299931e43ff"),
    "ConvNeXtTiny": ("convnext_tiny_notop.h5", "https://storage.googleapis.com/tensorflow/keras-applications/"
                     "convnext/convnext_tiny_notop.h5",
                     "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1"),
    "DenseNet121": ("densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5",
                    "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
                    "densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5", "30ee3e1110167f948a6b9946edeeb738"),
    "NASNetMobile": ("nasnet_mobile_no_top.h5", "https://storage.googleapis.com/tensorflow/keras-applications/"
                     "nasnet/NASNet-mobile-no-top.h5", "1ed92395b5b598bdda52abe5c0dbfd63"),
}
_ARGUMENTS = {"MobileNet": dict(alpha=0.25, input_shape=(128, 128, 3)),
              "MobileNetV2": dict(alpha=0.35, input_shape=(96, 96, 3))}


@engine_independent
@pytest.mark.parametrize("name", sorted(_KERAS_FILES))
def test_imagenet_weights_come_from_keras_addresses(name, monkeypatch):
    def fetch(fname, origin, file_hash):
        raise _Fetched(fname, origin, file_hash)

    monkeypatch.setattr(_base, "fetch", fetch)
    kwargs = _ARGUMENTS.get(name, dict(input_shape=(32, 32, 3) if name != "NASNetMobile" else (224, 224, 3)))
    with pytest.raises(_Fetched) as fetched:
        getattr(applications, name)(weights="imagenet", include_top=False, **kwargs)
    assert fetched.value.args == _KERAS_FILES[name]
