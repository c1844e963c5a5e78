"""ops.nn (activations, normalization, encodings, losses, attention) against NumPy formulas.

Convolution and pooling are tested in test_nn_conv.py.
"""

import math

import numpy as np
import pytest

from brickwork import backend, ops
from brickwork.backend import KerasTensor
from brickwork.backend.common import dtypes
from tests.gradient_check import check_gradients

BACKEND = backend.backend()
rng = np.random.default_rng(0)
_erf = np.vectorize(math.erf)


def to_np(x):
    return backend.convert_to_numpy(x)


def dtype_of(x) -> str:
    return backend.standardize_dtype(x.dtype)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _sparsemax(z):
    """Sparsemax of the last axis by its definition (Martins & Astudillo 2016), one row at a time."""
    out = np.zeros_like(z)
    for index in np.ndindex(z.shape[:-1]):
        row = np.sort(z[index])[::-1]
        k = max(j for j in range(1, len(row) + 1) if 1 + j * row[j - 1] > row[:j].sum())
        tau = (row[:k].sum() - 1) / k
        out[index] = np.maximum(z[index] - tau, 0)
    return out


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772, 1.0507009873554805

# name: (kwargs, NumPy reference). Inputs avoid the kinks (0, ±0.5, ±1, ±3, 6) so that finite
# differences are valid.
ACTIVATIONS = {
    "relu": ({}, lambda x: np.maximum(x, 0)),
    "relu6": ({}, lambda x: np.clip(x, 0, 6)),
    "sigmoid": ({}, _sigmoid),
    "sparse_sigmoid": ({}, lambda x: np.clip((x + 1) / 2, 0, 1)),
    "softplus": ({}, lambda x: np.log1p(np.exp(x))),
    "softsign": ({}, lambda x: x / (np.abs(x) + 1)),
    "soft_shrink": ({"threshold": 0.7}, lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.7, 0)),
    "hard_shrink": ({"threshold": 0.7}, lambda x: np.where(np.abs(x) > 0.7, x, 0)),
    "tanh_shrink": ({}, lambda x: x - np.tanh(x)),
    "sparse_plus": ({}, lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4))),
    "silu": ({}, lambda x: x * _sigmoid(x)),
    "swish": ({}, lambda x: x * _sigmoid(x)),
    "squareplus": ({"b": 3}, lambda x: (x + np.sqrt(x**2 + 3)) / 2),
    "log_sigmoid": ({}, lambda x: np.log(_sigmoid(x))),
    "leaky_relu": ({"negative_slope": 0.3}, lambda x: np.where(x > 0, x, 0.3 * x)),
    "hard_sigmoid": ({}, lambda x: np.clip(x / 6 + 0.5, 0, 1)),
    "hard_silu": ({}, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    "hard_swish": ({}, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    "hard_tanh": ({}, lambda x: np.clip(x, -1, 1)),
    "elu": ({"alpha": 1.5}, lambda x: np.where(x > 0, x, 1.5 * (np.exp(x) - 1))),
    "selu": ({}, lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * (np.exp(x) - 1))),
    "celu": ({"alpha": 2.0}, lambda x: np.maximum(x, 0) + np.minimum(0, 2.0 * (np.exp(x / 2.0) - 1))),
    "gelu": ({}, lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))),
    "gelu_exact": ({"approximate": False}, lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    "glu": ({}, lambda x: x[..., :2] * _sigmoid(x[..., 2:])),
    "threshold": ({"threshold": 0.3, "default_value": -4.0}, lambda x: np.where(x > 0.3, x, -4.0)),
    "softmax": ({}, _softmax),
    "softmax_axis0": ({"axis": 0}, lambda x: _softmax(x, axis=0)),
    "softmax_tuple_axis": ({"axis": (0, 1)}, lambda x: np.exp(x) / np.exp(x).sum()),
    "log_softmax": ({}, lambda x: np.log(_softmax(x))),
    "log_softmax_axis0": ({"axis": 0}, lambda x: np.log(_softmax(x, axis=0))),
    "sparsemax": ({}, _sparsemax),
}
_KEEP_INT = ("relu", "relu6")


