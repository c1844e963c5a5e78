"""RMSNormalization against the NumPy formula and Keras 3: axes, epsilon, config, models, fit and saving."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.harness import run_layer_test
from tests.layers.keras_reference import run_keras
from tests.layers.model_round_trip import check_fit_and_reload

X = np.random.default_rng(1).normal(size=(3, 4, 5)).astype("float32")


def rms_reference(x, scale, axes, epsilon=1e-6):
    axes = tuple(a % x.ndim for a in axes)
    shape = [x.shape[a] if a in axes else 1 for a in range(x.ndim)]
    x = x.astype("float64")
    return x / np.sqrt(np.mean(x ** 2, axis=axes, keepdims=True) + epsilon) * scale.reshape(shape)


@pytest.mark.parametrize("kwargs, axes", [
    ({}, [-1]),
    ({"axis": 1}, [1]),
    ({"axis": [1, 2], "epsilon": 0.1}, [1, 2]),
    ({"axis": [-1, -2]}, [1, 2]),
])
def test_matches_the_formula(kwargs, axes):
    layer, _ = run_layer_test(layers.RMSNormalization, kwargs, input_data=X, expected_output_shape=X.shape,
                              expected_num_trainable_weights=1,
                              reference=lambda x, w: rms_reference(x, w[0], axes, kwargs.get("epsilon", 1e-6)))
    assert layer.weights[0].path.endswith("scale")
    assert layer.axis == sorted(kwargs.get("axis", [-1]) if isinstance(kwargs.get("axis", -1), list) else [kwargs.get("axis", -1)])


def test_learned_scale_multiplies_the_output():
    layer = layers.RMSNormalization()
    layer.build(X.shape)
    scale = np.arange(1, 6, dtype="float32")
    layer.set_weights([scale])
    np.testing.assert_allclose(backend.convert_to_numpy(layer(X)), rms_reference(X, scale, [-1]), rtol=1e-5, atol=1e-5)


def test_matches_keras():
    scale = np.linspace(0.5, 2.0, 5).astype("float32")
    expected = run_keras("""
        layer = keras.layers.RMSNormalization(epsilon=1e-3)
        layer.build(data["x"].shape)
        layer.set_weights([data["scale"]])
        out["y"] = keras.ops.convert_to_numpy(layer(data["x"]))
        out["axis"] = np.array(layer.get_config()["axis"])
    """, x=X, scale=scale)
    layer = layers.RMSNormalization(epsilon=1e-3)
    layer.build(X.shape)
    layer.set_weights([scale])
    np.testing.assert_allclose(backend.convert_to_numpy(layer(X)), expected["y"], rtol=1e-5, atol=1e-6)
    assert layer.get_config()["axis"] == expected["axis"].tolist()


def test_defaults_config_and_errors():
    config = layers.RMSNormalization().get_config()
    assert config["axis"] == -1 and config["epsilon"] == 1e-6
    with pytest.raises(ValueError, match="RMSNormalization"):
        layers.RMSNormalization(axis=3)(X)
    with pytest.raises(TypeError, match="RMSNormalization"):
        layers.RMSNormalization(axis="last")


def test_fit_and_keras_file_round_trip(tmp_path):
    y = np.random.default_rng(2).normal(size=(3, 1)).astype("float32")
    check_fit_and_reload(layers.RMSNormalization(), X, y, tmp_path)


def test_keras_loads_the_saved_model(tmp_path):
    from brickwork import models

    inputs = layers.Input((4, 5))
    outputs = layers.Dense(2)(layers.RMSNormalization(axis=[-2, -1])(layers.Dense(5)(inputs)))
    model = models.Model(inputs, outputs)
    model.layers[2].set_weights([np.linspace(0.5, 1.5, 20).reshape(4, 5).astype("float32")])
    path = str(tmp_path / "rms.keras")
    model.save(path)
    expected = run_keras("""
        model = keras.saving.load_model(str(data["path"]))
        out["y"] = model.predict(data["x"], verbose=0)
    """, path=np.array(path), x=X)
    np.testing.assert_allclose(backend.convert_to_numpy(model.predict(X, verbose=0)), expected["y"], rtol=1e-5,
                               atol=1e-5)
