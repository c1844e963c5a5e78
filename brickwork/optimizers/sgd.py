"""SGD: gradient descent with optional (Nesterov) momentum."""

from __future__ import annotations

import numbers

from brickwork import ops
from brickwork.optimizers.base_optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent with momentum.

    ``w -= learning_rate * g`` without momentum; with it,
    ``velocity = momentum * velocity - learning_rate * g`` then ``w += velocity``
    (Nesterov: ``w += momentum * velocity - learning_rate * g``).

    Args:
        learning_rate: a float, a ``LearningRateSchedule`` or a callable. Default 0.01.
        momentum: in [0, 1]; 0 is plain gradient descent.
        nesterov: whether to use Nesterov momentum.
        **kwargs: the ``Optimizer`` arguments (weight_decay, clipnorm, use_ema, …).

    Example:
    >>> optimizer = SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    """

    _parallel_update_name = "sgd"

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        if not isinstance(momentum, numbers.Real) or not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: momentum={momentum!r}")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self.momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum != 0 else []

    def update_step(self, gradient, variable, learning_rate) -> None:
        learning_rate = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        scaled = ops.multiply(gradient, learning_rate)
        if self.momentum == 0:
            self.assign_sub(variable, scaled)
            return
        m = self.momentums[self._get_variable_index(variable)]
        momentum = ops.cast(self.momentum, variable.dtype)
        self.assign(m, ops.subtract(ops.multiply(m, momentum), scaled))
        if self.nesterov:
            self.assign_add(variable, ops.subtract(ops.multiply(m, momentum), scaled))
        else:
            self.assign_add(variable, m)

    def get_config(self) -> dict:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