def _activation(name):
    return getattr(ops, name.split("_axis")[0].split("_tuple")[0].replace("gelu_exact", "gelu"))


def _activation_input(dtype="float64"):
    # Values well away from every activation's kinks, in a (3, 4) grid.
    values = np.array([[-2.7, -1.6, -0.8, -0.25], [0.2, 0.35, 0.8, 1.4], [2.2, 2.6, -0.35, 4.1]])
    return values.astype(dtype)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_activation_values_shape_dtype(name, dtype):
    kwargs, reference = ACTIVATIONS[name]
    x = _activation_input(dtype)
    out = _activation(name)(x, **kwargs)
    expected = reference(x.astype("float64"))
    assert dtype_of(out) == dtype
    assert tuple(out.shape) == expected.shape
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_integer_input(name):
    kwargs, reference = ACTIVATIONS[name]
    x = np.array([[-3, -1, 0, 2], [4, 1, 5, -2]], dtype="int32")
    out = _activation(name)(x, **kwargs)
    assert dtype_of(out) == ("int32" if name in _KEEP_INT else "float32")
    np.testing.assert_allclose(to_np(out), reference(x.astype("float64")), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_symbolic(name):
    kwargs, _ = ACTIVATIONS[name]
    out = _activation(name)(KerasTensor((None, 4), "float32"), **kwargs)
    expected_shape = (None, 2) if name == "glu" else (None, 4)
    assert out.shape == expected_shape and out.dtype == "float32"


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend computes no gradients")
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_gradients(name):
    kwargs, _ = ACTIVATIONS[name]
    check_gradients(lambda x: _activation(name)(x, **kwargs), [_activation_input()])


def test_aliases_are_the_same_op():
    assert ops.swish is ops.silu and ops.hard_swish is ops.hard_silu
    assert ops.nn.relu is ops.relu


def test_softplus_and_log_sigmoid_do_not_overflow():
    x = np.array([-1000.0, 0.0, 1000.0], "float32")
    np.testing.assert_allclose(to_np(ops.softplus(x)), [0.0, math.log(2), 1000.0], rtol=1e-6)
    np.testing.assert_allclose(to_np(ops.log_sigmoid(x)), [-1000.0, -math.log(2), 0.0], rtol=1e-6)
    np.testing.assert_allclose(to_np(ops.sigmoid(x)), [0.0, 0.5, 1.0])


def test_sparsemax_rows_sum_to_one_with_zeros():
    x = rng.normal(size=(4, 6)) * 3
    out = to_np(ops.sparsemax(x))
    np.testing.assert_allclose(out.sum(-1), 1.0, rtol=1e-6)
    assert (out == 0).any()


def test_glu_odd_axis_names_the_op():
    with pytest.raises(ValueError, match="glu"):
        ops.glu(np.ones((2, 3)))


# ---- normalization ----


@pytest.mark.parametrize("axes, keepdims", [([0], False), ([0, 2], True), (1, False), ((0, 1, 2), False)])
def test_moments(axes, keepdims):
    x = rng.normal(size=(3, 4, 5)).astype("float32")
    mean, variance = ops.moments(x, axes, keepdims=keepdims)
    axis = tuple(axes) if isinstance(axes, (list, tuple)) else axes
    np.testing.assert_allclose(to_np(mean), x.mean(axis=axis, keepdims=keepdims), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_np(variance), x.var(axis=axis, keepdims=keepdims), rtol=1e-5, atol=1e-6)
    assert dtype_of(mean) == dtype_of(variance) == "float32"


def test_moments_float16_variance_past_the_range_is_its_largest_value():
    """As Keras 3.15.1: the float32 variance of a float16 input is clipped to float16's largest value, not inf."""
    x = np.array([-741.0, 353.2, 1099.0, -1807.0, 502.8, -83.4, 333.5, -130.9], "float16")
    mean, variance = ops.moments(x, [0])
    np.testing.assert_allclose(to_np(mean).astype("float32"), np.mean(x.astype("float32")), rtol=1e-3)
    assert to_np(variance) == np.finfo(np.float16).max


def test_moments_float16_keeps_dtype_and_integers_give_floatx():
    mean, variance = ops.moments(np.array([1.0, 2.0, 4.0], "float16"), [0])
    assert dtype_of(mean) == dtype_of(variance) == "float16"
    np.testing.assert_allclose(to_np(variance).astype("float32"), np.var([1.0, 2.0, 4.0]), rtol=1e-3)
    mean, _ = ops.moments(np.array([1, 2], "int32"), [0])
    assert dtype_of(mean) == "float32" and float(to_np(mean)) == 1.5


@pytest.mark.parametrize("axis", [-1, 1])
def test_batch_normalization(axis):
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    size = x.shape[axis]
    mean, variance = rng.normal(size=size), rng.uniform(0.5, 2, size)
    offset, scale = rng.normal(size=size), rng.normal(size=size)
    shape = [1, 1, 1]
    shape[axis] = size
    r = lambda v: v.reshape(shape)  # noqa: E731
    expected = (x - r(mean)) / np.sqrt(r(variance) + 1e-3) * r(scale) + r(offset)
    out = ops.batch_normalization(x, mean.astype("float32"), variance.astype("float32"), axis,
                                  offset=offset.astype("float32"), scale=scale.astype("float32"))
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5, atol=1e-5)
    assert dtype_of(out) == "float32"
    plain = ops.batch_normalization(x, mean.astype("float32"), variance.astype("float32"), axis, epsilon=0.1)
    np.testing.assert_allclose(to_np(plain), (x - r(mean)) / np.sqrt(r(variance) + 0.1), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("axis", [-1, 0])
def test_normalize(order, axis):
    x = rng.normal(size=(3, 4)).astype("float32")
    norm = np.sum(np.abs(x) ** order, axis=axis, keepdims=True) ** (1 / order)
    np.testing.assert_allclose(to_np(ops.normalize(x, axis=axis, order=order)), x / norm, rtol=1e-5)


def test_normalize_zero_vector_stays_zero():
    out = to_np(ops.normalize(np.zeros((2, 3), "float32")))
    assert np.all(out == 0)



@pytest.mark.parametrize("axis", [-1, (1, 2), 1])
@pytest.mark.parametrize("affine", [False, True])
def test_layer_normalization(axis, affine):
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    axes = (axis,) if isinstance(axis, int) else axis
    shape = [1, 1, 1]
    for a in axes:
        shape[a] = x.shape[a]
    gamma = rng.normal(size=[x.shape[a] for a in axes]).astype("float32") if affine else None
    beta = rng.normal(size=[x.shape[a] for a in axes]).astype("float32") if affine else None
    x64 = x.astype("float64")
    expected = (x64 - x64.mean(axes, keepdims=True)) / np.sqrt(x64.var(axes, keepdims=True) + 1e-5)
    if affine:
        expected = expected * gamma.reshape(shape) + beta.reshape(shape)
    out = ops.layer_normalization(x, gamma, beta, axis=axis, epsilon=1e-5)
    assert dtype_of(out) == "float32" and tuple(out.shape) == x.shape
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("axis", [-1, (0, 2)])
def test_rms_normalization(axis):
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    axes = (axis,) if isinstance(axis, int) else axis
    scale = rng.normal(size=[x.shape[a] for a in axes]).astype("float32")
    shape = [1, 1, 1]
    for a in axes:
        shape[a] = x.shape[a]
    expected = x / np.sqrt(np.mean(x.astype("float64") ** 2, axes, keepdims=True) + 1e-7) * scale.reshape(shape)
    out = ops.rms_normalization(x, scale, axis=axis)
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(to_np(ops.rms_normalization(x, axis=axis)), expected / scale.reshape(shape),
                               rtol=1e-4, atol=1e-5)


def test_normalizations_keep_half_precision():
    x = rng.normal(size=(2, 8)).astype("float16")
    for out in (ops.layer_normalization(x), ops.rms_normalization(x)):
        assert dtype_of(out) == "float16"
    np.testing.assert_allclose(to_np(ops.layer_normalization(x)).astype("float32").mean(-1), 0, atol=2e-3)

# ---- encodings ----


def test_one_hot():
    out = ops.one_hot(np.array([0, 2, -1, 3]), 3)
    np.testing.assert_array_equal(to_np(out), [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]])
    assert dtype_of(out) == "float32"
    out = ops.one_hot(np.array([[0, 1]]), 3, axis=0, dtype="int32")
    assert tuple(out.shape) == (3, 1, 2) and dtype_of(out) == "int32"
    np.testing.assert_array_equal(to_np(out)[:, 0, :], np.eye(3)[[0, 1]].T)


