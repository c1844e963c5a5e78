"""What ``TFSMLayer`` (``layers/native/tfsm_layer.py``) needs from TensorFlow: a reloaded SavedModel's endpoints
and the ``tf.Variable`` objects they read.

The layer's Variables hold those very ``tf.Variable`` objects (not copies), so that training the layer changes
what the reloaded functions compute, and saving the layer's weights saves theirs.
"""

from __future__ import annotations

import tensorflow as tf

from brickwork.backend.tensorflow.core import Variable


def load(filepath: str):
    """The SavedModel at ``filepath``, through ``tf.saved_model.load``."""
    return tf.saved_model.load(filepath)


def endpoint(reloaded, name: str, argument: str):
    """The function called ``name`` in ``reloaded``: an attribute (``serve``), else a serving signature
    (``serving_default``); a ValueError listing both kinds otherwise.

    Args:
        reloaded: from ``load``.
        name: the endpoint's name.
        argument: the layer's argument that named it, for the error.
    """
    if isinstance(name, str) and hasattr(reloaded, name) and callable(getattr(reloaded, name)):
        return getattr(reloaded, name)
    signatures = getattr(reloaded, "signatures", {})
    if name in signatures:
        return signatures[name]
    attributes = sorted(attribute for attribute in dir(reloaded) if not attribute.startswith("_")
                        and isinstance(getattr(reloaded, attribute, None), tf.types.experimental.GenericFunction))
    raise ValueError(f"TFSMLayer: `{argument}={name!r}` is neither a function of the reloaded SavedModel nor one "
                     f"of its serving signatures. Its functions: {attributes}; its signatures: {sorted(signatures)}.")


def _function_variables(function) -> list:
    """The ``tf.Variable`` objects a reloaded function (or one of its signatures) reads."""
    concrete = getattr(function, "concrete_functions", None)
    functions = list(concrete) if concrete is not None else [function]
    found = []
    for each in functions:
        found.extend(each.variables)
    return found


def endpoint_variables(functions) -> tuple[list, list]:
    """The ``tf.Variable`` objects ``functions`` read, once each: ``(trainable, non_trainable)``."""
    trainable, non_trainable, seen = [], [], set()
    for function in functions:
        for variable in _function_variables(function):
            if variable.ref() in seen:
                continue
            seen.add(variable.ref())
            (trainable if variable.trainable else non_trainable).append(variable)
    return trainable, non_trainable


class _SharedVariable(Variable):
    # A Variable whose storage is an existing tf.Variable (a reloaded SavedModel's): assigning to it, or
    # training it, changes what the SavedModel's functions read.

    def __init__(self, tf_variable: tf.Variable, name: str):
        self._shared = tf_variable
        super().__init__(tf_variable, dtype=tf_variable.dtype.name, trainable=tf_variable.trainable, name=name)

    def _initialize(self, value) -> None:
        self._value = self._shared


def share_variable(tf_variable: tf.Variable) -> Variable:
    """A brickwork ``Variable`` holding ``tf_variable`` itself (named after it, ``/`` and ``:0`` left out)."""
    name = tf_variable.name.split(":")[0].replace("/", "_") or "variable"
    return _SharedVariable(tf_variable, name)
