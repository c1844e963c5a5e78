"""Schedule-free AdamW (Defazio et al., 2024): no learning-rate schedule, iterate averaging instead."""

from __future__ import annotations

from brickwork import ops
from brickwork.optimizers.base_optimizer import Optimizer


class ScheduleFreeAdamW(Optimizer):
    """AdamW without a schedule: the weights are an interpolation of a fast sequence and its running average.

    Three sequences: ``z`` (Adam steps, kept in the ``momentum`` slot, starting at the weights), ``x``
    (the uniform average of the ``z``s) and ``y = (1 - beta_1) z + beta_1 x``, the point gradients are
    taken at and the value the variables hold. Each step, with ``t`` the step count:
    ``v = beta_2 v + (1 - beta_2) g²``, ``z -= lr g / (sqrt(v / (1 - beta_2^t)) + epsilon)``,
    ``x = (1 - 1/t) x + z / t``. With ``warmup_steps``, ``lr`` ramps up linearly over that many steps.

    Args:
        learning_rate: default 0.0025.
        beta_1: the interpolation between ``z`` and ``x`` that gives the weights.
        beta_2: the decay rate of the second moment.
        epsilon: added to the denominator.
        warmup_steps: linear warmup of the learning rate (0: none).
        **kwargs: the ``Optimizer`` arguments (weight_decay, clipnorm, use_ema, …).

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.ScheduleFreeAdamW(learning_rate=0.01), loss="mse")
    """

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8, warmup_steps=0,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.warmup_steps = warmup_steps

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        for z, variable in zip(self._momentums, variables):
            self.assign(z, ops.copy(variable))  # z starts at the weights

    def update_step(self, gradient, variable, learning_rate) -> None:
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        step = ops.cast(self.iterations + 1, dtype)
        if self.warmup_steps > 0:
            lr = lr * ops.minimum(step / self.warmup_steps, 1.0)
        index = self._get_variable_index(variable)
        z, v = self._momentums[index], self._velocities[index]
        z_old = ops.copy(z.value)  # a snapshot: some engines update the slot in place
        self.assign_add(v, (ops.square(gradient) - v) * (1.0 - self.beta_2))
        denominator = ops.sqrt(v / (1.0 - ops.power(ops.cast(self.beta_2, dtype), step))) + self.epsilon
        self.assign_sub(z, lr * gradient / denominator)
        # The weights hold y; recover the average x from y and the previous z, then advance it.
        x_old = (variable - (1.0 - self.beta_1) * z_old) / self.beta_1
        weight = 1.0 / step
        x_new = (1.0 - weight) * x_old + weight * z
        self.assign(variable, (1.0 - self.beta_1) * z + self.beta_1 * x_new)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                "warmup_steps": self.warmup_steps}
