"""Lambda: calling (arguments, mask, training), output shapes (inferred, tuple, callable), masks, and
serialization of Python lambdas as Keras does (base64 bytecode) with loading refused unless safe_mode=False."""

import json

import numpy as np
import pytest

from brickwork import activations, backend, layers, models, ops, saving
from brickwork.layers import masking
from tests.layers.harness import run_layer_test


def _round_trip(layer, **kwargs):
    return layers.Lambda.from_config(json.loads(json.dumps(layer.get_config())), **kwargs)


def test_applies_the_function_with_arguments():
    run_layer_test(layers.Lambda, {"function": lambda x, power: x**power, "arguments": {"power": 3}},
                   input_shape=(2, 3), expected_output_shape=(2, 3), reference=lambda x, _: x**3,
                   check_config=False)


def test_passes_training_and_mask_when_the_function_takes_them():
    seen = {}

    def fn(x, mask=None, training=None):
        seen.update(mask=mask, training=training)
        return x

    layer = layers.Lambda(fn)
    mask = np.array([[True, False]])
    layer(np.ones((1, 2), "float32"), mask=mask, training=True)
    assert seen["training"] is True and np.array_equal(backend.convert_to_numpy(seen["mask"]), mask)


@pytest.mark.parametrize("output_shape, expected", [
    (None, (None, 2)),             # inferred by abstract evaluation
    ((2,), (None, 2)),             # without the batch axis
    (lambda s: (s[0], 2), (None, 2)),
])
def test_output_shapes(output_shape, expected):
    layer = layers.Lambda(lambda x: x[:, :2], output_shape=output_shape)
    assert layer(layers.Input((5,))).shape == expected
    assert layer.compute_output_shape((None, 5)) == expected


def test_uninferable_output_shape_asks_for_output_shape():
    def fn(x):
        raise RuntimeError("no shape for you")

    with pytest.raises(NotImplementedError, match="output_shape"):
        layers.Lambda(fn).compute_output_shape((None, 3))


def test_mask_argument():
    fixed = layers.Lambda(lambda x: x, mask=np.array([[True, False]]))
    out = fixed(np.ones((1, 2), "float32"))
    np.testing.assert_array_equal(backend.convert_to_numpy(masking.get_mask(out)), [[True, False]])
    computed = layers.Lambda(lambda x: x, mask=lambda x, mask: ops.greater(x, 0))
    out = computed(np.array([[1.0, -1.0]], "float32"))
    np.testing.assert_array_equal(backend.convert_to_numpy(masking.get_mask(out)), [[True, False]])
    assert layers.Lambda(lambda x: x).supports_masking is False


def test_lambda_config_holds_keras_bytecode_format():
    config = layers.Lambda(lambda x: x + 1).get_config()
    function = config["function"]
    assert function["class_name"] == "__lambda__"
    assert set(function["config"]) == {"code", "defaults", "closure"}
    json.dumps(config)


def test_bytecode_is_refused_by_default_and_names_the_opt_in():
    layer = layers.Lambda(lambda x: x * 2)
    with pytest.raises(ValueError, match="safe_mode=False"):
        _round_trip(layer)
    with pytest.raises(ValueError, match="safe_mode=False"):
        saving.deserialize_keras_object(json.loads(json.dumps(saving.serialize_keras_object(layer))))


def _make_scaler(scale):
    return layers.Lambda(lambda x, offset=1.0: x * scale + offset, output_shape=(3,))


def test_bytecode_loads_with_safe_mode_false_keeping_defaults_and_closure():
    clone = _round_trip(_make_scaler(3.0), safe_mode=False)
    out = backend.convert_to_numpy(clone(np.ones((1, 3), "float32")))
    np.testing.assert_allclose(out, np.full((1, 3), 4.0))
    assert clone.compute_output_shape((None, 3)) == (None, 3)
    assert clone.get_config()["output_shape"] == [3]


def test_lambda_output_shape_and_mask_are_refused_too():
    layer = layers.Lambda(activations.relu, output_shape=lambda s: s, mask=lambda x, m: None)
    with pytest.raises(ValueError, match="safe_mode=False"):
        _round_trip(layer)
    assert callable(_round_trip(layer, safe_mode=False).mask)


def test_safe_mode_scope_of_the_loader_is_honoured():
    scope = getattr(saving.serialization_lib, "SafeModeScope", None)
    if scope is None:
        pytest.skip("the saving code has no SafeModeScope")
    with scope(False):
        clone = _round_trip(layers.Lambda(lambda x: x - 1))
    np.testing.assert_allclose(backend.convert_to_numpy(clone(np.zeros((1, 2), "float32"))), -1.0)


def test_named_functions_round_trip_without_bytecode():
    layer = layers.Lambda(activations.relu, arguments={"max_value": 1.0})
    config = layer.get_config()
    assert config["function"]["class_name"] == "function"
    clone = _round_trip(layer)
    np.testing.assert_allclose(backend.convert_to_numpy(clone(np.array([[-1.0, 3.0]], "float32"))), [[0.0, 1.0]])


def test_saved_lambda_refers_to_keras_ops():
    # A lambda written against `keras.ops` / `ops` keeps working after loading.
    clone = _round_trip(layers.Lambda(lambda x: ops.square(x)), safe_mode=False)
    np.testing.assert_allclose(backend.convert_to_numpy(clone(np.array([[2.0]], "float32"))), [[4.0]])


def test_in_a_functional_model():
    inputs = layers.Input((3,))
    model = models.Model(inputs, layers.Lambda(lambda x: ops.sum(x, axis=-1, keepdims=True))(inputs))
    np.testing.assert_allclose(model.predict(np.ones((2, 3), "float32"), verbose=0), [[3.0], [3.0]])


def test_function_must_be_callable():
    with pytest.raises(TypeError, match="callable"):
        layers.Lambda("relu")
