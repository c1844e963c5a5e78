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
    return global_state.STATE.stateless_scope is not None


def get_stateless_scope():
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
