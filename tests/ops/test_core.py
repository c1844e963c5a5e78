"""ops.core against NumPy / plain-Python semantics: values, shapes, dtypes, symbolic specs, gradients."""

import re

import numpy as np
import pytest

from brickwork import backend, ops
from brickwork.backend import KerasTensor
from tests.conftest import requires_training
from tests.gradient_check import check_gradients, engine_gradients

BACKEND = backend.backend()
rng = np.random.default_rng(0)


def to_np(x):
    return backend.convert_to_numpy(x)


def dtype_of(x) -> str:
    return backend.standardize_dtype(x.dtype)


# ---- conversion, casting, introspection ----


@pytest.mark.parametrize("source, target", [
    ("float32", "int32"), ("float32", "float16"), ("int32", "float32"), ("float64", "float32"),
    ("int64", "int8"), ("bool", "float32"), ("float32", "bool"), ("uint8", "int16"),
])
def test_cast(source, target):
    x = rng.uniform(-3, 3, (2, 3)).astype(source)
    out = ops.cast(x, target)
    assert dtype_of(out) == target
    np.testing.assert_array_equal(to_np(out), x.astype(target))
    assert ops.cast(KerasTensor((None, 3), source), target).shape == (None, 3)
    assert ops.cast(KerasTensor((None, 3), source), target).dtype == target


@pytest.mark.parametrize("value, dtype, expected", [
    (1, None, "int32"), (1.5, None, "float32"), (True, None, "bool"), ([1, 2], None, "int32"),
    ([1.0, 2], None, "float32"), (np.zeros(2, "float64"), None, "float64"), ([1, 2], "float16", "float16"),
])
def test_convert_to_tensor(value, dtype, expected):
    x = ops.convert_to_tensor(value, dtype=dtype)
    assert ops.is_tensor(x)
    assert ops.dtype(x) == expected
    np.testing.assert_array_equal(to_np(x), np.asarray(value).astype(expected))
    np.testing.assert_array_equal(ops.convert_to_numpy(x), np.asarray(value).astype(expected))


def test_introspection_and_symbolic_conversion():
    x = ops.convert_to_tensor(np.zeros((2, 3), "float32"))
    assert ops.shape(x) == (2, 3) and isinstance(ops.shape(x), tuple)
    assert ops.dtype(x) == "float32"
    assert not ops.is_tensor([1, 2])
    symbolic = KerasTensor((None, 4), "float32")
    assert ops.shape(symbolic) == (None, 4)
    assert ops.dtype(symbolic) == "float32"
    spec = ops.convert_to_tensor(symbolic, dtype="int8")
    assert (spec.shape, spec.dtype) == ((None, 4), "int8")
    with pytest.raises(ValueError, match="convert_to_numpy"):  # Keras 3.15.1 raises a ValueError
        ops.convert_to_numpy(symbolic)


SATURATE = [
    ([-1.0, 256.0, 3.7, 255.9], "float32", "uint8"),
    ([-1e10, 1e10, 7.5], "float32", "int32"),
    ([-300, 300, 5], "int32", "int8"),
    ([-1, 70000, 5], "int64", "uint16"),
    ([1e6, -1e6, 0.5], "float64", "float16"),
]


@pytest.mark.parametrize("values, source, target", SATURATE)
def test_saturate_cast(values, source, target):
    x = np.array(values, dtype=source)
    out = ops.saturate_cast(x, target)
    info = np.iinfo(target) if "int" in target else np.finfo(target)
    clipped = np.clip(x.astype(np.float64), float(info.min), float(info.max))
    assert dtype_of(out) == target
    # Bounds may be nudged inward to the nearest value representable in the input dtype.
    np.testing.assert_allclose(to_np(out).astype(np.float64), clipped.astype(target).astype(np.float64), rtol=1e-6)
    assert np.all(to_np(out).astype(np.float64) >= float(info.min))
    assert ops.saturate_cast(KerasTensor((None, 2), source), target).dtype == target


