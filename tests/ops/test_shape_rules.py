"""Symbolic shapes of the ops with a shape rule (brickwork/ops/shape_rules.py) and of the placeholder runs
(brickwork/backend/common/placeholders.py), against NumPy's output shapes on concrete arrays.

A symbolic shape is right when every unknown size (``None``) stands for some size NumPy gives and every
known size is the size NumPy gives for each concrete size the unknown input dimensions could take.
"""

import numpy as np
import pytest

from brickwork import KerasTensor, ops
from brickwork.ops.shape_rules import IndexingError

SIZES = (1, 2, 3, 7)  # concrete sizes an unknown input dimension takes


def _concrete(shape, size):
    return tuple(size if d is None else d for d in shape)


def _assert_matches_numpy(symbolic_shape, numpy_shapes):
    """Each known size of ``symbolic_shape`` is NumPy's for every concrete size; ``None`` where they vary."""
    assert all(len(s) == len(symbolic_shape) for s in numpy_shapes), (symbolic_shape, numpy_shapes)
    for axis, size in enumerate(symbolic_shape):
        sizes = {s[axis] for s in numpy_shapes}
        if size is None:
            assert len(sizes) > 1 or len(numpy_shapes) == 1, (symbolic_shape, numpy_shapes)
        else:
            assert sizes == {size}, (symbolic_shape, numpy_shapes)


def _check(op, numpy_op, shapes, dtypes=None, sizes=SIZES, **kwargs):
    dtypes = dtypes or ["float32"] * len(shapes)
    symbolic = op(*[KerasTensor(s, dtype=d) for s, d in zip(shapes, dtypes)], **kwargs)
    numpy_shapes = []
    for size in sizes:
        arrays = [np.zeros(_concrete(s, size), dtype=d) for s, d in zip(shapes, dtypes)]
        try:
            numpy_shapes.append(np.shape(numpy_op(*arrays, **kwargs)))
        except (ValueError, IndexError):
            continue  # a size the op refuses (matmul's inner size) says nothing
    _assert_matches_numpy(symbolic.shape, numpy_shapes)
    return symbolic


@pytest.mark.parametrize("name", ["bitwise_and", "bitwise_or", "bitwise_xor", "gcd", "lcm"])
@pytest.mark.parametrize("shapes", [((2, 3), (2, 3)), ((None, 3), (2, None)), ((None, 3), (1, 3))])
def test_integer_ops_take_any_symbolic_dtype(name, shapes):
    # A KerasTensor's dtype defaults to float32; the shape is NumPy's on integers, the dtype Keras's.
    symbolic = ops.numpy.__dict__[name](KerasTensor(shapes[0]), KerasTensor(shapes[1]))
    assert symbolic.dtype == "float32"
    integer = _check(getattr(ops, name), getattr(np, name), shapes, dtypes=["int32", "int32"])
    assert symbolic.shape == integer.shape
    assert integer.dtype == "int32"


def test_shifts_invert_and_ldexp():
    assert ops.bitwise_left_shift(KerasTensor((None, 3), "int8"), 2).dtype == "int8"
    _check(ops.bitwise_right_shift, np.right_shift, [(None, 3), (2, 1)], dtypes=["int16", "int16"])
    assert ops.bitwise_invert(KerasTensor((None, 3))).shape == (None, 3)
    result = _check(ops.ldexp, np.ldexp, [(None, 3), (1, 3)], dtypes=["float32", "int32"])
    assert result.dtype == "float32"
    assert ops.ldexp(KerasTensor((2,), "int32"), KerasTensor((2,), "int32")).dtype == "float32"


@pytest.mark.parametrize("shape, indices_shape, axis", [
    ((None, 3), (2,), None), ((None, 3, 3), (2, 2), 1), ((None, 3, None, 5), (6, 7), 2), ((None, 3, 3), (), -2),
])
def test_take(shape, indices_shape, axis):
    # Float indices are refused by the engine but not by the symbolic rule (Keras's KerasTensor default).
    assert ops.take(KerasTensor(shape), KerasTensor(indices_shape), axis=axis).shape == \
        _check(ops.take, lambda x, i, axis: np.take(x, i, axis=axis), [shape, indices_shape],
               dtypes=["float32", "int32"], axis=axis).shape


@pytest.mark.parametrize("shape, indices_shape, axis", [
    ((None, 3), (1, 3), 0), ((None, 3), (1, 3), 1), ((None, 3, 3), (1, 3, None), 1), ((2, 3), (4,), None),
])
def test_take_along_axis(shape, indices_shape, axis):
    _check(ops.take_along_axis, lambda x, i, axis: np.take_along_axis(x, i, axis=axis),
           [shape, indices_shape], dtypes=["float32", "int32"], axis=axis)
    with pytest.raises(ValueError):
        ops.take_along_axis(KerasTensor((2, 3)), KerasTensor((1, 4)), axis=0)