def test_multi_hot():
    out = ops.multi_hot(np.array([[0, 2], [1, 1]]), 4)
    np.testing.assert_array_equal(to_np(out), [[1, 0, 1, 0], [0, 1, 0, 0]])
    assert dtype_of(out) == "float32"
    np.testing.assert_array_equal(to_np(ops.multi_hot(np.array([3, 0]), num_tokens=4)), [1, 0, 0, 1])
    with pytest.raises(ValueError, match="multi_hot"):
        ops.multi_hot(np.array([1]))


# ---- losses ----

EPS = 1e-7


def _probabilities(shape):
    p = rng.uniform(0.05, 1.0, shape)
    return p / p.sum(-1, keepdims=True)


def test_binary_crossentropy():
    target = rng.integers(0, 2, (3, 4)).astype("float32")
    logits = rng.normal(size=(3, 4)).astype("float32")
    p = _sigmoid(logits.astype("float64"))
    expected = -(target * np.log(p) + (1 - target) * np.log(1 - p))
    np.testing.assert_allclose(to_np(ops.binary_crossentropy(target, logits, from_logits=True)), expected, rtol=1e-5)
    out = ops.binary_crossentropy(target, p.astype("float32"))
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-4)
    assert dtype_of(out) == "float32" and tuple(out.shape) == (3, 4)
    # Probabilities 0 and 1 are clipped to [eps, 1 - eps].
    clipped = to_np(ops.binary_crossentropy(np.array([1.0, 0.0]), np.array([0.0, 1.0])))
    np.testing.assert_allclose(clipped, -np.log(EPS), rtol=1e-3)