def test_saturate_cast_in_a_functional_graph_is_recorded_and_replays():
    # A symbolic call records its node: the model computes it, and rebuilds it from its config.
    import brickwork

    inputs = brickwork.Input((3,))
    model = brickwork.Model(inputs, ops.saturate_cast(inputs * 300.0, "uint8"))
    x = np.array([[-1.0, 0.5, 2.0]], dtype="float32")
    expected = np.clip(x * 300.0, 0, 255).astype("uint8")
    np.testing.assert_array_equal(to_np(model(x)), expected)
    np.testing.assert_array_equal(to_np(brickwork.Model.from_config(model.get_config())(x)), expected)


def test_keras_history_is_present_only_on_tensors_an_op_produced():
    # Keras's attribute name for (operation, node_index, tensor_index); code outside Keras reads it.
    free = KerasTensor((2,))
    assert not hasattr(free, "_keras_history")
    made = ops.cast(free, "float16")
    operation, node_index, tensor_index = made._keras_history
    assert (node_index, tensor_index) == (0, 0) and operation._inbound_nodes[0].output_tensors == [made]


# ---- gradients ----


@requires_training
def test_stop_gradient_blocks_gradient():
    x = rng.uniform(-1, 1, (3,))
    (grad,) = engine_gradients(lambda v: v * ops.stop_gradient(v), [x])
    np.testing.assert_allclose(grad, x)  # d/dx (x * const) = const = x, not 2x
    np.testing.assert_allclose(to_np(ops.stop_gradient(ops.convert_to_tensor(x))), x)
    assert ops.stop_gradient(KerasTensor((None, 2))).shape == (None, 2)


def _engine():
    """The engine's array module, for exp/log inside custom-gradient functions."""
    if BACKEND == "torch":
        import torch

        return torch
    if BACKEND == "jax":
        import jax.numpy as jnp

        return jnp
    return np


def _log1pexp(factor):
    """log(1 + e^x) whose custom gradient is ``factor`` times the true one (proving it is used)."""
    xp = _engine()

    @ops.custom_gradient
    def f(x):
        e = xp.exp(x)

        def grad(*args, upstream=None):  # the portable signature: jax passes upstream positionally
            upstream = args[0] if upstream is None else upstream
            return upstream * factor * (1.0 - 1.0 / (1 + e))

        return xp.log(1 + e), grad

    return f


def test_custom_gradient_forward():
    x = np.array([0.5, -1.0, 2.0])
    out = _log1pexp(7.0)(ops.convert_to_tensor(x))
    np.testing.assert_allclose(to_np(out), np.log1p(np.exp(x)), rtol=1e-6)


@requires_training
def test_custom_gradient_backward():
    x = np.array([0.5, -1.0, 2.0])
    (grad,) = engine_gradients(_log1pexp(7.0), [x])
    np.testing.assert_allclose(grad, 7.0 / (1 + np.exp(-x)), rtol=1e-6)


def test_custom_gradient_takes_a_variable():
    """A Variable passed to a custom-gradient function is used by value (Keras's jax backend unwraps it too)."""
    from brickwork import backend

    v = backend.Variable(np.array([0.5, -1.0], "float32"), trainable=False)
    out = _log1pexp(3.0)(v)
    np.testing.assert_allclose(to_np(out), np.log1p(np.exp([0.5, -1.0])), rtol=1e-6)


# ---- control flow ----


@pytest.mark.parametrize("pred, expected", [(True, 1.0), (False, -1.0)])
def test_cond(pred, expected):
    x = ops.convert_to_tensor(np.ones(3, "float32"))
    out = ops.cond(ops.convert_to_tensor(pred), lambda: x * 1.0, lambda: x * -1.0)
    np.testing.assert_array_equal(to_np(out), np.full(3, expected, "float32"))


def test_cond_symbolic_and_mismatch():
    x = KerasTensor((None, 3), "float32")
    pred = KerasTensor((), "bool")
    spec = ops.cond(pred, lambda: ops.cast(x, "float16"), lambda: ops.cast(x, "float16"))
    assert (spec.shape, spec.dtype) == ((None, 3), "float16")
    with pytest.raises(ValueError, match="ops.cond"):
        ops.cond(pred, lambda: ops.cast(x, "float16"), lambda: x)


