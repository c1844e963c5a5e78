"""``stateless_call``: run a layer on variable values passed in, returning the new state instead of assigning it.

This is how a pure function of the weights is made from a layer (the JAX trainer's step, ``jax.grad`` over a
layer): inside a ``StatelessScope`` every variable reads the value given for it, and every assignment
(moving statistics, seed counters) is recorded in the scope rather than applied.

Example:
    outputs, non_trainable_values = layer.stateless_call(
        [v.value for v in layer.trainable_variables], [v.value for v in layer.non_trainable_variables], x
    )
"""

from __future__ import annotations

from brickwork.backend.common.stateless_scope import StatelessScope


class StatelessCall:
    """``stateless_call`` for ``Layer`` (and so for ``Model``)."""

    def stateless_call(self, trainable_variables, non_trainable_variables, *args, return_losses=False,
                       **kwargs):
        """Call the layer with variable values given as arguments; nothing is mutated.

        Args:
            trainable_variables: values for ``self.trainable_variables``, in that order.
            non_trainable_variables: values for ``self.non_trainable_variables``, in that order.
            *args, **kwargs: the call's own arguments.
            return_losses: also return the losses added during the call (and the weight penalties).

        Returns:
            ``(outputs, non_trainable_values)``, or ``(outputs, non_trainable_values, losses)`` with
                ``return_losses``: the non-trainable values as the call left them.
        """
        trainable = self.trainable_variables
        non_trainable = self.non_trainable_variables
        if len(trainable_variables) != len(trainable) or len(non_trainable_variables) != len(non_trainable):
            raise ValueError(
                f"stateless_call on {self.name!r}: expected {len(trainable)} trainable and "
                f"{len(non_trainable)} non-trainable values, received {len(trainable_variables)} and "
                f"{len(non_trainable_variables)}."
            )
        mapping = list(zip(trainable, trainable_variables)) + list(zip(non_trainable, non_trainable_variables))
        with StatelessScope(state_mapping=mapping, collect_losses=return_losses) as scope:
            outputs = self(*args, **kwargs)
            losses = list(scope.losses) + self._regularization_losses() if return_losses else None
        new_values = []
        for variable, value in zip(non_trainable, non_trainable_variables):
            current = scope.get_current_value(variable)
            new_values.append(value if current is None else current)
        if return_losses:
            return outputs, new_values, losses
        return outputs, new_values

    def _regularization_losses(self) -> list:
        return [v.regularizer(v.value) for v in self.trainable_weights if getattr(v, "regularizer", None)]
