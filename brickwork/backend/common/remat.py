"""Rematerialization (gradient checkpointing): recompute activations in the backward pass to save memory.

``remat(f)`` wraps a function with the engine's checkpointing (``torch.utils.checkpoint`` on torch,
``jax.checkpoint`` on JAX; the NumPy engine has no backward pass, so ``f`` runs unchanged).
``RematScope`` chooses which layers created inside it are rematerialized when called:

- ``"full"``: every layer;
- ``"activations"``: only the activation function of layers that have one (``Dense(..., activation=...)``);
- ``"larger_than"``: layers whose output has more than ``output_size_threshold`` elements;
- ``"list_of_layers"``: the layers named in ``layer_names``;
- ``None``: none (turns an enclosing scope off).

Example:
    >>> import brickwork as keras
    >>> with keras.RematScope(mode="full"):
    ...     layer = keras.layers.Dense(64, activation="relu")
    >>> y = layer(keras.ops.ones((8, 32)))  # same values; activations recomputed when differentiated
"""

from __future__ import annotations

import collections

from brickwork.backend.common import global_state

MODES = ("full", "activations", "larger_than", "list_of_layers", None)

RematMode = collections.namedtuple("RematMode", ["mode", "output_size_threshold", "layer_names"])


class RematScope:
    """Layers created inside this scope are rematerialized as ``mode`` says (see the module docstring).

    Args:
        mode: ``"full"``, ``"activations"``, ``"larger_than"``, ``"list_of_layers"`` or ``None``.
        output_size_threshold: for ``"larger_than"``, the output size (elements) above which a layer is
            rematerialized.
        layer_names: for ``"list_of_layers"``, the names of the layers to rematerialize.

    Example:
    >>> with keras.RematScope(mode="full"):
    ...     layer = keras.layers.Dense(4)   # recomputes its activations in the backward pass
    """

    def __init__(self, mode="full", output_size_threshold=1024, layer_names=None):
        if mode not in MODES:
            raise ValueError(
                f"RematScope: `mode` must be one of 'full', 'activations', 'larger_than', 'list_of_layers' "
                f"or None; received mode={mode!r}."
            )
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = list(layer_names or [])
        self._entered = False

    def __enter__(self):
        stack = global_state.get_global_attribute("remat_scope_stack", default=[], set_to_default=True)
        stack.append(self)
        self._entered = True
        return self

    def __exit__(self, *exc):
        if self._entered:
            global_state.get_global_attribute("remat_scope_stack").pop()
            self._entered = False


def get_current_remat_mode() -> RematMode | None:
    """The innermost ``RematScope``'s settings as a ``RematMode``, or ``None`` outside every scope.

        Returns:
            A ``RematMode`` (its ``mode``, ``output_size_threshold`` and ``layer_names``), or ``None``.

        Example:
        >>> with keras.RematScope(mode="full"):
        ...     mode = keras.backend.get_current_remat_mode().mode   # 'full'
        >>> keras.backend.get_current_remat_mode()   # None
    """
    stack = global_state.get_global_attribute("remat_scope_stack")
    if not stack:
        return None
    scope = stack[-1]
    return RematMode(scope.mode, scope.output_size_threshold, scope.layer_names)


def remat(f):
    """``f`` wrapped so that the engine recomputes its intermediate values in the backward pass.

    This trades compute for memory: the activations inside ``f`` are not kept for the gradient.

    Args:
        f: a function of tensors returning tensors.

    Returns:
        A function with the signature and results of ``f``.

    Example:
        >>> import brickwork as keras
        >>> heavy = keras.remat(lambda x: keras.ops.tanh(x) ** 2)
        >>> heavy(keras.ops.ones((4,)))
    """
    from brickwork import backend

    return backend.active.core.remat(f)