def test_while_loop():
    assert int(to_np(ops.while_loop(lambda i: i < 10, lambda i: i + 1, 0))) == 10
    x, y = ops.while_loop(lambda x, y: x < 10, lambda x, y: (x + 1, y + 2), (0, 1))
    assert (int(to_np(x)), int(to_np(y))) == (10, 21)
    (limited,) = ops.while_loop(lambda i: i < 100, lambda i: (i + 1,), [0], maximum_iterations=5)
    assert int(to_np(limited)) == 5
    spec = ops.while_loop(lambda v: True, lambda v: v, KerasTensor((None, 2), "int32"))
    assert (spec.shape, spec.dtype) == ((None, 2), "int32")


def test_fori_loop():
    assert int(to_np(ops.fori_loop(0, 10, lambda i, s: s + i, 0))) == 45
    out = ops.fori_loop(0, 3, lambda i, s: s * 2.0, ops.convert_to_tensor(np.ones(2, "float32")))
    np.testing.assert_array_equal(to_np(out), [8.0, 8.0])
    spec = ops.fori_loop(0, 3, lambda i, s: s, KerasTensor((None, 5)))
    assert spec.shape == (None, 5)


@pytest.mark.parametrize("reverse", [False, True])
def test_scan(reverse):
    xs = np.arange(1, 6, dtype="float32")
    carry, ys = ops.scan(lambda c, x: (c + x, c + x), ops.convert_to_tensor(np.float32(0)), xs, reverse=reverse)
    expected = np.cumsum(xs[::-1])[::-1] if reverse else np.cumsum(xs)
    assert float(to_np(carry)) == 15.0
    np.testing.assert_array_equal(to_np(ys), expected)
    assert dtype_of(ys) == "float32"


def test_scan_without_xs_and_symbolic():
    carry, ys = ops.scan(lambda c, _: (c * 2, c), ops.convert_to_tensor(np.int32(1)), length=4)
    assert int(to_np(carry)) == 16
    np.testing.assert_array_equal(to_np(ys), [1, 2, 4, 8])
    carry, ys = ops.scan(lambda c, x: (c + x, x * 2), KerasTensor((3,)), KerasTensor((7, 3)))
    assert carry.shape == (3,) and ys.shape == (7, 3)


def test_switch():
    branches = [lambda x: x + 1, lambda x: x - 1, lambda x: x * 10]
    x = ops.convert_to_tensor(np.float32(2.0))
    assert [float(to_np(ops.switch(i, branches, x))) for i in (0, 1, 2)] == [3.0, 1.0, 20.0]
    assert float(to_np(ops.switch(7, branches, x))) == 20.0  # clamped to the last branch
    assert float(to_np(ops.switch(-3, branches, x))) == 3.0  # clamped to the first
    assert ops.switch(0, branches, KerasTensor((None, 2))).shape == (None, 2)


def test_map():
    xs = np.arange(4, dtype="int32")
    np.testing.assert_array_equal(to_np(ops.map(lambda x: x * x, xs)), xs * xs)
    out = ops.map(lambda x: {"double": x * 2, "pair": (x, x + 1)}, xs)
    np.testing.assert_array_equal(to_np(out["double"]), xs * 2)
    np.testing.assert_array_equal(to_np(out["pair"][1]), xs + 1)
    spec = ops.map(lambda x: ops.cast(x, "float16"), KerasTensor((5, None), "int32"))
    assert (spec.shape, spec.dtype) == ((5, None), "float16")


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("reverse", [False, True])
def test_associative_scan_sum(axis, reverse):
    x = rng.integers(0, 9, (5, 6)).astype("float32")
    out = ops.associative_scan(lambda a, b: a + b, x, reverse=reverse, axis=axis)
    flipped = np.flip(x, axis) if reverse else x
    expected = np.cumsum(flipped, axis=axis)
    expected = np.flip(expected, axis) if reverse else expected
    np.testing.assert_allclose(to_np(out), expected)


