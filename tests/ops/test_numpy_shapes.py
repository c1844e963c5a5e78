"""ops.numpy's shape helpers (broadcast_shapes, shape_equal, vectorize), view, unique and slogdet against NumPy,
and the symbolic shapes of ops whose unknown (``None``) sizes must match known ones.

Runs on the active backend; the values come from NumPy.
"""

from __future__ import annotations

import numpy as np
import pytest

from brickwork import backend, ops
from brickwork.backend import KerasTensor
from brickwork.ops import numpy as knp


def to_np(x):
    return backend.convert_to_numpy(x)


def dtype_of(x) -> str:
    return backend.standardize_dtype(x.dtype)


@pytest.mark.parametrize("shape1, shape2, expected", [
    ((1, 2), (3, 1), [3, 2]),
    ((5, 3), (2, 5, 3), [2, 5, 3]),
    ((None, 3), (5, 1), [5, 3]),
    ((None, 3), (1, 3), [None, 3]),
    ((5, 3, 2), (1, None, 2), [5, 3, 2]),
])
def test_broadcast_shapes(shape1, shape2, expected):
    assert knp.broadcast_shapes(shape1, shape2) == expected
    if None not in shape1 + shape2:
        assert list(np.broadcast_shapes(shape1, shape2)) == expected


def test_broadcast_shapes_rejects_mismatched_sizes():
    with pytest.raises(ValueError, match="Cannot broadcast shape"):
        knp.broadcast_shapes((5, 3, 2), (1, 3))


def test_shape_equal():
    assert knp.shape_equal((3, 4), (3, 4))
    assert not knp.shape_equal((3, 4), (3, 4, 5))
    assert knp.shape_equal((3, None), (3, 5))
    assert not knp.shape_equal((3, None), (3, 5), allow_none=False)
    assert knp.shape_equal((3, 4, 5), (3, 6, 7), axis=[1, 2])
    assert not knp.shape_equal((3, 4, 5), (3, 4, 6), axis=-2)
    assert knp.shape_equal((3, 4, 5), (3, 4, 6), axis=-1)


@pytest.mark.parametrize("source, target", [("int16", "float16"), ("int8", "int32"), ("int32", "int8"),
                                            ("float32", "int32"), ("uint8", "bfloat16")])
def test_view_reinterprets_bits(source, target):
    x = np.arange(16).reshape(2, 8).astype(source if source != "bfloat16" else "float32")
    result = knp.view(x, target)
    assert dtype_of(result) == target
    if target != "bfloat16":
        np.testing.assert_array_equal(to_np(result), x.view(target))
    symbolic = knp.view(KerasTensor((None, 8), dtype=source), target)
    assert symbolic.shape == (None, result.shape[-1]) and symbolic.dtype == target


def test_view_of_a_scalar_needs_the_same_item_size():
    assert dtype_of(knp.view(np.array(1, "int16"), "float16")) == "float16"
    with pytest.raises(Exception):
        knp.view(np.array(1, "int16"), "int32")


def _unique_reference(x, axis=None):
    return np.unique(x, return_index=True, return_inverse=True, return_counts=True, axis=axis)


@pytest.mark.parametrize("x, axis", [
    (np.array([3, 1, 2, 1, 4, 2]), None),
    (np.array([[1, 0, 0], [0, 1, 0], [1, 0, 0]]), 0),
    (np.array([[1, 0, 1], [0, 1, 0]]), 1),
    (np.array([[1, 0, 1], [0, 1, 0]]), -1),
    (np.array([[3.0, 1.0], [1.0, 2.5]], "float32"), None),
])
def test_unique_matches_numpy(x, axis):
    values, index, inverse, counts = knp.unique(x, return_index=True, return_inverse=True, return_counts=True,
                                                axis=axis)
    expected = _unique_reference(x, axis)
    np.testing.assert_array_equal(to_np(values), expected[0])
    np.testing.assert_array_equal(to_np(index), expected[1])
    np.testing.assert_array_equal(to_np(inverse).reshape(-1), expected[2].reshape(-1))
    np.testing.assert_array_equal(to_np(counts), expected[3])
    assert [dtype_of(t) for t in (index, inverse, counts)] == ["int32"] * 3
    rebuilt = ops.take(values, inverse, axis=axis) if axis is not None else ops.take(values, inverse)
    np.testing.assert_array_equal(to_np(rebuilt), x)


def test_unique_fixed_size_pads_and_cuts():
    x = np.array([3, 1, 2, 1])
    values, counts = knp.unique(x, size=5, fill_value=-1, return_counts=True)
    assert to_np(values).tolist() == [1, 2, 3, -1, -1] and to_np(counts).tolist() == [2, 1, 1, 0, 0]
    values, counts = knp.unique(x, size=2, return_counts=True)
    assert to_np(values).tolist() == [1, 2] and to_np(counts).tolist() == [2, 1]
    values = knp.unique(np.array([[1, 0, 1], [0, 1, 0]]), axis=1, size=3, fill_value=7)
    assert to_np(values).tolist() == [[0, 1, 7], [1, 0, 7]]


def test_unique_keeps_each_nan():
    values = to_np(knp.unique(np.array([1.0, np.nan, 2.0, np.nan], "float32")))
    assert values.shape == (4,) and np.isnan(values).sum() == 2