def test_categorical_crossentropy():
    target = np.eye(4)[rng.integers(0, 4, 3)].astype("float32")
    logits = rng.normal(size=(3, 4)).astype("float32")
    expected = -np.sum(target * np.log(_softmax(logits.astype("float64"))), -1)
    out = ops.categorical_crossentropy(target, logits, from_logits=True)
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5)
    assert tuple(out.shape) == (3,) and dtype_of(out) == "float32"
    # Unnormalized probabilities are renormalized first.
    probs = _softmax(logits.astype("float64")) * 3
    np.testing.assert_allclose(to_np(ops.categorical_crossentropy(target, probs.astype("float32"))), expected,
                               rtol=1e-5)
    out = ops.categorical_crossentropy(target.T, logits.T, from_logits=True, axis=0)
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5)


@pytest.mark.parametrize("trailing_one", [False, True])
def test_sparse_categorical_crossentropy(trailing_one):
    labels = rng.integers(0, 4, 3)
    logits = rng.normal(size=(3, 4)).astype("float32")
    expected = -np.log(_softmax(logits.astype("float64")))[np.arange(3), labels]
    target = labels[:, None] if trailing_one else labels
    out = ops.sparse_categorical_crossentropy(target.astype("int32"), logits, from_logits=True)
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5)
    assert tuple(out.shape) == (3,) and dtype_of(out) == "float32"
    probs = _softmax(logits.astype("float64")).astype("float32")
    np.testing.assert_allclose(to_np(ops.sparse_categorical_crossentropy(target, probs)), expected, rtol=1e-4)