def test_associative_scan_non_commutative_and_symbolic():
    # Composition of affine maps y = a * x + b is associative but not commutative.
    a = rng.uniform(0.5, 1.5, 7)
    b = rng.uniform(-1, 1, 7)

    def compose(first, second):
        return (first[0] * second[0], second[0] * first[1] + second[1])

    out_a, out_b = ops.associative_scan(compose, (a, b))
    expected_a, expected_b, ca, cb = [], [], 1.0, 0.0
    for ai, bi in zip(a, b):
        ca, cb = ca * ai, ai * cb + bi
        expected_a.append(ca)
        expected_b.append(cb)
    np.testing.assert_allclose(to_np(out_a), expected_a, rtol=1e-10)
    np.testing.assert_allclose(to_np(out_b), expected_b, rtol=1e-10)
    spec = ops.associative_scan(lambda p, q: p + q, KerasTensor((4, 3), "int32"), axis=1)
    assert (spec.shape, spec.dtype) == ((4, 3), "int32")


def test_vectorized_map():
    x = rng.uniform(size=(4, 3)).astype("float32")
    np.testing.assert_allclose(to_np(ops.vectorized_map(lambda row: row * 2.0, x)), x * 2, rtol=1e-6)
    pair = ops.vectorized_map(lambda e: e[0] + e[1], (x, x))
    np.testing.assert_allclose(to_np(pair), x * 2, rtol=1e-6)
    assert ops.vectorized_map(lambda row: row * 2.0, KerasTensor((None, 3))).shape == (None, 3)


def test_vectorized_map_of_a_registered_function_survives_the_model_config():
    import brickwork

    @brickwork.saving.register_keras_serializable(package="test_core")
    def doubled(row):
        return row + row

    inputs = brickwork.Input((4,))
    model = brickwork.Model(inputs, ops.vectorized_map(doubled, inputs))
    rebuilt = brickwork.Model.from_config(model.get_config())
    x = rng.uniform(size=(5, 4)).astype("float32")
    np.testing.assert_allclose(to_np(rebuilt(x)), x * 2, rtol=1e-6)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_unstack(axis):
    x = np.arange(24).reshape(2, 3, 4).astype("float32")
    parts = ops.unstack(x, axis=axis)
    expected = [np.take(x, i, axis=axis) for i in range(x.shape[axis])]
    assert len(parts) == len(expected)
    for part, reference in zip(parts, expected):
        np.testing.assert_array_equal(to_np(part), reference)
    specs = ops.unstack(KerasTensor((None, 3, 4)), axis=axis) if axis != 0 else ops.unstack(
        KerasTensor((None, 3, 4)), num=2, axis=0)
    assert all(s.shape == tuple(np.delete(np.array([None, 3, 4], dtype=object), axis)) for s in specs)


def test_unstack_unknown_size_is_an_error():
    with pytest.raises(ValueError, match="ops.unstack"):
        ops.unstack(KerasTensor((None, 3)), axis=0)


# ---- scatter and slicing ----


def test_scatter_adds_duplicates():
    indices = np.array([[0, 1], [1, 1], [0, 1]])
    values = np.array([1.0, 2.0, 3.0], "float32")
    expected = np.zeros((2, 3), "float32")
    np.add.at(expected, tuple(indices.T), values)
    out = ops.scatter(indices, values, (2, 3))
    np.testing.assert_array_equal(to_np(out), expected)
    assert dtype_of(out) == "float32"
    rows = ops.scatter([[1]], np.ones((1, 3), "int32"), (2, 3))  # partial indices scatter whole rows
    np.testing.assert_array_equal(to_np(rows), [[0, 0, 0], [1, 1, 1]])
    spec = ops.scatter(KerasTensor((4, 2), "int32"), KerasTensor((4,), "float16"), (5, 5))
    assert (spec.shape, spec.dtype) == ((5, 5), "float16")


