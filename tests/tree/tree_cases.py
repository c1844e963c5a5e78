"""Cases run through both ``brickwork.tree`` and Keras 3's ``keras.tree``; imported by either side.

``run_cases(tree)`` returns, per case, a canonical description of the result (or of the error raised),
so that two processes can compare answers without sharing classes.
"""

import collections

Point = collections.namedtuple("Point", ["y", "x"])
OrderedDict = collections.OrderedDict

STRUCTURES = {
    "leaf": 3,
    "none": None,
    "list": [1, [2, 3], (4, None)],
    "dict": {"b": 1, "a": [2, {"d": 3, "c": 4}]},
    "ordered": OrderedDict([("b", 1), ("a", 2)]),
    "namedtuple": Point(y=1, x={"q": 2, "p": (3,)}),
    "mixed": [{"z": (1, 2)}, Point(3, None), [[4]]],
    "empty": [[], (), {}],
}


def canonical(x):
    """A description of ``x`` that compares across processes (types by name, dict items sorted)."""
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return ("namedtuple", type(x).__name__, tuple(canonical(v) for v in x))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, tuple(canonical(v) for v in x))
    if isinstance(x, dict):
        items = [(repr(k), canonical(v)) for k, v in x.items()]
        ordered = type(x).__name__ == "OrderedDict"
        return (type(x).__name__, tuple(items if ordered else sorted(items)))
    if isinstance(x, type):
        return ("type", x.__name__)
    return ("leaf", repr(x))


def _try(fn):
    try:
        return ("ok", canonical(fn()))
    except (ValueError, TypeError) as error:
        return ("error", "ValueError" if isinstance(error, ValueError) else "TypeError")


def _visits(tree, structure, top_down):
    seen = []
    tree.traverse(lambda x: seen.append(x), structure, top_down=top_down)
    return seen


def run_cases(tree):
    results = {}
    for name, s in STRUCTURES.items():
        results[f"is_nested/{name}"] = _try(lambda: tree.is_nested(s))
        results[f"flatten/{name}"] = _try(lambda: tree.flatten(s))
        results[f"flatten_with_path/{name}"] = _try(lambda: tree.flatten_with_path(s))
        results[f"map/{name}"] = _try(lambda: tree.map_structure(lambda v: ("m", v), s))
        results[f"map_two/{name}"] = _try(lambda: tree.map_structure(lambda a, b: (a, b), s, s))
        results[f"pack/{name}"] = _try(lambda: tree.pack_sequence_as(s, list(range(len(tree.flatten(s))))))
        results[f"lists_to_tuples/{name}"] = _try(lambda: tree.lists_to_tuples(s))
        results[f"traverse_down/{name}"] = _try(lambda: _visits(tree, s, True))
        results[f"traverse_up/{name}"] = _try(lambda: _visits(tree, s, False))
        results[f"same_structure_self/{name}"] = _try(lambda: tree.assert_same_structure(s, s))
        results[f"same_paths_self/{name}"] = _try(lambda: tree.assert_same_paths(s, s))
    pairs = {
        "list_tuple": ([1, 2], (1, 2)),
        "dict_keys": ({"a": 1}, {"b": 1}),
        "dict_ordered": ({"a": 1, "b": 2}, OrderedDict([("a", 1), ("b", 2)])),
        "deeper": ([1, 2], [1, [2]]),
        "length": ([1, 2], [1, 2, 3]),
        "namedtuple_tuple": (Point(1, 2), (1, 2)),
        "none_vs_leaf": ([None, 1], [2, 1]),
    }
    for name, (a, b) in pairs.items():
        results[f"same_structure/{name}"] = _try(lambda: tree.assert_same_structure(a, b))
        results[f"same_paths/{name}"] = _try(lambda: tree.assert_same_paths(a, b))
        results[f"map_pair/{name}"] = _try(lambda: tree.map_structure(lambda x, y: (x, y), a, b))
    results["up_to/len"] = _try(lambda: tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2, 2]]))
    results["up_to/str"] = _try(lambda: tree.map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]]))
    results["up_to/two"] = _try(lambda: tree.map_structure_up_to({"a": 0, "b": 0}, lambda x, y: (x, y),
                                                                 {"a": [1], "b": 2}, {"a": 3, "b": (4,)}))
    results["up_to/shallower"] = _try(lambda: tree.map_structure_up_to([0, [0, 0]], str, [1, 2]))
    results["pack/too_short"] = _try(lambda: tree.pack_sequence_as([0, 0, 0], [1, 2]))
    results["pack/too_long"] = _try(lambda: tree.pack_sequence_as([0, 0], [1, 2, 3]))
    results["pack/leaf"] = _try(lambda: tree.pack_sequence_as(0, [5]))
    results["map/none_not_leaf"] = _try(lambda: tree.map_structure(lambda v: v * 2, [1, None, {"a": None}],
                                                                   none_is_leaf=False))
    results["map/no_structure"] = _try(lambda: tree.map_structure(len))
    results["traverse/map_to_none"] = _try(
        lambda: tree.traverse(lambda x: tree.MAP_TO_NONE if x == 2 else None, [1, 2, (3, 2)]))
    results["traverse/stop"] = _try(lambda: tree.traverse(lambda x: "cut" if isinstance(x, tuple) else None,
                                                          [1, (2, [3]), {"a": (4,)}]))
    results["traverse/up_replace"] = _try(
        lambda: tree.traverse(lambda x: sum(x) if isinstance(x, list) else None, [1, [2, 3], (4, [5])],
                              top_down=False))
    results["shape/basic"] = _try(lambda: tree.map_shape_structure(lambda s: ("shape", tuple(s)),
                                                                  {"x": (None, 3), "y": [(2,), [4, 5]], "z": ()}))
    results["shape/nested_lists"] = _try(lambda: tree.map_shape_structure(len, [[1, 2], [[3], (None,)]]))
    return results
