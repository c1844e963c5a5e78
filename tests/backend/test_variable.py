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
    """Keras's wording: a name must be a string without '/'; an initializer needs a shape."""
    with pytest.raises(ValueError, match="Argument `name` must be a string and cannot contain character `/`"):
        backend.Variable(np.zeros(1), name="a/b")
    with pytest.raises(ValueError, match="Argument `name` must be a string"):
        backend.Variable(np.zeros(1), name=12345)
    with pytest.raises(ValueError, match="When creating a Variable from an initializer, the `shape` argument "
                                         "should be specified.*'w'"):
        backend.Variable("zeros", name="w")
    with pytest.raises(ValueError, match="When creating a Variable from an initializer"):
        backend.Variable(lambda: np.ones((2, 2)))
    with pytest.raises(ValueError, match="must be fully-defined"):
        backend.Variable("zeros", shape=(None, 2))


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


# ---- what Keras users rely on beyond storage (Keras 3.15.1's backend/common/variables_test.py pins these) ----

@pytest.mark.parametrize("initial, expected", [
    (np.ones((2, 2), "int32"), "int32"),
    (np.ones((2,), "float16"), "float16"),
    (np.ones((2,), "uint8"), "uint8"),
    ([[1, 1], [1, 1]], "int32"),
    ([[1.0, 1.0]], "float32"),
    (True, "bool"),
])
def test_an_array_value_gives_its_dtype_when_none_is_asked(initial, expected):
    """Without ``dtype``, a variable made from a value has the value's dtype (NumPy's, or Keras's for
    Python values); an initializer still gives floatx; an explicit ``dtype`` converts."""
    v = backend.Variable(initial, trainable=False)
    assert v.dtype == expected
    assert backend.standardize_dtype(v.value.dtype) == expected
    np.testing.assert_array_equal(v.numpy(), np.asarray(initial))
    native = backend.Variable(backend.convert_to_tensor(np.ones((2,), "int32")), trainable=False)
    assert native.dtype == "int32"
    assert backend.Variable("ones", shape=(2,)).dtype == backend.floatx()
    assert backend.Variable(np.ones((2,), "float64"), dtype="float32").dtype == "float32"


def _random_normal(shape, dtype=None):
    return np.random.default_rng(1).normal(size=shape)


def test_a_variable_created_in_a_stateless_scope_is_initialized_when_the_scope_exits():
    """Deferred: no stored value inside the scope, reads see the initializer's value, and the variable
    holds that same value once the outermost scope exits."""
    expected = _random_normal((2, 2)).astype("float32")
    with backend.StatelessScope():
        with backend.StatelessScope():
            v = backend.Variable(_random_normal, shape=(2, 2))
        assert v._value is None  # still inside the outer scope
        np.testing.assert_allclose(backend.convert_to_numpy(v + 1), expected + 1, rtol=1e-6)
        np.testing.assert_allclose(backend.convert_to_numpy(v.value), expected, rtol=1e-6)
        assert repr(v) == f"<Variable path={v.path}, shape=(2, 2), dtype=float32>"
    assert v._value is not None and tuple(v._value.shape) == (2, 2)
    np.testing.assert_allclose(v.numpy(), expected, rtol=1e-6)


def test_assignments_to_a_deferred_variable_stay_in_the_scope():
    with backend.StatelessScope() as scope:
        v = backend.Variable("zeros", shape=(2, 2))
        v.assign(np.zeros((2, 2)))
        v.assign_add(2 * np.ones((2, 2)))
        v.assign_sub(np.ones((2, 2)))
    np.testing.assert_allclose(backend.convert_to_numpy(scope.get_current_value(v)), np.ones((2, 2)))
    np.testing.assert_allclose(v.numpy(), np.zeros((2, 2)))


def test_deferred_initialization_errors():
    with (pytest.raises(ValueError, match="You are attempting to create a variable while in a stateless scope"),
          backend.StatelessScope()):
        backend.Variable(0.0)
    with backend.StatelessScope():
        v = backend.Variable("ones", shape=(2,))
        with pytest.raises(ValueError, match="You are attempting to initialize a variable while in a stateless "
                                             "scope. This is disallowed."):
            v._deferred_initialize()
    with pytest.raises(ValueError, match=f"Variable {v.path} is already initialized."):
        v._deferred_initialize()


def test_a_scope_that_does_not_initialize_leaves_the_variable_deferred():
    with backend.StatelessScope(initialize_variables=False):
        v = backend.Variable("ones", shape=(3,))
    assert v._value is None
    np.testing.assert_array_equal(v.numpy(), np.ones(3))  # read from the initializer meanwhile
    v._deferred_initialize()
    np.testing.assert_array_equal(backend.convert_to_numpy(v._value), np.ones(3))


def test_repr_shows_the_value_as_numpy_prints_it():
    v = backend.Variable(np.array([1.0, 2.0, 3.0], "float32"), name="test_var")
    assert repr(v) == f"<Variable path=test_var, shape=(3,), dtype=float32, value={np.array([1.0, 2.0, 3.0])}>"
    assert repr(v) == "<Variable path=test_var, shape=(3,), dtype=float32, value=[1. 2. 3.]>"