def test_losses_reject_mismatched_shapes():
    with pytest.raises(ValueError, match="binary_crossentropy"):
        ops.binary_crossentropy(np.ones((2, 3)), np.ones((3, 2)))
    with pytest.raises(ValueError, match="categorical_crossentropy"):
        ops.categorical_crossentropy(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        ops.sparse_categorical_crossentropy(np.ones((3,), "int32"), np.ones((2, 4)))


def _ctc_reference(labels, logits, blank):
    """CTC loss of one sequence by brute force: -log of the summed probability of every alignment."""
    import itertools

    log_probs = np.log(_softmax(logits))
    total = -np.inf
    for path in itertools.product(range(logits.shape[-1]), repeat=logits.shape[0]):
        collapsed = [c for i, c in enumerate(path) if (i == 0 or c != path[i - 1]) and c != blank]
        if collapsed == list(labels):
            total = np.logaddexp(total, sum(log_probs[t, c] for t, c in enumerate(path)))
    return -total


def test_ctc_loss():
    logits = rng.normal(size=(2, 4, 3))
    target = np.array([[1, 2], [1, 1]])
    out = ops.ctc_loss(target, logits.astype("float32"), np.array([2, 1]), np.array([4, 3]))
    expected = [_ctc_reference([1, 2], logits[0], 0), _ctc_reference([1], logits[1, :3], 0)]
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-4)
    assert tuple(out.shape) == (2,)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "float64"])
def test_ctc_loss_dtype_is_at_least_float32(dtype):
    """Keras 3.15.1's result_type(output.dtype, "float32"), eager and symbolic."""
    expected = "float64" if dtype == "float64" else "float32"
    logits = ops.cast(np.array([[[0.4, 0.8, 0.4], [0.2, 0.8, 0.3], [0.9, 0.4, 0.5]]]), dtype)
    out = ops.ctc_loss(np.array([[1, 2, 1]]), logits, np.array([3]), np.array([3]))
    assert dtype_of(out) == expected
    symbolic = ops.ctc_loss(KerasTensor((4, 3), "int32"), KerasTensor((4, 7, 5), dtype), KerasTensor((4,), "int32"),
                            KerasTensor((4,), "int32"))
    assert symbolic.shape == (4,) and symbolic.dtype == expected
    with pytest.raises(ValueError, match="must have the same first dimension"):
        ops.ctc_loss(KerasTensor((2, 3), "int32"), KerasTensor((3, 4, 5)), KerasTensor((2,)), KerasTensor((3,)))


def test_psnr():
    x1 = rng.uniform(size=(2, 3)).astype("float32")
    x2 = rng.uniform(size=(2, 3)).astype("float32")
    expected = 20 * np.log10(1.0) - 10 * np.log10(np.mean((x1 - x2) ** 2))
    np.testing.assert_allclose(float(to_np(ops.psnr(x1, x2, 1.0))), expected, rtol=1e-5)


# ---- attention ----


def _attention_reference(q, k, v, bias=None, mask=None, scale=None, is_causal=False, soft_cap=None):
    repeats = q.shape[2] // k.shape[2]
    k, v = np.repeat(k, repeats, axis=2), np.repeat(v, repeats, axis=2)
    scale = 1 / np.sqrt(q.shape[-1]) if scale is None else scale
    logits = np.einsum("btnh,bsnh->bnts", q, k) * scale
    if soft_cap is not None:
        logits = soft_cap * np.tanh(logits / soft_cap)
    if bias is not None:
        logits = logits + bias
    if mask is not None:
        logits = np.where(mask, logits, -np.inf)
    if is_causal:
        logits = np.where(np.tril(np.ones(logits.shape[-2:], bool)), logits, -np.inf)
    return np.einsum("bnts,bsnh->btnh", _softmax(logits), v)


