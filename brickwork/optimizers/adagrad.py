"""Adagrad: per-parameter learning rates from the sum of past squared gradients (Duchi et al., 2011)."""

from __future__ import annotations

from brickwork import ops
from brickwork.optimizers.base_optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad: ``a += g²``, ``w -= lr * g / sqrt(a + epsilon)``.

    Args:
        learning_rate: a float, a ``LearningRateSchedule`` or a callable. Default 0.001.
        initial_accumulator_value: the accumulators' starting value (non-negative).
        epsilon: added under the square root.
        **kwargs: the ``Optimizer`` arguments (weight_decay, clipnorm, use_ema, …).

    Example:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile(optimizer=Adagrad(learning_rate=0.01), loss="mse")
        model.fit(np.random.rand(16, 3), np.random.rand(16, 1), epochs=1, verbose=0)
    """

    _parallel_update_name = "adagrad"

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._accumulators = self.add_optimizer_variables(
            variables, "accumulator", initializer=self.initial_accumulator_value)

    def update_step(self, gradient, variable, learning_rate) -> None:
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        accumulator = self._accumulators[self._get_variable_index(variable)]
        self.assign_add(accumulator, ops.square(gradient))
        self.assign_sub(variable, ops.divide(ops.multiply(lr, gradient), ops.sqrt(ops.add(accumulator, self.epsilon))))

    def get_config(self) -> dict:
        return {**super().get_config(), "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
