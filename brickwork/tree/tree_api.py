"""Nested structures — lists, tuples, namedtuples, dicts, ``None`` — as ``keras.tree`` sees them.

Everything goes through optree with ``None`` as a leaf (Keras's convention) and dict keys in sorted
order (``OrderedDict`` keeps its own order). Classes registered with ``register_tree_node_class``
join the ``"brickwork"`` namespace and become nested structures too.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import optree

_NAMESPACE = "brickwork"
_MISMATCH = "The two structures don't have the same nested structure."


class MAP_TO_NONE:  # noqa: N801 (Keras's public name)
    """Returned by a ``traverse`` function to put ``None`` in place of a sub-structure.

    Example:
        keras.tree.traverse(lambda x: keras.tree.MAP_TO_NONE if x == 2 else None, [1, 2])  # [1, None]
    """


def register_tree_node_class(cls):
    """Class decorator: instances of ``cls`` become nested structures (``tree_flatten`` / ``tree_unflatten``).

    Returns:
        ``cls`` itself, now registered.

    Example:
        @keras.tree.register_tree_node_class
        class Pair:
            def __init__(self, a, b): self.a, self.b = a, b
            def tree_flatten(self): return (self.a, self.b), None
            @classmethod
            def tree_unflatten(cls, metadata, children): return cls(*children)
    """
    return optree.register_pytree_node_class(cls, namespace=_NAMESPACE)


def _is_leaf(x, is_leaf=None) -> bool:
    return optree.tree_is_leaf(x, is_leaf=is_leaf, none_is_leaf=True, namespace=_NAMESPACE)


def _spec(structure, is_leaf=None):
    return optree.tree_structure(structure, is_leaf=is_leaf, none_is_leaf=True, namespace=_NAMESPACE)


def is_nested(structure) -> bool:
    """Whether ``structure`` is a container (list, tuple, namedtuple, dict, registered class).

    Args:
        structure: any object.

    Returns:
        ``True`` for a container ``tree`` looks inside, ``False`` for a leaf.

    Example:
        keras.tree.is_nested({"a": 1})  # True
        keras.tree.is_nested(42)  # False
    """
    return not _is_leaf(structure)


def flatten(structure) -> list:
    """The leaves of ``structure``, depth first, dict values in sorted key order (``None`` is a leaf).

    Args:
        structure: a leaf or a nesting of lists, tuples, namedtuples, dicts and registered classes.

    Returns:
        A list of the leaves.

    Example:
        keras.tree.flatten({"b": [1, 2], "a": None})  # [None, 1, 2]
    """
    return optree.tree_leaves(structure, none_is_leaf=True, namespace=_NAMESPACE)


def flatten_with_path(structure) -> list[tuple[tuple, Any]]:
    """``(path, leaf)`` pairs, where a path is the tuple of indices and keys leading to the leaf.

    Args:
        structure: a leaf or a nesting of lists, tuples, namedtuples, dicts and registered classes.

    Returns:
        A list of ``(path, leaf)`` tuples, in the order of ``flatten``.

    Example:
        keras.tree.flatten_with_path([{"foo": 42}])  # [((0, "foo"), 42)]
    """
    paths, leaves, _ = optree.tree_flatten_with_path(structure, none_is_leaf=True, namespace=_NAMESPACE)
    return list(zip(paths, leaves))


def _check_leaves(args) -> None:
    """Inside a multi-structure map, every argument must be a leaf where the first one is."""
    if not all(_is_leaf(arg) for arg in args):
        raise ValueError(_MISMATCH)


def map_structure(func: Callable, *structures, none_is_leaf: bool = True):
    """Apply ``func`` to the leaves of ``structures`` (all nested the same way); return the same nesting.

    Args:
        func: called with one leaf of each structure.
        *structures: one or more structures of the same layout.
        none_is_leaf: if False, ``None`` entries are kept as they are and not passed to ``func``.

    Returns:
        A structure of the same nesting as the first of ``structures``, holding ``func``'s results.

    Example:
        keras.tree.map_structure(lambda x, y: x * y, [[1], [2]], [[3], [4]])  # [[3], [8]]
    """
    if not structures:
        raise ValueError("map_structure: give at least one structure to map over.")
    if not none_is_leaf:
        mapped = func

        def func(*args):  # noqa: F811 (wraps the user's function)
            if args[0] is None:
                if any(arg is not None for arg in args):
                    raise ValueError(f"map_structure: some arguments are None and others are not: {args}.")
                return None
            return mapped(*args)

    if len(structures) > 1:
        first = func

        def func(*args):  # noqa: F811
            _check_leaves(args[1:])
            return first(*args)

    try:
        return optree.tree_map(func, *structures, none_is_leaf=True, namespace=_NAMESPACE)
    except ValueError as error:
        raise ValueError(f"{_MISMATCH} {error}") from None


def map_structure_up_to(shallow_structure, func: Callable, *structures):
    """Like ``map_structure``, but only down to the leaves of ``shallow_structure``.

    ``func`` receives the sub-structures of ``structures`` found where ``shallow_structure`` has a leaf,
    so those may be nested deeper than ``shallow_structure`` (but not shallower).

    Args:
        shallow_structure: the nesting to map over; its leaves mark where ``func`` is called.
        func: called with one sub-structure of each of ``structures``.
        *structures: structures nested at least as deeply as ``shallow_structure``.

    Returns:
        A structure of the nesting of ``shallow_structure`` holding ``func``'s results.

    Example:
        keras.tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2, 2]])  # [2, 3]
    """
    if not structures:
        raise ValueError("map_structure_up_to: give at least one structure to map over.")
    try:
        return optree.tree_map(lambda _, *args: func(*args), shallow_structure, *structures, none_is_leaf=True,
                               namespace=_NAMESPACE)
    except ValueError as error:
        raise ValueError(f"{_MISMATCH} {error}") from None


def assert_same_structure(a, b, check_types: bool | None = None) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` are nested the same way (leaves may differ).

    Lists, tuples and namedtuples are different containers; dicts match dicts with the same keys.
    ``check_types`` is deprecated and has no effect (as in Keras).

    Args:
        a: the first structure.
        b: the second structure.
        check_types: deprecated and ignored.

    Returns:
        ``None``; a ``ValueError`` says where the nestings differ.

    Example:
        keras.tree.assert_same_structure([(0, 1)], [(2, 3)])  # passes
    """
    if check_types is not None:
        warnings.warn("assert_same_structure: `check_types` is deprecated and has no effect; for a looser check "
                      "use keras.tree.assert_same_paths.", DeprecationWarning, stacklevel=2)
    try:
        optree.tree_map(lambda _, b_leaf: _check_leaves((b_leaf,)), a, b, none_is_leaf=True, namespace=_NAMESPACE)
    except ValueError as error:
        raise ValueError(f"{_MISMATCH} {error}") from None