def test_searchsorted_dtype_follows_the_sequence_length():
    assert ops.searchsorted(KerasTensor((5,)), KerasTensor((2, 3))).dtype == "int32"
    unknown = ops.searchsorted(KerasTensor((None,)), KerasTensor((2, 3)))
    assert (unknown.shape, unknown.dtype) == ((2, 3), "int64")  # an unknown length may not fit in int32
    with pytest.raises(ValueError, match="1-D"):
        ops.searchsorted(KerasTensor((2, 3)), KerasTensor((2,)))


@pytest.mark.parametrize("x1, x2", [
    ((2, 3), (3, 2)), ((4,), (4,)), ((4,), (4, 5)), ((3, 4), (4,)), ((4,), (2, 4, 5)), ((2, 3, 4), (4,)),
    ((None, 3, 4), (4, None)), ((5, 1, 3, 4), (2, 4, 6)), ((None, 4), (4, None)),
])
def test_matmul(x1, x2):
    _check(ops.matmul, np.matmul, [x1, x2])


def test_products_raise_value_error_naming_both_shapes():
    for op, x1, x2 in [(ops.matmul, (3, 4), (2, 3, 4)), (ops.dot, (2, 3), (2, 3)), (ops.inner, (5, 3), (4,)),
                       (ops.cross, (4, 3, 3), (2, 3, 3)), (ops.cross, (2, 4), (2, 3))]:
        with pytest.raises(ValueError, match=r"\(2|\(3|\(4|\(5"):
            op(KerasTensor(x1), KerasTensor(x2))
    with pytest.raises(ValueError, match="last dimension"):
        ops.inner(KerasTensor((5, 3)), KerasTensor((4,)))


def test_matmul_int8_accumulates_in_int32():
    assert ops.matmul(KerasTensor((2, 3), "int8"), KerasTensor((3, 2), "int8")).dtype == "int32"


@pytest.mark.parametrize("x1, x2", [((2, 3), (3, 2)), ((2, 3), (4, 3, 2)), ((5,), (5,)), ((None, 3), (3,)),
                                    ((2, None), (None, 4))])
def test_dot(x1, x2):
    _check(ops.dot, np.dot, [x1, x2])


def test_dot_with_a_scalar():
    assert ops.dot(KerasTensor((2, 3)), 2).shape == (2, 3)


@pytest.mark.parametrize("x1, x2", [((2, 3), (2, 3)), ((4,), (4,)), ((5, 3), (3,)), ((), (3,)),
                                    ((5, None), (4, 3))])
def test_inner(x1, x2):
    _check(ops.inner, np.inner, [x1, x2])


@pytest.mark.parametrize("x1, x2, kwargs", [
    ((2, 3, 3), (2, 3, 3), {}), ((1, 3, 2), (2, 3, 2), {}), ((None, 3), (1, 2), {}), ((3, 5), (3, 5), {"axis": 0}),
    ((2, 3), (2, 3), {"axisc": 0}),
])
def test_cross(x1, x2, kwargs):
    _check(ops.cross, np.cross, [x1, x2], **kwargs)


@pytest.mark.parametrize("shape, repeats, axis", [
    ((None, 3), 2, None), ((None, 3), 3, 1), ((None, 3), [1, 2], 0), ((2, 3), [1, 2], 0), ((2, 3), 2, None),
    ((2, 3), [1, 2, 3, 4, 5, 6], None),
])
def test_repeat(shape, repeats, axis):
    sizes = (2,) if isinstance(repeats, list) and shape[0] is None else SIZES  # one count per element
    _check(lambda x: ops.repeat(x, repeats, axis=axis), lambda x: np.repeat(x, repeats, axis=axis), [shape],
           sizes=sizes)
    if isinstance(repeats, list) and None not in shape:
        with pytest.raises(ValueError, match="repeats"):
            ops.repeat(KerasTensor(shape), repeats + [1], axis=axis)


@pytest.mark.parametrize("shape, axis", [((None, 1), None), ((None, 1), 1), ((None, 1, 1, 1), (1, 2)),
                                         ((None, 1, 1, 1), (-1, -2)), ((None, 1, 1, 1), (-1, 1))])
def test_squeeze(shape, axis):
    _check(lambda x: ops.squeeze(x, axis=axis), lambda x: np.squeeze(x, axis=axis), [shape], sizes=(2, 3))


def test_squeeze_refuses_an_axis_not_known_to_be_one():
    with pytest.raises(ValueError, match="squeeze"):
        ops.squeeze(KerasTensor((None, 1)), axis=0)


@pytest.mark.parametrize("newshape", [(3, 2), (3, -1), (-1,), (2, 3, 1)])
def test_reshape_of_an_unknown_size(newshape):
    # (None, 3) reshaped to (3, 2) is valid when the unknown size is 2: Keras's rule trusts it.
    symbolic = ops.reshape(KerasTensor((None, 3)), newshape)
    concrete = np.reshape(np.zeros((2, 3)), newshape).shape
    assert all(s is None or s == c for s, c in zip(symbolic.shape, concrete)) and len(symbolic.shape) == len(concrete)
    assert symbolic.shape == tuple(None if d == -1 else d for d in newshape)