@pytest.mark.parametrize("reduction, ufunc", [
    (None, None), ("add", np.add), ("max", np.maximum), ("min", np.minimum), ("mul", np.multiply),
])
def test_scatter_update(reduction, ufunc):
    inputs = rng.uniform(-2, 2, (4, 3)).astype("float32")
    indices = np.array([[0, 1], [2, 2], [3, 0]])
    updates = rng.uniform(-2, 2, 3).astype("float32")
    expected = inputs.copy()
    if ufunc is None:
        expected[tuple(indices.T)] = updates
    else:
        ufunc.at(expected, tuple(indices.T), updates)
    out = ops.scatter_update(inputs, indices, updates, reduction=reduction)
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-6)
    assert dtype_of(out) == "float32"


def test_scatter_update_duplicates_and_rows():
    inputs = np.ones((3, 2), "float32")
    out = ops.scatter_update(inputs, [[1], [1]], np.array([[2.0, 3.0], [4.0, 5.0]], "float32"), reduction="mul")
    np.testing.assert_array_equal(to_np(out), [[1, 1], [8, 15], [1, 1]])
    spec = ops.scatter_update(KerasTensor((None, 2), "int32"), [[0, 0]], [1])
    assert (spec.shape, spec.dtype) == ((None, 2), "int32")


@pytest.mark.parametrize("start, shape", [([3, 3], [2, 2]), ([0, 1], [5, 2]), ([1, 0], [1, 5])])
def test_slice(start, shape):
    x = np.arange(25, dtype="int32").reshape(5, 5)
    expected = x[start[0]:start[0] + shape[0], start[1]:start[1] + shape[1]]
    np.testing.assert_array_equal(to_np(ops.slice(x, start, shape)), expected)
    np.testing.assert_array_equal(to_np(ops.slice(x, ops.convert_to_tensor(start), shape)), expected)
    spec = ops.slice(KerasTensor((None, 5), "int32"), start, shape)
    assert (spec.shape, spec.dtype) == (tuple(shape), "int32")


def test_slice_update():
    x = np.zeros((4, 5), "float32")
    updates = np.arange(6, dtype="float32").reshape(2, 3)
    expected = x.copy()
    expected[1:3, 2:5] = updates
    out = ops.slice_update(x, [1, 2], updates)
    np.testing.assert_array_equal(to_np(out), expected)
    np.testing.assert_array_equal(x, np.zeros((4, 5)))  # the input is not modified
    spec = ops.slice_update(KerasTensor((None, 5)), [0, 0], KerasTensor((2, 2)))
    assert spec.shape == (None, 5)


@requires_training
@pytest.mark.parametrize("start", [[1, 2], [3, 4]])  # [3, 4] is clamped to [2, 2], where the window fits
def test_slice_and_slice_update_gradients_match_finite_differences(start):
    check_gradients(lambda x: ops.slice(x, start, [2, 3]) ** 2, [rng.standard_normal((4, 5))])
    check_gradients(lambda x, u: ops.slice_update(x * x, start, u * x[:2, :3]),
                    [rng.standard_normal((4, 5)), rng.standard_normal((2, 3))])


def test_bad_input_names_the_op():
    with pytest.raises((ValueError, TypeError, IndexError), match="ops.scatter"):
        ops.scatter([[0, 1]], np.ones((2,), "float32"), (2, 2))
    with pytest.raises((ValueError, TypeError, IndexError), match="ops.slice_update"):
        ops.slice_update(np.zeros((2, 2)), [0, 0], np.ones((3,)))


def test_slice_and_slice_update_take_mixed_index_types_inside_while_loop():
    """KerasHub's samplers slice at ``[0, index]`` with a Python 0 beside the loop's int32 position."""
    x = np.arange(12, dtype="float32").reshape(2, 6)

    def body(index, total):
        column = ops.slice(x, [0, index], [2, 1])
        return index + 1, total + ops.sum(ops.slice_update(ops.zeros((2, 6)), [0, index], column))

    _, total = ops.while_loop(lambda index, total: index < 6, body, (ops.convert_to_tensor(0, "int32"),
                                                                      ops.convert_to_tensor(0.0)))
    np.testing.assert_allclose(ops.convert_to_numpy(total), x.sum())


