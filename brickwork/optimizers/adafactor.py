"""Adafactor (Shazeer & Stern, 2018): Adam-like steps with a factored second moment, in sublinear memory."""

from __future__ import annotations

from brickwork import ops
from brickwork.optimizers.base_optimizer import Optimizer


def _rms(x):
    return ops.sqrt(ops.mean(ops.square(x)))


class Adafactor(Optimizer):
    """Adafactor: the second moment of a matrix is kept as its row and column means only.

    For a variable of rank >= 2 (its last two axes factored), with ``t`` the step,
    ``beta_2 = 1 - t ** beta_2_decay`` and ``G = g² + epsilon_1``:
    ``r = beta_2 r + (1 - beta_2) mean(G, -1)``, ``c = beta_2 c + (1 - beta_2) mean(G, -2)``,
    ``v = (r / mean(r)) ⊗ c``; lower ranks keep ``v`` in full. The step is
    ``u = g / sqrt(v)``, clipped to RMS ``clip_threshold``, scaled by
    ``max(epsilon_2, rms(w)) * min(lr, 1 / sqrt(t))`` (a relative step size).

    Args:
        learning_rate: a float, a ``LearningRateSchedule`` or a callable. Default 0.001.
        beta_2_decay: the exponent of the second moment's decay schedule.
        epsilon_1: added to the squared gradient.
        epsilon_2: the smallest parameter scale of the relative step.
        clip_threshold: the RMS the normalized update is clipped to.
        relative_step: cap a constant learning rate at ``1 / sqrt(t)``.
        **kwargs: the ``Optimizer`` arguments (weight_decay, clipnorm, use_ema, …).

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        optimizer = keras.optimizers.Adafactor(learning_rate=0.01)
        model.compile(optimizer=optimizer, loss="mse")
    """

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3, clip_threshold=1.0,
                 relative_step=True, weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._r, self._c, self._v = [], [], []
        for variable in variables:
            shape = tuple(variable.shape)
            if len(shape) >= 2:  # factor the last two axes: row means r, column means c
                self._r.append(self.add_variable(shape[:-1], dtype=variable.dtype, name=f"{variable.name}_row"))
                self._c.append(self.add_variable(shape[:-2] + shape[-1:], dtype=variable.dtype,
                                                 name=f"{variable.name}_column"))
            else:
                self._r.append(None)
                self._c.append(None)
            self._v.append(self.add_variable_from_reference(variable, "velocity"))

    def update_step(self, gradient, variable, learning_rate) -> None:
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        step = ops.cast(self.iterations + 1, dtype)
        index = self._get_variable_index(variable)
        r, c, v = self._r[index], self._c[index], self._v[index]
        relative = ops.minimum(lr, 1.0 / ops.sqrt(step))
        scale = ops.maximum(ops.cast(self.epsilon_2, dtype), _rms(variable)) * relative
        squared = ops.add(ops.square(gradient), self.epsilon_1)
        beta_2 = 1.0 - ops.power(step, self.beta_2_decay)
        if r is not None:
            self.assign(r, beta_2 * r + (1.0 - beta_2) * ops.mean(squared, axis=-1))
            self.assign(c, beta_2 * c + (1.0 - beta_2) * ops.mean(squared, axis=-2))
            row_share = r / ops.mean(r, axis=-1, keepdims=True)
            self.assign(v, ops.expand_dims(row_share, -1) * ops.expand_dims(c, -2))
        else:
            self.assign(v, beta_2 * v + (1.0 - beta_2) * squared)
        # ops (not operators) from the gradient on, so that a sparse gradient gives a sparse update.
        update = ops.divide(gradient, ops.sqrt(v))
        update = ops.divide(update, ops.maximum(1.0, ops.divide(_rms(update), self.clip_threshold)))
        self.assign_sub(variable, ops.multiply(scale, update))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_2_decay": self.beta_2_decay, "epsilon_1": self.epsilon_1,
                "epsilon_2": self.epsilon_2, "clip_threshold": self.clip_threshold,
                "relative_step": self.relative_step}