def test_size_of_a_symbolic_tensor_is_symbolic():
    for shape in [(2, 3), (None, 3)]:
        size = ops.size(KerasTensor(shape))
        assert isinstance(size, KerasTensor) and (size.shape, size.dtype) == ((), "int32")


@pytest.mark.parametrize("shapes, indexing", [([(2, 3), (2, 3, 4)], "xy"), ([(2, 3), (4,), (5, 1)], "ij"),
                                              ([(None, 3), (None,)], "xy")])
def test_meshgrid_flattens_as_numpy_does(shapes, indexing):
    symbolic = ops.meshgrid(*[KerasTensor(s) for s in shapes], indexing=indexing)
    numpy_shapes = []
    for size in SIZES:
        arrays = [np.random.rand(*_concrete(s, size)) for s in shapes]
        expected = np.meshgrid(*arrays, indexing=indexing)
        for e, g in zip(expected, ops.meshgrid(*arrays, indexing=indexing)):
            np.testing.assert_allclose(ops.convert_to_numpy(g), e, rtol=1e-6)
        numpy_shapes.append(expected[0].shape)
    for s in symbolic:
        _assert_matches_numpy(s.shape, numpy_shapes)


def test_meshgrid_refuses_an_unknown_indexing():
    with pytest.raises(ValueError, match="indexing"):
        ops.meshgrid(np.arange(3), np.arange(2), indexing="kk")


@pytest.mark.parametrize("op, numpy_op, shape", [
    (ops.diagonal, np.diagonal, (None, 3, 3)), (ops.diag, np.diag, (None, 3)), (ops.diag, np.diag, (None,)),
    (lambda x: x[:5, 3:, 3:12:2], lambda x: x[:5, 3:, 3:12:2], (None, 5, 16)),
    (lambda x: x[..., -1], lambda x: x[..., -1], (None, 5, 16)),
    (lambda x: ops.dstack([x, x]), lambda x: np.dstack([x, x]), (None, 3)),
])
def test_placeholder_runs_leave_sizes_that_follow_an_unknown_one_unknown(op, numpy_op, shape):
    # Two large placeholder sizes agree on min(size, 3); NumPy on small sizes shows the size varies.
    _check(op, numpy_op, [shape])


def test_unknown_sizes_that_must_match_each_other():
    result = ops.dstack([KerasTensor((None, 3)), KerasTensor((None, None))])
    assert result.shape == (None, 3, 2)
    assert np.dstack([np.zeros((4, 3)), np.zeros((4, 3))]).shape == (4, 3, 2)


@pytest.mark.parametrize("key", [np.s_[:, 17, :], np.s_[..., 5, ...], np.s_[:, :, :, :], np.s_[..., -17]])
def test_get_item_refuses_keys_numpy_refuses(key):
    with pytest.raises(IndexError):  # also a ValueError, as Keras raises it
        np.zeros((2, 5, 16))[key]
    with pytest.raises(IndexingError) as raised:
        ops.get_item(KerasTensor((None, 5, 16)), key)
    assert isinstance(raised.value, ValueError)


def test_argmax_sees_negative_zero_below_a_subnormal():
    x = np.array([-1.0, -0.0, 1.401298464324817e-45], dtype=np.float32)
    assert int(ops.convert_to_numpy(ops.argmax(x))) == int(np.argmax(x)) == 2
    y = -x
    assert int(ops.convert_to_numpy(ops.argmin(y))) == int(np.argmin(y)) == 2


def test_unravel_index_of_symbolic_indices():
    coordinates = ops.unravel_index(KerasTensor((None,), "int32"), (2, 3))
    expected = np.unravel_index(np.arange(6), (2, 3))
    assert len(coordinates) == len(expected) == 2
    assert all(c.shape == (None,) and c.dtype == "int32" for c in coordinates)
    assert ops.unravel_index(KerasTensor((6,)), (2, 3))[0].shape == expected[0].shape


def test_diagonal_needs_two_dimensions():
    with pytest.raises(ValueError):
        np.diagonal(np.zeros(3))
    for x in (KerasTensor((3,)), np.zeros(3)):
        with pytest.raises(ValueError, match="two dimensions"):
            ops.diagonal(x)


def test_qr_checks_mode_and_rank_in_keras_words():
    with pytest.raises(ValueError, match=r"Expected one of \{'reduced', 'complete'\}\. Received: mode=full"):
        ops.qr(np.eye(2), mode="full")
    for x in (np.ones(3), KerasTensor((3,))):
        with pytest.raises(ValueError, match="rank >= 2"):
            ops.qr(x)
    q, r = ops.qr(KerasTensor((5, 3)))
    assert (q.shape, r.shape) == tuple(s.shape for s in np.linalg.qr(np.ones((5, 3))))
