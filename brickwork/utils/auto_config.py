"""A config derived from constructor arguments: Keras's automatic ``get_config`` for layers and operations
whose class does not write its own."""

from __future__ import annotations

import inspect

import optree


def auto_config(cls, args: tuple, kwargs: dict) -> dict | None:
    """The constructor arguments ``cls(*args, **kwargs)`` was called with (defaults filled in, ``name`` left
    out), when they are all plain values (str, int, float, bool, None, nested in lists or dicts) that
    ``cls(**config)`` can take back; else ``None``.

    Example:
        >>> class Scale(keras.layers.Layer):
        ...     def __init__(self, factor=2.0, **kwargs):
        ...         super().__init__(**kwargs)
        >>> auto_config(Scale, (), {"factor": 3.0})
        {'factor': 3.0}
    """
    signature = inspect.signature(cls.__init__)
    parameters = list(signature.parameters.values())[1:]
    if any(p.kind in (p.POSITIONAL_ONLY, p.VAR_POSITIONAL) for p in parameters):
        return None
    try:
        bound = signature.bind(None, *args, **kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    arguments.pop(next(iter(signature.parameters)))
    for parameter in parameters:
        if parameter.kind == parameter.VAR_KEYWORD:
            arguments.update(arguments.pop(parameter.name, {}))
    arguments.pop("name", None)
    plain = (str, int, float, bool, type(None))
    if not all(isinstance(leaf, plain) for leaf in optree.tree_leaves(arguments, none_is_leaf=True)):
        return None
    return arguments