ATTENTION_CASES = {
    "plain": {},
    "scale": {"scale": 0.3},
    "causal": {"is_causal": True},
    "mask": {"mask": True},
    "bias": {"bias": True},
    "bias_mask_causal": {"bias": True, "mask": True, "is_causal": True},
    "gqa": {"kv_heads": 2},
    "soft_cap": {"attention_logit_soft_cap": 2.0},
    "soft_cap_causal_gqa": {"attention_logit_soft_cap": 2.0, "is_causal": True, "kv_heads": 1},
}


def _attention_inputs(case):
    b, t, s, n, h = 2, 3, 4, 4, 5
    kv_heads = case.get("kv_heads", n)
    q = rng.normal(size=(b, t, n, h))
    k = rng.normal(size=(b, s, kv_heads, h))
    v = rng.normal(size=(b, s, kv_heads, h))
    kwargs = {key: val for key, val in case.items() if key in ("scale", "is_causal", "attention_logit_soft_cap")}
    if case.get("mask"):
        mask = rng.uniform(size=(b, 1, t, s)) > 0.3
        mask[..., 0] = True  # every query attends to something
        kwargs["mask"] = mask
    if case.get("bias"):
        kwargs["bias"] = rng.normal(size=(1, n, t, s))
    return q, k, v, kwargs


@pytest.mark.parametrize("name", sorted(ATTENTION_CASES))
def test_dot_product_attention(name):
    case = ATTENTION_CASES[name]
    q, k, v, kwargs = _attention_inputs(case)
    expected = _attention_reference(q, k, v, bias=kwargs.get("bias"), mask=kwargs.get("mask"),
                                    scale=kwargs.get("scale"), is_causal=kwargs.get("is_causal", False),
                                    soft_cap=kwargs.get("attention_logit_soft_cap"))
    cast = {key: (val.astype("float32") if isinstance(val, np.ndarray) and val.dtype != bool else val)
            for key, val in kwargs.items()}
    out = ops.dot_product_attention(q.astype("float32"), k.astype("float32"), v.astype("float32"), **cast)
    assert tuple(out.shape) == q.shape and dtype_of(out) == "float32"
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("query_dtype, kv_dtype", [("float16", "float32"), ("bfloat16", "float32"),
                                                   ("float32", "float64")])
def test_dot_product_attention_of_mixed_dtypes_computes_in_their_promoted_type(query_dtype, kv_dtype):
    query = rng.normal(size=(2, 3, 2, 8)).astype("float32")
    key, value = rng.normal(size=(2, 4, 2, 8)), rng.normal(size=(2, 4, 2, 8))
    out = ops.dot_product_attention(ops.cast(query, query_dtype), ops.cast(key, kv_dtype), ops.cast(value, kv_dtype))
    assert dtype_of(out) == dtypes.promote_types(query_dtype, kv_dtype)  # 64 bits kept where the engine has them
    q = to_np(ops.cast(ops.cast(query, query_dtype), "float64"))
    logits = np.einsum("bqhd,bkhd->bhqk", q, key) / np.sqrt(8)
    weights = np.exp(logits - logits.max(-1, keepdims=True))
    expected = np.einsum("bhqk,bkhd->bqhd", weights / weights.sum(-1, keepdims=True), value)
    np.testing.assert_allclose(to_np(ops.cast(out, "float64")), expected, rtol=2e-2, atol=2e-2)


def test_dot_product_attention_rejects_bad_heads():
    q = np.ones((1, 2, 3, 4), "float32")
    k = np.ones((1, 2, 2, 4), "float32")
    with pytest.raises(ValueError, match="dot_product_attention"):
        ops.dot_product_attention(q, k, k)
    with pytest.raises(ValueError, match="dot_product_attention"):
        ops.dot_product_attention(q[0], k[0], k[0])


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend computes no gradients")
@pytest.mark.parametrize("name", ["plain", "bias_mask_causal", "gqa"])
def test_dot_product_attention_gradients(name):
    case = ATTENTION_CASES[name]
    q, k, v, kwargs = _attention_inputs(case)
    q, k, v = q[:1, :2, :, :3], k[:1, :3, :, :3], v[:1, :3, :, :3]
    kwargs = {key: (val[:1, :, :2, :3] if isinstance(val, np.ndarray) else val) for key, val in kwargs.items()}
    check_gradients(lambda q, k, v: ops.dot_product_attention(q, k, v, **kwargs), [q, k, v], rtol=1e-4, atol=1e-6)


