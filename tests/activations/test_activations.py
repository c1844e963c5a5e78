"""brickwork.activations: every Keras 3 name against NumPy, and lookup by name/config."""

import math

import numpy as np
import pytest

from brickwork import activations, backend, saving
from brickwork.backend import KerasTensor

rng = np.random.default_rng(0)
_erf = np.vectorize(math.erf)


def to_np(x):
    return backend.convert_to_numpy(x)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _softplus(x):
    return np.log1p(np.exp(x))


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772, 1.0507009873554805

REFERENCES = {
    "relu": lambda x: np.maximum(x, 0),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "relu6": lambda x: np.clip(x, 0, 6),
    "softmax": _softmax,
    "log_softmax": lambda x: np.log(_softmax(x)),
    "celu": lambda x: np.maximum(x, 0) + np.minimum(0, np.exp(x) - 1),
    "elu": lambda x: np.where(x > 0, x, np.exp(x) - 1),
    "selu": lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * (np.exp(x) - 1)),
    "softplus": _softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "squareplus": lambda x: (x + np.sqrt(x**2 + 4)) / 2,
    "soft_shrink": lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.5, 0),
    "sparse_plus": lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
    "silu": lambda x: x * _sigmoid(x),
    "swish": lambda x: x * _sigmoid(x),
    "gelu": lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2))),
    "glu": lambda x: x[..., :3] * _sigmoid(x[..., 3:]),
    "tanh": np.tanh,
    "tanh_shrink": lambda x: x - np.tanh(x),
    "sigmoid": _sigmoid,
    "sparse_sigmoid": lambda x: np.clip((x + 1) / 2, 0, 1),
    "exponential": np.exp,
    "hard_sigmoid": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "hard_silu": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "hard_swish": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0),
    "linear": lambda x: x,
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "log_sigmoid": lambda x: np.log(_sigmoid(x)),
    "sparsemax": None,  # checked by its properties below
    "threshold": None,  # needs arguments: checked below
}


def test_every_keras_name_is_tested():
    assert set(activations.ALL_OBJECTS_DICT) == set(REFERENCES)


@pytest.mark.parametrize("name", sorted(n for n, ref in REFERENCES.items() if ref is not None))
def test_values_shape_dtype(name):
    x = rng.uniform(-4, 4, (2, 6)).astype("float32")
    out = activations.get(name)(x)
    expected = REFERENCES[name](x.astype("float64"))
    assert tuple(out.shape) == expected.shape and backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(n for n in REFERENCES if n not in ("threshold", "glu")))
def test_symbolic(name):
    out = activations.get(name)(KerasTensor((None, 4), "float32"))
    assert out.shape == (None, 4) and out.dtype == "float32"


def test_threshold_and_sparsemax():
    x = np.array([[-1.0, 0.5, 2.0]], "float32")
    np.testing.assert_allclose(to_np(activations.threshold(x, 0.4, -9.0)), [[-9.0, 0.5, 2.0]])
    out = to_np(activations.sparsemax(np.array([[0.1, 1.2, 1.0, -2.0]], "float32")))
    np.testing.assert_allclose(out, [[0.0, 0.6, 0.4, 0.0]], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs, expected", [
    ({}, [0.0, 0.0, 0.0, 5.0, 10.0]),
    ({"negative_slope": 0.5}, [-5.0, -2.5, 0.0, 5.0, 10.0]),
    ({"max_value": 5.0}, [0.0, 0.0, 0.0, 5.0, 5.0]),
    ({"max_value": 6.0}, [0.0, 0.0, 0.0, 5.0, 6.0]),
    ({"threshold": 5.0}, [0.0, 0.0, 0.0, 0.0, 10.0]),
    ({"negative_slope": 0.5, "threshold": 2.0, "max_value": 8.0}, [-6.0, -3.5, -1.0, 5.0, 8.0]),
])
def test_relu_arguments(kwargs, expected):
    x = np.array([-10.0, -5.0, 0.0, 5.0, 10.0], "float32")
    np.testing.assert_allclose(to_np(activations.relu(x, **kwargs)), expected)


def test_keras_defaults():
    x = np.array([-1.0, 1.0], "float32")
    np.testing.assert_allclose(to_np(activations.leaky_relu(x)), [-0.2, 1.0])
    # activations.gelu is exact by default (ops.gelu approximates).
    np.testing.assert_allclose(to_np(activations.gelu(x)), 0.5 * x * (1 + _erf(x / np.sqrt(2))), rtol=1e-6)


def test_get():
    assert activations.get(None) is activations.linear
    assert activations.get("relu") is activations.relu
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu
    fn = lambda x: x  # noqa: E731
    assert activations.get(fn) is fn
    with pytest.raises(ValueError, match="Could not interpret"):
        activations.get(3)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_serialize_round_trip(name):
    fn = activations.get(name)
    serialized = activations.serialize(fn)
    assert serialized == fn.__name__
    assert activations.deserialize(serialized) is fn
    assert activations.get(serialized) is fn


def test_serialize_uses_canonical_name_for_aliases():
    assert activations.serialize(activations.swish) == "silu"
    assert activations.serialize(activations.hard_swish) == "hard_silu"


def test_custom_function_round_trip():
    @saving.register_keras_serializable(package="test_activations")
    def doubled(x):
        return x * 2

    config = activations.serialize(doubled)
    assert isinstance(config, dict) and config["config"] == "test_activations>doubled"
    assert activations.deserialize(config) is doubled
    assert activations.deserialize("test_activations>doubled") is doubled

    def tripled(x):
        return x * 3

    assert activations.deserialize("tripled", custom_objects={"tripled": tripled}) is tripled


def test_deserialize_function_config():
    config = {"module": "keras.activations", "class_name": "function", "config": "gelu", "registered_name": None}
    assert activations.deserialize(config) is activations.gelu


def test_unknown_name_lists_close_matches():
    with pytest.raises(ValueError, match=r"Unknown activation function 'rleu'.*'relu'"):
        activations.get("rleu")
    with pytest.raises(ValueError, match="Did you mean 'gelu'"):
        activations.deserialize("gelux")
