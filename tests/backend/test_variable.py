"""Variable: engine-native storage, assignment, conversion and arithmetic."""

import numpy as np
import pytest

from brickwork import backend, ops


def test_attributes_and_initializers():
    with backend.name_scope("block"):
        v = backend.Variable(initializer="ones", shape=(2, 3), name="w", trainable=False)
    assert v.shape == (2, 3) and v.dtype == "float32" and v.ndim == 2
    assert v.name == "w" and v.path == "block/w" and not v.trainable
    np.testing.assert_array_equal(v.numpy(), np.ones((2, 3)))
    assert backend.is_tensor(v.value)
    from_value = backend.Variable(np.arange(3), dtype="int32")
    assert from_value.dtype == "int32"
    np.testing.assert_array_equal(np.asarray(from_value), [0, 1, 2])


def test_assign_add_sub_and_shape_errors():
    v = backend.Variable(np.zeros(3, "float32"), name="v")
    v.assign([1.0, 2.0, 3.0])
    v.assign_add(np.ones(3, "float32"))
    v.assign_sub([0.5, 0.5, 0.5])
    np.testing.assert_allclose(v.numpy(), [1.5, 2.5, 3.5])
    with pytest.raises(ValueError, match=r"v.*\(2,\).*\(3,\)"):
        v.assign([1.0, 2.0])


def test_arithmetic_and_ops_accept_variables():
    v = backend.Variable(np.array([1.0, 2.0], "float32"))
    np.testing.assert_allclose(backend.convert_to_numpy(v + 1), [2.0, 3.0])
    np.testing.assert_allclose(backend.convert_to_numpy(2 * v), [2.0, 4.0])
    np.testing.assert_allclose(backend.convert_to_numpy(-v), [-1.0, -2.0])
    np.testing.assert_allclose(backend.convert_to_numpy(ops.matmul(v, v)), 5.0)
    assert float(ops.sum(v)) == 3.0


def test_stateless_scope_reads_and_records_without_mutating():
    v = backend.Variable(np.zeros(2, "float32"))
    replacement = backend.convert_to_tensor(np.full(2, 7.0, "float32"))
    with backend.StatelessScope(state_mapping=[(v, replacement)]) as scope:
        np.testing.assert_allclose(backend.convert_to_numpy(v.value), [7.0, 7.0])
        v.assign(np.ones(2, "float32"))
        np.testing.assert_allclose(backend.convert_to_numpy(scope.get_current_value(v)), [1.0, 1.0])
    np.testing.assert_allclose(v.numpy(), [0.0, 0.0])


def test_name_validation():
    with pytest.raises(ValueError, match="without '/'"):
        backend.Variable(np.zeros(1), name="a/b")
    with pytest.raises(ValueError, match="shape"):
        backend.Variable("zeros")


def test_stateless_scope_is_public_at_the_top_level_with_an_iterable_mapping():
    """``keras.StatelessScope`` (KerasHub's generate loop opens one with an ``itertools.chain`` of pairs)."""
    import itertools

    import brickwork

    v = backend.Variable(np.ones((2,), "float32"))
    with brickwork.StatelessScope(state_mapping=itertools.chain(zip([v], [np.full((2,), 3.0, "float32")]))) as scope:
        np.testing.assert_allclose(ops.convert_to_numpy(v + 0.0), [3.0, 3.0])
        v.assign(np.zeros((2,), "float32"))
    np.testing.assert_allclose(ops.convert_to_numpy(scope.get_current_value(v)), [0.0, 0.0])
    np.testing.assert_allclose(ops.convert_to_numpy(v), [1.0, 1.0])


def test_convert_to_numpy_is_a_copy_that_later_updates_leave_alone():
    """As in Keras: the array keeps the value it had, whatever happens to the variable afterwards."""
    variable = backend.Variable(np.ones(3, "float32"))
    array = backend.convert_to_numpy(variable)
    variable.assign(np.zeros(3, "float32"))
    np.testing.assert_array_equal(array, np.ones(3, "float32"))


def test_convert_to_numpy_gives_a_writable_array_on_every_backend():
    """Keras returns a NumPy array the caller owns: writing to it never fails and never reaches the tensor."""
    tensor = backend.convert_to_tensor(np.arange(3, dtype="float32"))
    array = backend.convert_to_numpy(tensor)
    array[0] = 7.0
    np.testing.assert_array_equal(backend.convert_to_numpy(tensor), [0.0, 1.0, 2.0])
