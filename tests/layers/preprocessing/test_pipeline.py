"""Pipeline: layers applied in order with ``training`` passed on, config round trip, Keras 3's config loads."""

import json

import numpy as np

from brickwork import backend, layers, saving
from tests.layers.keras_reference import run_keras
from tests.layers.model_round_trip import check_fit_and_reload

rng = np.random.default_rng(0)
IMAGES = rng.uniform(20, 200, size=(3, 6, 5, 3)).astype("float32")


def to_np(x):
    return backend.convert_to_numpy(x)


def test_applies_layers_in_order():
    pipeline = layers.Pipeline([layers.AutoContrast(), layers.Rescaling(1 / 255), layers.RandomInvert(factor=(1, 1),
                                                                                                     value_range=(0, 1))])
    stretched = to_np(layers.AutoContrast()(IMAGES)) / 255
    np.testing.assert_allclose(to_np(pipeline(IMAGES)), 1 - stretched, rtol=1e-5, atol=1e-6)
    # training=False reaches the random layers: only the deterministic steps act.
    np.testing.assert_allclose(to_np(pipeline(IMAGES, training=False)), stretched, rtol=1e-5, atol=1e-6)
    assert [type(layer).__name__ for layer in pipeline.layers] == ["AutoContrast", "Rescaling", "RandomInvert"]


def test_config_round_trip_and_symbolic_call():
    pipeline = layers.Pipeline([layers.RandomFlip(seed=1), layers.RandomContrast(0.2, seed=2)], name="augment")
    config = pipeline.get_config()
    assert set(config) == {"layers", "name"} and config["name"] == "augment"
    clone = layers.Pipeline.from_config(json.loads(json.dumps(config)))
    assert [layer.get_config() for layer in clone.layers] == [layer.get_config() for layer in pipeline.layers]
    np.testing.assert_array_equal(to_np(clone(IMAGES)), to_np(layers.Pipeline.from_config(config)(IMAGES)))
    symbolic = pipeline(layers.Input((6, 5, 3)))
    assert symbolic.shape == (None, 6, 5, 3)
    again = saving.deserialize_keras_object(saving.serialize_keras_object(pipeline))
    assert isinstance(again, layers.Pipeline) and len(again.layers) == 2


def test_keras_config_loads_and_gives_keras_outputs():
    expected = run_keras("""
        import json
        pipeline = keras.layers.Pipeline([keras.layers.AutoContrast(), keras.layers.Rescaling(0.5, offset=1.0)])
        out["y"] = keras.ops.convert_to_numpy(pipeline(data["x"]))
        out["config"] = np.array(json.dumps(keras.saving.serialize_keras_object(pipeline)))
    """, x=IMAGES)
    pipeline = saving.deserialize_keras_object(json.loads(str(expected["config"])))
    assert isinstance(pipeline, layers.Pipeline)
    np.testing.assert_allclose(to_np(pipeline(IMAGES)), expected["y"], rtol=1e-5, atol=1e-4)


def test_in_a_model_fit_and_reload(tmp_path):
    pipeline = layers.Pipeline([layers.RandomFlip(seed=1), layers.Solarization(0.2, 0.5, seed=2),
                                layers.Rescaling(1 / 255)])
    check_fit_and_reload(pipeline, IMAGES, np.ones((3, 1), "float32"), tmp_path)
