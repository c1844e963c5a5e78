"""``dtype_utils``, ``python_utils`` and ``tracking``: against NumPy's dtype rules and plain Python."""

import collections

import ml_dtypes
import numpy as np
import pytest

from brickwork import backend, ops, tree
from brickwork.utils import dtype_utils, python_utils, tracking


@pytest.mark.parametrize("name", ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
                                  "uint16", "uint32", "uint64", "bfloat16", "complex64"])
def test_dtype_size_is_the_item_size_in_bits(name):
    numpy_dtype = ml_dtypes.bfloat16 if name == "bfloat16" else np.dtype(name)
    assert dtype_utils.dtype_size(name) == np.dtype(numpy_dtype).itemsize * 8


def test_dtype_size_of_bool_and_unknown():
    assert dtype_utils.dtype_size("bool") == 1
    with pytest.raises(ValueError, match="unknown_dtype"):
        dtype_utils.dtype_size("unknown_dtype")


@pytest.mark.parametrize("dtypes, expected", [
    (("float16", "float32"), "float32"), (("float16", "uint8"), "float16"), (("float32", "int32", "bool"), "float32"),
    (("float16", "bfloat16"), "float32"), (("float16", "bfloat16", "float64"), "float64"),
])
def test_cast_to_common_dtype_promotes_the_floats(dtypes, expected):
    tensors = [ops.ones((2,), dtype=d) for d in dtypes]
    assert [backend.standardize_dtype(t.dtype) for t in dtype_utils.cast_to_common_dtype(tensors)] == \
        [expected] * len(dtypes)


def test_cast_to_common_dtype_without_floats_changes_nothing():
    tensors = [backend.KerasTensor((2,), dtype="int32"), backend.KerasTensor((2,), dtype="uint8")]
    assert [t.dtype for t in dtype_utils.cast_to_common_dtype(tensors)] == ["int32", "uint8"]


def test_func_dump_and_load_round_trip_with_closure_and_defaults():
    offset = 10

    def shifted(x, scale=(1, 2)):
        return x * scale[1] + offset

    loaded = python_utils.func_load(python_utils.func_dump(shifted))
    assert loaded(3) == shifted(3) == 16 and loaded.__defaults__ == ((1, 2),)


def test_func_load_names_data_that_is_not_code():
    with pytest.raises(AttributeError, match="not a marshalled Python function"):
        python_utils.func_load("This isn't valid base64!")


@pytest.mark.parametrize("axis, expected", [(1, True), ([2], True), ([1, 2, 3], True), ([3, 2, 1], True),
                                            ([-2, -1], True), ([1, 3], False), ([-1, -3], False)])
def test_is_continuous_axis(axis, expected):
    assert python_utils.is_continuous_axis(axis) is expected


def test_remove_long_seq_keeps_the_shorter_ones():
    assert python_utils.remove_long_seq(3, [[1], [2, 2], [3, 3, 3]], [1, 2, 3]) == ([[1], [2, 2]], [1, 2])


@pytest.fixture
def tracked():
    variables = []
    tracker = tracking.Tracker({"variables": (lambda x: isinstance(x, backend.Variable), variables)})
    return tracker, variables


def test_a_tracked_list_keeps_the_store_in_step(tracked):
    tracker, variables = tracked
    v1, v2 = backend.Variable(1.0), backend.Variable(2.0)
    items = tracker.track([v1, 0.5])
    assert isinstance(items, tracking.TrackedList) and variables == [v1]
    items.append(v2)
    items.remove(v1)
    assert variables == [v2]
    del items[-1]
    assert variables == [] and items == [0.5]


def test_tracked_dicts_and_tuples(tracked):
    tracker, variables = tracked
    v1, v2 = backend.Variable(1.0), backend.Variable(2.0)
    point = collections.namedtuple("Point", "x y")
    assert tracker.track(point(v1, 3)) == point(v1, 3) and variables == [v1]
    ordered = tracker.track(collections.OrderedDict([("b", v2)]))
    assert isinstance(ordered, collections.OrderedDict) and variables == [v1, v2]
    ordered.pop("b")
    assert variables == [v1]


def test_tracked_containers_are_nested_structures_like_the_plain_ones():
    assert tree.flatten(tracking.TrackedList([1, [2, 3]])) == tree.flatten([1, [2, 3]])
    assert tree.flatten(tracking.TrackedDict({"b": 2, "a": 1})) == tree.flatten({"b": 2, "a": 1})
    assert tree.is_nested(tracking.TrackedSet([1])) and not tree.is_nested({1})
    mapped = tree.map_structure(lambda x: x * 2, tracking.TrackedList([1, 2]))
    assert isinstance(mapped, tracking.TrackedList) and mapped == [2, 4]
