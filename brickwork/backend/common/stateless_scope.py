"""``StatelessScope``: run code with variable values supplied from outside.

Inside the scope, ``variable.value`` returns the supplied value and
``variable.assign`` records the new value in the scope instead of mutating the
variable. This is how the JAX trainer makes a layer's ``call`` a pure function.

Example:
    with StatelessScope(state_mapping=[(kernel, new_value)]) as scope:
        y = layer(x)
        updated = scope.get_current_value(some_variable)
"""

from __future__ import annotations

import numpy as np

from brickwork.backend.common import global_state


class StatelessScope:
    """A context in which variables read their values from a mapping and record assignments there.

    Inside the scope, reading a variable listed in ``state_mapping`` gives the value mapped to it, and
    ``variable.assign(...)`` stores the new value in the scope (read it back with
    ``get_current_value``) instead of changing the variable. This makes a layer call a pure function
    of the values passed in, as the jax trainer needs.

    Args:
        state_mapping: pairs ``(variable, value)``; each value must have its variable's shape (a
            variable given as the value stands for its current value).
        collect_losses: if ``True``, losses added with ``add_loss`` inside the scope are gathered in
            the scope's ``losses`` list.
        initialize_variables: if ``True`` (default), variables created inside the outermost scope
            get their initial values when it exits.

    Example:
    >>> v = keras.Variable([1.0, 2.0])
    >>> with keras.StatelessScope([(v, ops.convert_to_tensor([5.0, 6.0]))]) as scope:
    ...     doubled = v * 2   # [10.0, 12.0]
    ...     v.assign([0.0, 1.0])
    ...     new = scope.get_current_value(v)   # [0.0, 1.0]
    >>> v.numpy()   # [1.0, 2.0]: the variable itself is unchanged
    """

    def __init__(self, state_mapping=(), collect_losses=False, initialize_variables=True):
        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self.state_mapping = {}
        for variable, value in state_mapping:
            self.state_mapping[id(variable)] = _checked_value(variable, value)
        self._parent = None

    def __enter__(self):
        self._parent = global_state.STATE.stateless_scope
        global_state.STATE.stateless_scope = self
        return self

    def __exit__(self, *exc):
        global_state.STATE.stateless_scope = self._parent
        # Back outside every scope: variables created inside get their values now.
        if (self._parent is None and self.initialize_variables
                and getattr(global_state.STATE, "uninitialized_variables", None)):
            from brickwork.backend.common.variables import initialize_all_variables

            initialize_all_variables()

    def add_update(self, variable, value) -> None:
        self.state_mapping[id(variable)] = value

    def get_current_value(self, variable):
        return self.state_mapping.get(id(variable))

    def add_loss(self, loss) -> None:
        self.losses.append(loss)


def in_stateless_scope() -> bool:
    """Whether code runs inside a ``StatelessScope``.

    Returns:
        ``True`` inside a ``StatelessScope``, else ``False``.

    Example:
    >>> keras.backend.in_stateless_scope()   # False
    >>> with keras.StatelessScope():
    ...     inside = keras.backend.in_stateless_scope()   # True
    """
    return global_state.STATE.stateless_scope is not None


def get_stateless_scope():
    """The innermost ``StatelessScope`` code runs in.

    Returns:
        The active ``StatelessScope``, or ``None`` outside of any.

    Example:
    >>> with keras.StatelessScope() as scope:
    ...     same = keras.backend.get_stateless_scope() is scope   # True
    >>> keras.backend.get_stateless_scope()   # None
    """
    return global_state.STATE.stateless_scope


def _checked_value(variable, value):
    """``value`` for ``variable`` in a state mapping (a Variable given as the value gives its value).

    Built once per traced step under ``jax.jit``, so the checks cost nothing per compiled step.
    """
    from brickwork.backend.common.variables import Variable

    if not isinstance(variable, Variable):
        raise ValueError(  # noqa: TRY004 - Keras raises ValueError here
            "Invalid reference variable in StatelessScope: all keys in argument `mapping` must be Variable "
            f"instances. Received {type(variable).__name__}: {variable!r}"
        )
    if isinstance(value, Variable):
        value = value.value
    shape = np.shape(value)
    if tuple(shape) != tuple(variable.shape):
        raise ValueError(
            "Invalid variable value in StatelessScope: all values in argument `mapping` must be tensors with a "
            f"shape that matches the corresponding variable shape. Variable {variable.path!r} has shape "
            f"{tuple(variable.shape)}, received a value of shape {tuple(shape)}."
        )
    return value