# ---- gradients of the other differentiable ops ----

GRADIENT_CASES = {
    "moments": (lambda x: ops.moments(x, [0, 1])[1], [(3, 4)]),
    "batch_normalization": (lambda x, m, v: ops.batch_normalization(x, m, v * v + 0.5, -1), [(2, 3), (3,), (3,)]),
    "normalize": (lambda x: ops.normalize(x, axis=-1), [(2, 3)]),
    "layer_normalization": (lambda x, g, b: ops.layer_normalization(x, g, b), [(2, 3), (3,), (3,)]),
    "layer_normalization_axes": (lambda x: ops.layer_normalization(x, axis=(0, 1)), [(2, 3, 2)]),
    "rms_normalization": (lambda x, s: ops.rms_normalization(x, s), [(2, 3), (3,)]),
    "normalize_l1": (lambda x: ops.normalize(x, order=1), [(2, 3)]),
    "binary_crossentropy_logits": (lambda x: ops.binary_crossentropy(np.full((2, 3), 0.3), x, True), [(2, 3)]),
    "categorical_crossentropy": (
        lambda x: ops.categorical_crossentropy(np.eye(3)[[0, 2]], ops.softmax(x)), [(2, 3)]),
    "categorical_crossentropy_logits": (
        lambda x: ops.categorical_crossentropy(np.eye(3)[[0, 2]], x, from_logits=True), [(2, 3)]),
    "sparse_categorical_crossentropy": (
        lambda x: ops.sparse_categorical_crossentropy(np.array([1, 0]), x, from_logits=True), [(2, 3)]),
    "ctc_loss": (lambda x: ops.ctc_loss(np.array([[1, 2]]), x, np.array([2]), np.array([4])), [(1, 4, 3)]),
}


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend computes no gradients")
@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradients(name):
    fn, shapes = GRADIENT_CASES[name]
    local = np.random.default_rng(1)
    check_gradients(fn, [local.normal(size=shape) for shape in shapes])


# ---- symbolic shape inference with None dims ----

SYMBOLIC_CASES = {
    # name: (fn, input shapes with None, expected output shape(s))
    "moments": (lambda x: ops.moments(x, [1]), [(None, 3, 4)], [(None, 4), (None, 4)]),
    "moments_keepdims": (lambda x: ops.moments(x, [0, 1], keepdims=True), [(None, 3)], [(1, 1), (1, 1)]),
    "batch_normalization": (lambda x, m: ops.batch_normalization(x, m, m, -1), [(None, 3), (3,)], [(None, 3)]),
    "normalize": (lambda x: ops.normalize(x), [(None, 3)], [(None, 3)]),
    "layer_normalization": (lambda x, g: ops.layer_normalization(x, g, g), [(None, 3), (3,)], [(None, 3)]),
    "rms_normalization": (lambda x: ops.rms_normalization(x, axis=(1, 2)), [(None, 3, 2)], [(None, 3, 2)]),
    "one_hot": (lambda x: ops.one_hot(x, 5), [(None, 2)], [(None, 2, 5)]),
    "multi_hot": (lambda x: ops.multi_hot(x, 5), [(None, 2)], [(None, 5)]),
    "binary_crossentropy": (lambda t, o: ops.binary_crossentropy(t, o), [(None, 3), (None, 3)], [(None, 3)]),
    "categorical_crossentropy": (lambda t, o: ops.categorical_crossentropy(t, o), [(None, 3), (None, 3)],
                                 [(None,)]),
    "sparse_categorical_crossentropy": (lambda t, o: ops.sparse_categorical_crossentropy(t, o),
                                        [(None,), (None, 3)], [(None,)]),
    "ctc_loss": (lambda t, o, tl, ol: ops.ctc_loss(t, o, tl, ol), [(None, 2), (None, 5, 3), (None,), (None,)],
                 [(None,)]),
    "psnr": (lambda a, b: ops.psnr(a, b, 1.0), [(None, 3), (None, 3)], [()]),
    "dot_product_attention": (lambda q, k, v: ops.dot_product_attention(q, k, v, is_causal=True),
                              [(None, 3, 2, 4), (None, 5, 2, 4), (None, 5, 2, 4)], [(None, 3, 2, 4)]),
}
_INT_INPUTS = {"one_hot": [0], "multi_hot": [0], "sparse_categorical_crossentropy": [0], "ctc_loss": [0, 2, 3]}