def assert_same_paths(a, b) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same set of leaf paths (container types may differ).

    Args:
        a: the first structure.
        b: the second structure.

    Returns:
        ``None``; a ``ValueError`` names the paths found in only one of them.

    Example:
        keras.tree.assert_same_paths([1, {"x": 2}], (1, {"x": 3}))  # passes
    """
    a_paths = {path for path, _ in flatten_with_path(a)}
    b_paths = {path for path, _ in flatten_with_path(b)}
    if a_paths != b_paths:
        message = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            message += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
        if b_paths - a_paths:
            message += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
        raise ValueError(message)


def pack_sequence_as(structure, flat_sequence):
    """Put the items of ``flat_sequence`` into the nesting of ``structure`` (the inverse of ``flatten``).

    Args:
        structure: the nesting to rebuild (its leaves are ignored).
        flat_sequence: the new leaves, as many as ``structure`` has, in the order ``flatten`` gives.

    Returns:
        A structure of the nesting of ``structure`` holding the items of ``flat_sequence``.

    Example:
        keras.tree.pack_sequence_as({"b": 0, "a": (0, 0)}, [1, 2, 3])  # {"b": 3, "a": (1, 2)}
    """
    if not hasattr(flat_sequence, "__iter__"):
        raise TypeError(f"pack_sequence_as: `flat_sequence` must be an iterable (a list of leaves); received "
                        f"{type(flat_sequence).__name__}.")
    flat_sequence = list(flat_sequence)
    spec = _spec(structure)
    if spec.num_leaves != len(flat_sequence):
        raise ValueError(f"pack_sequence_as: `flat_sequence` has {len(flat_sequence)} leaves, but the structure "
                         f"holds {spec.num_leaves}.")
    return optree.tree_unflatten(spec, flat_sequence)


def traverse(func: Callable, structure, top_down: bool = True):
    """Visit every sub-structure of ``structure`` depth first, and rebuild it from ``func``'s answers.

    Top down, ``func(sub)`` returning ``None`` means "go inside"; anything else replaces ``sub`` without
    visiting its children. Bottom up, children are visited first and ``None`` keeps ``sub`` as rebuilt.
    Return ``MAP_TO_NONE`` to put ``None`` in the result.

    Args:
        func: called with each sub-structure (the whole structure included); its answer replaces it, ``None`` as
            described above.
        structure: a leaf or a nesting of lists, tuples, namedtuples, dicts and registered classes.
        top_down: if ``True`` (default), visit a structure before its children, else after.

    Returns:
        The rebuilt structure.

    Example:
        visited = []
        keras.tree.traverse(visited.append, [(1, 2), [3]])
        visited  # [[(1, 2), [3]], (1, 2), 1, 2, [3], 3]
    """

    def rebuilt_children():
        if _is_leaf(structure):
            return structure
        children, spec = optree.tree_flatten(structure, is_leaf=lambda x: x is not structure, none_is_leaf=True,
                                             namespace=_NAMESPACE)
        return optree.tree_unflatten(spec, [traverse(func, child, top_down=top_down) for child in children])

    if top_down:
        result = func(structure)
        if result is None:
            return rebuilt_children()
    else:
        rebuilt = rebuilt_children()
        result = func(rebuilt)
        if result is None:
            return rebuilt
    return None if result is MAP_TO_NONE else result


def lists_to_tuples(structure):
    """``structure`` with every list turned into a tuple.

    Args:
        structure: a leaf or a nesting of lists, tuples, namedtuples, dicts and registered classes.

    Returns:
        A structure like ``structure`` with tuples where it had lists; the leaves are the same objects.

    Example:
        keras.tree.lists_to_tuples([1, [2, {"a": [3]}]])  # (1, (2, {"a": (3,)}))
    """
    return traverse(lambda x: tuple(x) if isinstance(x, list) else None, structure, top_down=False)


def _is_shape(x) -> bool:
    return isinstance(x, (list, tuple)) and all(isinstance(dim, (int, type(None))) for dim in x)


def map_shape_structure(func: Callable, structure):
    """``map_structure`` that treats shapes — lists or tuples of ints and ``None`` — as leaves.

    Args:
        func: called with each shape (and each other leaf), returning its replacement.
        structure: a leaf or a nesting of lists, tuples, namedtuples, dicts and registered classes.

    Returns:
        A structure of the same nesting holding ``func``'s results.

    Example:
        keras.tree.map_shape_structure(lambda s: s + (1,), {"x": (None, 3), "y": [(2,), (4, 5)]})
        # {"x": (None, 3, 1), "y": [(2, 1), (4, 5, 1)]}
    """
    return optree.tree_map(func, structure, is_leaf=_is_shape, none_is_leaf=True, namespace=_NAMESPACE)
