"""Nadam: Adam with Nesterov momentum (Dozat, 2015)."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.optimizers.base_optimizer import Optimizer


class Nadam(Optimizer):
    """Nadam: Adam whose first moment looks one step ahead, with a momentum schedule
    ``u_t = beta_1 (1 - 0.5 * 0.96^t)``.

    Args:
        learning_rate: a float, a ``LearningRateSchedule`` or a callable. Default 0.001.
        beta_1: the decay rate of the first moment.
        beta_2: the decay rate of the second moment.
        epsilon: added to the denominator.
        **kwargs: the ``Optimizer`` arguments (weight_decay, clipnorm, use_ema, …).

    Example:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile(optimizer=Nadam(learning_rate=0.01), loss="mse")
        model.fit(np.random.rand(16, 3), np.random.rand(16, 1), epochs=1, verbose=0)
    """

    _parallel_update_name = "nadam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables) -> None:
        if self.built:
            return
        variables = list(variables)
        dtype = variables[0].dtype if variables else backend.floatx()
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        self._u_product = self.add_variable((), initializer="ones", dtype=dtype, name="u_product")

    def _backend_update_step(self, grads, variables, learning_rate) -> None:
        # The product of the momentum schedule through this step, shared by all variables.
        dtype = self._u_product.dtype
        u_t = ops.multiply(self.beta_1, ops.subtract(
            1.0, ops.multiply(0.5, ops.power(ops.cast(0.96, dtype), ops.cast(self.iterations + 1, dtype)))))
        self.assign(self._u_product, ops.multiply(self._u_product, u_t))
        super()._backend_update_step(grads, variables, learning_rate)

    def update_step(self, gradient, variable, learning_rate) -> None:
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        local_step = ops.cast(self.iterations + 1, dtype)
        next_step = ops.cast(self.iterations + 2, dtype)
        decay = ops.cast(0.96, dtype)
        beta_1 = ops.cast(self.beta_1, dtype)
        beta_2 = ops.cast(self.beta_2, dtype)
        u_t = ops.multiply(beta_1, ops.subtract(1.0, ops.multiply(0.5, ops.power(decay, local_step))))
        u_t_1 = ops.multiply(beta_1, ops.subtract(1.0, ops.multiply(0.5, ops.power(decay, next_step))))
        u_product_t = ops.cast(self._u_product, dtype)
        u_product_t_1 = ops.multiply(u_product_t, u_t_1)
        beta_2_power = ops.power(beta_2, local_step)
        index = self._get_variable_index(variable)
        m, v = self._momentums[index], self._velocities[index]
        self.assign_add(m, ops.multiply(ops.subtract(gradient, m), ops.subtract(1, beta_1)))
        self.assign_add(v, ops.multiply(ops.subtract(ops.square(gradient), v), ops.subtract(1, beta_2)))
        m_hat = ops.add(ops.divide(ops.multiply(u_t_1, m), ops.subtract(1, u_product_t_1)),
                        ops.divide(ops.multiply(ops.subtract(1, u_t), gradient), ops.subtract(1, u_product_t)))
        v_hat = ops.divide(v, ops.subtract(1, beta_2_power))
        self.assign_sub(variable, ops.divide(ops.multiply(m_hat, lr), ops.add(ops.sqrt(v_hat), self.epsilon)))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