@pytest.mark.parametrize("name", sorted(SYMBOLIC_CASES))
def test_symbolic_shapes(name):
    fn, shapes, expected = SYMBOLIC_CASES[name]
    inputs = [KerasTensor(shape, "int32" if i in _INT_INPUTS.get(name, []) else "float32")
              for i, shape in enumerate(shapes)]
    out = fn(*inputs)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    assert [o.shape for o in outs] == expected
    assert all(o.dtype == "float32" for o in outs)


# ---- Keras 3.15.1's argument checks and warnings, with its phrases ----


def test_softmax_over_an_axis_of_size_one_warns():
    with pytest.warns(UserWarning, match=r"softmax over axis 1 of a tensor of shape \(1, 1\)\. This axis has size 1"):
        ops.softmax(np.array([[1.0]]), 1)


@pytest.mark.parametrize("op", [ops.softmax, ops.normalize])
def test_axis_out_of_range_is_rejected_symbolically(op):
    with pytest.raises(ValueError, match="axis 10 is out of bounds for array of dimension 2"):
        op(KerasTensor((3, 4)), axis=10)


@pytest.mark.parametrize("order", ["a", -1, 0, 2.5, "fro"])
def test_normalize_order_must_be_a_positive_int(order):
    with pytest.raises(ValueError, match="Argument `order` must be an int >= 1"):
        ops.normalize(np.array([1.0, 2.0, 3.0]), order=order)


def test_layer_normalization_rms_scaling_warns_and_scales_by_the_variance():
    x = rng.normal(size=(2, 5)).astype("float32")
    gamma = rng.normal(size=(5,)).astype("float32")
    with pytest.warns(UserWarning, match="You passed `rms_scaling=True`, which is deprecated"):
        out = ops.layer_normalization(x, gamma, axis=-1, epsilon=1e-3, rms_scaling=True)
    expected = x / np.sqrt(x.var(axis=-1, keepdims=True) + 1e-3) * gamma  # Keras 3.15.1's formula
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(TypeError, match="unexpected keyword"):
        ops.layer_normalization(x, gamma, centre=True)


@pytest.mark.parametrize("name", ["mean", "variance", "offset", "scale"])
def test_batch_normalization_statistics_must_match_the_axis(name):
    arguments = {n: KerasTensor((5,)) for n in ("mean", "variance", "offset", "scale")}
    arguments[name] = KerasTensor((3,))
    with pytest.raises(ValueError, match=f"`{name}` must be a vector of length"):
        ops.batch_normalization(KerasTensor((None, 3, 4, 5)), axis=-1, **arguments)
    assert ops.batch_normalization(KerasTensor((None, 3, 4, 5)), KerasTensor((3,)), KerasTensor((3,)),
                                   axis=1).shape == (None, 3, 4, 5)


@pytest.mark.parametrize("op", [ops.one_hot, ops.multi_hot])
def test_symbolic_sparse_encodings_say_sparse(op):
    out = op(KerasTensor((2, 3)), 5, sparse=True)
    dense = op(KerasTensor((2, 3)), 5)
    assert out.sparse and not dense.sparse and out.shape == dense.shape