def test_convert_to_tensor_takes_numpy_bfloat16_arrays():
    import ml_dtypes

    x = np.array([1.5, -2.25, 3.0], dtype=ml_dtypes.bfloat16)
    tensor = ops.convert_to_tensor(x)
    assert backend.standardize_dtype(tensor.dtype) == "bfloat16"
    np.testing.assert_array_equal(backend.convert_to_numpy(ops.cast(tensor, "float32")), x.astype("float32"))
    assert backend.standardize_dtype(ops.convert_to_tensor(x, "float32").dtype) == "float32"


def test_symbolic_slice_size_minus_one_is_the_rest_of_the_axis():
    assert ops.slice(KerasTensor((3, 3)), (1, 1), (-1, -1)).shape == (2, 2)
    assert ops.slice(KerasTensor((None, 3)), (1, 0), (-1, -1)).shape == (None, 3)
    assert ops.slice(KerasTensor((3, 3)), KerasTensor((2,), dtype="int32"), (-1, 2)).shape == (None, 2)


# ---- Keras 3.15.1's argument checks, with its phrases ----

INVALID_CALLS = {
    "scan of a non-callable": (lambda: ops.scan(123, np.float32(0), np.ones(3, "float32")), TypeError,
                               "`f` should be a callable."),
    "scan unrolled -1 times": (lambda: ops.scan(lambda c, x: (c, x), np.float32(0), np.ones(3, "float32"), unroll=-1),
                               ValueError, "`unroll` must be an positive integer or boolean."),
    "scan over nothing": (lambda: ops.scan(lambda c, x: (c, x), np.float32(0)), ValueError,
                          "Got no `xs` to scan over and `length` not provided."),
    "associative_scan of different lengths": (
        lambda: ops.associative_scan(lambda a, b: (a[0] + b[0], a[1] + b[1]), (np.ones(2), np.ones(3))),
        ValueError, "must have the same first dimension"),
    "symbolic associative_scan of different lengths": (
        lambda: ops.associative_scan(lambda a, b: (a[0] + b[0], a[1] + b[1]),
                                     (KerasTensor((None, 5)), KerasTensor((None, 4))), axis=1),
        ValueError, "must have the same first dimension"),
    "unstack of an unknown size": (lambda: ops.unstack(KerasTensor((2, None, None)), axis=1), ValueError,
                                   "Cannot infer argument `num` from shape"),
    "slice of another rank": (lambda: ops.slice(KerasTensor((3, 3)), (1, 1), (2, 2, 2)), ValueError,
                              "The number of dimensions in `inputs` must match the number of dimensions in `shape`"),
    "slice starts of another rank": (lambda: ops.slice(np.ones((3, 3)), (1, 1, 1), (2, 2)), ValueError,
                                     "The number of dimensions in `start_indices` must match"),
}


@pytest.mark.parametrize("case", sorted(INVALID_CALLS))
def test_invalid_arguments_raise_keras_errors(case):
    call, error, phrase = INVALID_CALLS[case]
    with pytest.raises(error, match=re.escape(phrase)):
        call()


def test_symbolic_convert_to_tensor_keeps_sparse_unless_asked_dense():
    dense, sparse = KerasTensor((2, 3)), KerasTensor((2, 3), sparse=True)
    assert not ops.convert_to_tensor(dense).sparse and not ops.convert_to_tensor(dense, sparse=True).sparse
    assert ops.convert_to_tensor(sparse).sparse and ops.convert_to_tensor(sparse, sparse=True).sparse
    assert not ops.convert_to_tensor(sparse, sparse=False).sparse
    assert ops.convert_to_tensor(dense, dtype="int32").dtype == "int32"


def test_op_class_output_spec_of_concrete_inputs_is_a_keras_tensor():
    from brickwork.ops import core

    spec = core.Slice((2, 2)).compute_output_spec(np.arange(9, dtype="float32").reshape(3, 3), np.array([1, 1]))
    assert isinstance(spec, KerasTensor) and spec.shape == (2, 2) and spec.dtype == np.dtype("float32")
