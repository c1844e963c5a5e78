"""``brickwork.tree`` against Keras 3's ``keras.tree`` on the same cases.

Keras has two implementations: optree (its jax backend) and torch's pytree (its torch backend). brickwork
follows the optree one (dicts sorted at every depth, namedtuple paths by position, structures checked
when mapping several), except where that one contradicts Keras's own documented examples:
``map_structure_up_to`` with ``None`` in the shallow structure, which the torch one gets right.
"""

import json
import pathlib
import warnings

import numpy as np

import brickwork as keras
from brickwork import tree
from tests.layers.keras_reference import run_keras_script
from tests.tree.tree_cases import run_cases

HERE = pathlib.Path(__file__).parent
AS_DOCUMENTED = {"up_to/len", "up_to/str"}  # Keras's optree implementation fails its docstring here

_KERAS_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
import keras
from tree_cases import run_cases
print(json.dumps(run_cases(keras.tree)))
"""


def _keras_results(keras_backend: str) -> dict:
    cases = (HERE / "tree_cases.py").read_text()
    output = run_keras_script(_KERAS_SCRIPT, str(HERE), keras_backend=keras_backend, depends_on=cases)
    return json.loads(output.strip().splitlines()[-1])


def test_every_case_matches_keras():
    ours = json.loads(json.dumps(run_cases(tree)))  # tuples become lists, as on Keras's side
    optree_based, torch_based = _keras_results("jax"), _keras_results("torch")
    assert ours.keys() == optree_based.keys()
    expected = {name: (torch_based if name in AS_DOCUMENTED else optree_based)[name] for name in ours}
    assert {name: ours[name] for name in ours if ours[name] != expected[name]} == {}
    assert all(ours[name][0] == "ok" for name in AS_DOCUMENTED)


def test_docstring_examples():
    assert tree.flatten_with_path([{"foo": 42}]) == [((0, "foo"), 42)]
    assert tree.map_structure(lambda x, y: x * y, [[1], [2]], [[3], [4]]) == [[3], [8]]
    assert tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2, 2]]) == [2, 3]
    assert tree.pack_sequence_as({"b": 0, "a": (0, 0)}, [1, 2, 3]) == {"b": 3, "a": (1, 2)}
    assert tree.lists_to_tuples([1, [2, {"a": [3]}]]) == (1, (2, {"a": (3,)}))
    visited = []
    tree.traverse(visited.append, [(1, 2), [3]])
    assert visited == [[(1, 2), [3]], (1, 2), 1, 2, [3], 3]


def test_tensors_are_leaves():
    x = keras.ops.ones((2, 3))
    leaves = tree.flatten({"x": x, "y": [np.zeros(2)]})
    assert len(leaves) == 2 and leaves[0] is x
    assert tree.map_structure(lambda t: tuple(t.shape), [x]) == [(2, 3)]


def test_registered_class_is_nested():
    @tree.register_tree_node_class
    class Pair:
        def __init__(self, a, b):
            self.a, self.b = a, b

        def tree_flatten(self):
            return (self.a, self.b), None

        @classmethod
        def tree_unflatten(cls, metadata, children):
            return cls(*children)

    doubled = tree.map_structure(lambda v: v * 2, Pair(1, [2]))
    assert isinstance(doubled, Pair) and (doubled.a, doubled.b) == (2, [4])
    assert tree.is_nested(Pair(1, 2))


def test_check_types_is_deprecated():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tree.assert_same_structure([1], [2], check_types=True)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


def test_pack_sequence_as_refuses_a_flat_sequence_that_is_not_iterable():
    import pytest

    with pytest.raises(TypeError, match="`flat_sequence` must be an iterable"):
        tree.pack_sequence_as([10, 20], 1)
    with pytest.raises(ValueError, match="`flat_sequence` has 2 leaves, but the structure holds 1"):
        tree.pack_sequence_as(10, [1, 2])