def test_unique_symbolic_shapes():
    values, index, inverse, counts = knp.unique(KerasTensor((None, 3)), return_index=True, return_inverse=True,
                                                return_counts=True)
    assert (values.shape, index.shape, inverse.shape, counts.shape) == ((None,), (None,), (None, 3), (None,))
    values, inverse = knp.unique(KerasTensor((2, 4)), axis=0, return_inverse=True)
    assert (values.shape, inverse.shape) == ((None, 4), (2,))
    values, index = knp.unique(KerasTensor((2, 4)), return_index=True, axis=-1, size=6)
    assert (values.shape, index.shape) == ((2, 6), (6,))


def test_slogdet_matches_numpy():
    x = np.random.RandomState(0).normal(size=(2, 3, 4, 4)).astype("float32")
    sign, logabsdet = knp.slogdet(x)
    expected_sign, expected_log = np.linalg.slogdet(x)
    np.testing.assert_allclose(to_np(sign), expected_sign)
    np.testing.assert_allclose(to_np(logabsdet), expected_log, rtol=1e-4)
    assert [t.shape for t in knp.slogdet(KerasTensor((2, 4, 3, 3)))] == [(2, 4), (2, 4)]


def test_vectorize_matches_numpy():
    stack = np.stack([np.eye(3), 2 * np.eye(3), np.ones((3, 3))])
    traces = knp.vectorize(knp.trace, signature="(d,d)->()")(stack)
    np.testing.assert_allclose(to_np(traces), np.vectorize(np.trace, signature="(d,d)->()")(stack))
    diagonals = knp.vectorize(knp.diag, signature="(d,d)->(d)")(stack)
    np.testing.assert_allclose(to_np(diagonals), np.vectorize(np.diag, signature="(d,d)->(d)")(stack))
    added = knp.vectorize(lambda a, b: a + b)(np.array([[1, 2], [3, 4]]), np.array([10, 20]))
    np.testing.assert_array_equal(to_np(added), [[11, 22], [13, 24]])
    scaled = knp.vectorize(lambda a, k: a * k, excluded={1})(np.array([1.0, 2.0]), 3.0)
    np.testing.assert_allclose(to_np(scaled), [3.0, 6.0])


def test_pad_constant_values_only_in_constant_mode():
    with pytest.raises(ValueError, match="can only be provided when `mode == 'constant'`"):
        ops.pad(np.ones((2, 2)), 1, mode="reflect", constant_values=0)


@pytest.mark.parametrize("op, shapes, expected", [
    (ops.add, [(None, 3), (2, None)], (2, 3)),
    (ops.maximum, [(None, 3), (2, None)], (2, 3)),
    (lambda x: ops.einsum("ii", x), [(None, 3)], ()),
    (lambda x, y: ops.einsum("ijk,jkl->li", x, y), [(None, 3, 4), (None, 4, 5)], (5, None)),
    (lambda x, y: ops.concatenate([x, y]), [(None, 3), (None, None)], (None, 3)),
    (lambda x, y: ops.linspace(x, y, 10, axis=1), [(None, 3, 4), (2, 3, 4)], (2, 10, 3, 4)),
    (ops.inner, [(None,), (3,)], ()),
    (lambda c, x, y: ops.where(c, x, y), [(2, None, 1), (None, 1), (None, 3)], (2, None, 3)),
])
def test_unknown_sizes_take_what_their_partner_needs(op, shapes, expected):
    assert op(*[KerasTensor(shape) for shape in shapes]).shape == expected


def test_symbolic_call_on_concrete_tensors_gives_a_spec():
    result = knp.Max().symbolic_call(knp.ones((2, 3), dtype="int8"))
    assert isinstance(result, KerasTensor) and result.shape == () and result.dtype == "int8"


@pytest.mark.parametrize("newshape, message", [((-2, 5), r"non-negative integer.*-1.*newshape=\(-2, 5\)"),
                                               ((-1, -1, 5), r"at most one unknown dimension.*newshape=\(-1, -1, 5\)")])
def test_reshape_refuses_negative_sizes_on_every_backend(newshape, message):
    """NumPy alone would take -2 as the inferred size; Keras refuses it on every backend, and so do we."""
    with pytest.raises(ValueError, match=message):
        ops.reshape(np.zeros(20, "float32"), newshape)
    assert tuple(ops.reshape(np.zeros(20, "float32"), (-1, 5)).shape) == (4, 5)


@pytest.mark.parametrize("sparse, expected", [((True, False), False), ((False, True), False), ((True, True), True)])
def test_symbolic_concatenate_is_sparse_when_every_input_is(sparse, expected):
    """Keras's rule for concatenate's output spec, on every backend, numpy's dense engine included."""
    xs = [KerasTensor((2, 3), sparse=s) for s in sparse]
    result = ops.concatenate(xs, axis=1)
    assert result.shape == (2, 6) and result.sparse is expected


def test_symbolic_average_with_unknown_sizes():
    """Shape inference must not divide by a placeholder's zero weights (Keras's dynamic-shape cases)."""
    assert ops.average(KerasTensor((None, 3)), weights=KerasTensor((None, 3))).shape == ()
    assert ops.average(KerasTensor((None, 3)), axis=1, weights=KerasTensor((3,))).shape == (None,)
    assert ops.average(KerasTensor((None, 3, 3)), axis=1).shape == (None, 3)
    with pytest.raises(ValueError):
        ops.average(KerasTensor((None, 3, 3)), weights=KerasTensor((None, 4)))