def test_constraint_and_regularizer_take_any_callable_or_none():
    v = backend.Variable("ones", shape=(2,))
    assert v.constraint is None and v.regularizer is None
    for attribute in ("constraint", "regularizer"):
        def function(w):
            return w * 0.5

        setattr(v, attribute, function)
        assert getattr(v, attribute) is function
        setattr(v, attribute, None)
        assert getattr(v, attribute) is None
        with pytest.raises(ValueError, match=f"Invalid value for attribute `{attribute}`"):
            setattr(v, attribute, "not callable")


def test_overwrite_with_gradient_is_a_boolean():
    v = backend.Variable("ones", shape=(2,))
    assert v.overwrite_with_gradient is False
    v.overwrite_with_gradient = True
    assert v.overwrite_with_gradient is True
    with pytest.raises(TypeError, match="`overwrite_with_gradient` must be a boolean."):
        v.overwrite_with_gradient = "true"


def test_python_conversions_follow_numpy():
    values = np.array([1.1, 2.5, -3.7, 0.5], "float32")
    v = backend.Variable(values)
    np.testing.assert_allclose(backend.convert_to_numpy(round(v)), np.round(values))
    np.testing.assert_allclose(backend.convert_to_numpy(round(v, 1)), np.round(values, 1), rtol=1e-6)
    scalar = backend.Variable(np.array(-1.7, "float32"))
    assert int(scalar) == int(np.float32(-1.7)) and float(scalar) == pytest.approx(float(np.float32(-1.7)))
    with pytest.raises(TypeError, match=r"Only scalar arrays can be converted to Python scalars. Got: shape=\(4,\)"):
        int(v)
    with pytest.raises(TypeError, match="Only scalar arrays can be converted to Python scalars."):
        float(v)
    with pytest.raises(TypeError, match="A Keras Variable cannot be used as a boolean."):
        bool(scalar)


def test_convert_to_tensor_method():
    v = backend.Variable(np.array([1.0, 2.0, 3.0], "float32"))
    converted = v._convert_to_tensor(np.array([1, 2]), dtype="float16")
    assert backend.is_tensor(converted) and backend.standardize_dtype(converted.dtype) == "float16"
    assert backend.standardize_dtype(v._convert_to_tensor([1, 2]).dtype) == "int32"
    np.testing.assert_array_equal(backend.convert_to_numpy(v._convert_to_tensor(v.value)), [1.0, 2.0, 3.0])


def test_autocast_scope_refuses_a_non_float_dtype():
    with pytest.raises(ValueError, match="`AutocastScope` can only be used with a floating-point target dtype"):
        backend.AutocastScope("int32")


@pytest.mark.parametrize("shape, message", [
    (None, "Undefined shapes are not supported."),
    (42, "Cannot convert '42' to a shape."),
    ((3, 4, 5.0), r"Cannot convert '\(3, 4, 5.0\)' to a shape. Found invalid dimension '5.0'"),
    ((3, "5"), "Found invalid dimension '5'"),
    ((3, object()), "Found invalid dimension .*object"),
    ((3, -5), "Negative dimensions are not allowed"),
])
def test_standardize_shape_errors(shape, message):
    with pytest.raises(ValueError, match=message):
        backend.standardize_shape(shape)


def test_standardize_shape_gives_python_ints_and_none():
    shape = backend.standardize_shape([3, np.int32(4), None, np.int64(5)])
    assert shape == (3, 4, None, 5) and type(shape) is tuple
    assert all(type(d) is int for d in shape if d is not None)


def _symbolic_dim():
    """A size the engine leaves symbolic (``None`` on NumPy, which has none)."""
    if backend.backend() == "jax":
        from jax import export

        return export.symbolic_shape("b")[0]
    if backend.backend() == "torch":
        from unittest.mock import create_autospec

        import torch

        return create_autospec(torch.SymInt, instance=True)
    return None


def test_standardize_shape_turns_an_engine_symbolic_size_into_none():
    """As Keras does for ``torch.export``'s SymInt and ``jax.export``'s dimension expressions."""
    dim = _symbolic_dim()
    assert backend.standardize_shape((dim, 224, 3)) == (None, 224, 3)
    assert backend.standardize_shape((3, dim, dim)) == (3, None, None)


def test_dtype_reports_the_autocast_dtype_inside_the_scope():
    """As in Keras: a float variable read under AutocastScope says the dtype it is read in."""
    from brickwork.backend import AutocastScope

    autocast = backend.Variable(np.ones(2, "float32"))
    kept = backend.Variable(np.ones(2, "float32"), autocast=False)
    integer = backend.Variable(np.ones(2, "int32"))
    with AutocastScope("float16"):
        assert (autocast.dtype, kept.dtype, integer.dtype) == ("float16", "float32", "int32")
        assert backend.standardize_dtype(autocast.value.dtype) == "float16"
    assert autocast.dtype == "float32"
