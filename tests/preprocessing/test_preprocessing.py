"""keras.preprocessing: the same functions as keras.utils, at Keras's paths."""

import numpy as np

import brickwork as keras
from brickwork import saving, utils


def test_namespace_matches_keras():
    preprocessing = keras.preprocessing
    assert preprocessing.image_dataset_from_directory is utils.image_dataset_from_directory
    assert preprocessing.text_dataset_from_directory is utils.text_dataset_from_directory
    assert preprocessing.timeseries_dataset_from_array is utils.timeseries_dataset_from_array
    assert preprocessing.sequence.pad_sequences is utils.pad_sequences
    for name in ("array_to_img", "img_to_array", "load_img", "save_img"):
        assert getattr(preprocessing.image, name) is getattr(utils, name)
    resized = preprocessing.image.smart_resize(np.ones((6, 4, 3)), (2, 2))
    assert resized.shape == (2, 2, 3)


def test_utils_re_exports_the_registry():
    for name in ("register_keras_serializable", "serialize_keras_object", "deserialize_keras_object",
                 "custom_object_scope", "CustomObjectScope", "get_custom_objects", "get_registered_name",
                 "get_registered_object"):
        assert getattr(utils, name) is getattr(saving, name)
