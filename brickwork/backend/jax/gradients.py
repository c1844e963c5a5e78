"""``value_and_grad`` on jax: the gradient of a stateful function of brickwork variables.

The function reads the variables' values; here it runs inside a ``StatelessScope`` that feeds it the
values ``jax.value_and_grad`` differentiates. Whatever else it assigns (a metric, a moving mean, a seed
state) comes back out of the trace and is assigned afterwards, so to the caller it behaves like the
eager torch version. Inside a compiled portable step (see ``trainer.py``) the enclosing scope carries
the rest of the state, and the scope opened here starts from it.
"""

from __future__ import annotations

import jax

from brickwork.backend.common import global_state
from brickwork.backend.common.stateless_scope import StatelessScope


class RecordingScope(StatelessScope):
    """A ``StatelessScope`` that also remembers which variables were assigned in it."""

    def __init__(self, state_mapping=(), inherit=True, **kwargs):
        parent = global_state.STATE.stateless_scope
        super().__init__(**kwargs)
        if inherit and parent is not None:
            self.state_mapping.update(parent.state_mapping)
        for variable, value in state_mapping:
            self.state_mapping[id(variable)] = value
        self.assigned = {}

    def add_update(self, variable, value) -> None:
        super().add_update(variable, value)
        self.assigned[id(variable)] = variable


def value_and_grad(fn, variables, has_aux=False):
    variables = list(variables)

    def pure(values):
        with RecordingScope(state_mapping=zip(variables, values)) as scope:
            out = fn()
        differentiated = {id(v) for v in variables}
        updates = {key: scope.state_mapping[key] for key in scope.assigned if key not in differentiated}
        loss, aux = out if has_aux else (out, None)
        return loss, (aux, updates, {key: scope.assigned[key] for key in updates})

    holders = {}

    def traced(values):
        loss, (aux, updates, assigned) = pure(values)
        holders.update(assigned)  # the Variable objects themselves cannot leave the trace
        return loss, (aux, updates)

    (loss, (aux, updates)), grads = jax.value_and_grad(traced, has_aux=True)([v.value for v in variables])
    for key, value in updates.items():
        holders[key].assign(value)
    return ((loss, aux) if has_aux else loss), list(grads)
