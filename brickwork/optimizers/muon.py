"""Muon (Jordan et al., 2024): momentum orthogonalized by Newton-Schulz for matrices, AdamW for the rest."""

from __future__ import annotations

import re

from brickwork import ops
from brickwork.optimizers.base_optimizer import Optimizer


def _swap_last_axes(x):
    return ops.swapaxes(x, -1, -2)


class Muon(Optimizer):
    """Muon: for 2-D weights, SGD-momentum whose update is replaced by the nearest semi-orthogonal matrix.

    For a 2-D variable (not an embedding, not matching ``exclude_layers``): ``m = momentum m + g``, the
    update ``G = g + momentum m`` (Nesterov) or ``m``, orthogonalized by ``ns_steps`` quintic
    Newton-Schulz iterations ``X = a X + (b A + c A²) X`` with ``A = X Xᵀ``, then scaled by
    ``lr * sqrt(max(rows, cols)) * rms_rate`` (omitted when ``rms_rate`` is None). Every other variable
    takes AdamW steps at ``lr * adam_lr_ratio``. Decoupled weight decay is ``weight_decay`` for Muon's
    variables and ``adam_weight_decay`` for AdamW's.

    Args:
        learning_rate: default 0.001.
        adam_beta_1, adam_beta_2, epsilon: the AdamW moments' decay rates and its epsilon.
        adam_weight_decay: decoupled weight decay of the AdamW variables.
        weight_decay: decoupled weight decay of the Muon variables.
        exclude_layers: regular expressions; variables whose path matches one use AdamW.
        exclude_embeddings: variables with "embedding" in their path use AdamW.
        muon_a, muon_b, muon_c: the Newton-Schulz polynomial's coefficients.
        adam_lr_ratio: the AdamW learning rate as a multiple of ``learning_rate``.
        momentum: Muon's momentum.
        ns_steps: Newton-Schulz iterations.
        nesterov: use the Nesterov form of the momentum.
        rms_rate: match the update's RMS to AdamW's (Moonshot AI, 2025); None to leave it.
        **kwargs: the other ``Optimizer`` arguments (clipnorm, use_ema, …).

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.Muon(learning_rate=0.02), loss="mse")
    """

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999, adam_weight_decay=0.004,
                 epsilon=1e-7, weight_decay=0.004, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, exclude_layers=None, exclude_embeddings=True,
                 muon_a=3.4445, muon_b=-4.7750, muon_c=2.0315, adam_lr_ratio=1, momentum=0.95, ns_steps=5,
                 nesterov=True, rms_rate=0.2, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.adam_weight_decay = adam_weight_decay
        self.epsilon = epsilon
        self.exclude_layers = list(exclude_layers or [])
        self.exclude_embeddings = exclude_embeddings
        self.muon_a, self.muon_b, self.muon_c = muon_a, muon_b, muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable) -> bool:
        if len(variable.shape) != 2:
            return True
        path = getattr(variable, "path", None) or variable.name
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(pattern, path) for pattern in self.exclude_layers)

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums, self._adam_velocities = [], []
        for variable in variables:
            self._momentums.append(self.add_variable_from_reference(variable, "momentum"))
            self._adam_velocities.append(
                self.add_variable_from_reference(variable, "velocity") if self._should_use_adamw(variable) else None)

    def update_step(self, gradient, variable, learning_rate) -> None:
        gradient = ops.cast(gradient, variable.dtype)
        index = self._get_variable_index(variable)
        m, v = self._momentums[index], self._adam_velocities[index]
        if v is None:
            self._muon_step(gradient, variable, learning_rate, m)
        else:
            self._adamw_step(gradient, variable, learning_rate * self.adam_lr_ratio, m, v)

    def _muon_step(self, gradient, variable, learning_rate, m) -> None:
        self.assign(m, self.momentum * m + gradient)
        direction = gradient + self.momentum * m.value if self.nesterov else m.value
        update = learning_rate * self.zeropower_via_newtonschulz5(direction, self.ns_steps)
        self.assign_sub(variable, self.lr_adjust(update))

    def lr_adjust(self, x):
        """``x * sqrt(max(rows, cols)) * rms_rate``: an update RMS like AdamW's (``x`` unchanged without it)."""
        if self.rms_rate is None:
            return x
        return x * (max(x.shape[0], x.shape[1]) ** 0.5) * self.rms_rate

    def _adamw_step(self, gradient, variable, learning_rate, m, v) -> None:
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        step = ops.cast(self.iterations + 1, dtype)
        beta_1_power = ops.power(ops.cast(self.adam_beta_1, dtype), step)
        beta_2_power = ops.power(ops.cast(self.adam_beta_2, dtype), step)
        alpha = lr * ops.sqrt(1.0 - beta_2_power) / (1.0 - beta_1_power)
        self.assign_add(m, (gradient - m) * (1.0 - self.adam_beta_1))
        self.assign_add(v, (ops.square(gradient) - v) * (1.0 - self.adam_beta_2))
        self.assign_sub(variable, m * alpha / (ops.sqrt(v) + self.epsilon))

    def zeropower_via_newtonschulz5(self, x, steps: int):
        """The orthogonal factor of ``x`` (its ``U Vᵀ``), approximated by quintic Newton-Schulz iterations."""
        if len(x.shape) < 2:
            raise ValueError(f"Muon: Newton-Schulz needs a matrix; received shape={tuple(x.shape)}.")
        tall = x.shape[-2] > x.shape[-1]
        if tall:  # iterate on the wide orientation: A = X Xᵀ is then the smaller Gram matrix
            x = _swap_last_axes(x)
        x = x / (ops.norm(x, axis=(-2, -1), keepdims=True) + 1e-7)
        for _ in range(steps):
            gram = ops.matmul(x, _swap_last_axes(x))
            x = self.muon_a * x + ops.matmul(self.muon_b * gram + self.muon_c * ops.matmul(gram, gram), x)
        return _swap_last_axes(x) if tall else x

    def _apply_weight_decay(self, variables, learning_rate=None) -> None:
        learning_rate = self.learning_rate if learning_rate is None else learning_rate
        for variable in variables:
            if not self._use_weight_decay(variable):
                continue
            decay = self.adam_weight_decay if self._should_use_adamw(variable) else self.weight_decay
            if decay is None:
                continue
            rate = ops.cast(learning_rate, variable.dtype) * decay
            variable.assign(variable - variable * rate)

    def get_config(self) -> dict:
        return {**super().get_config(), "adam_beta_1": self.adam_beta_1, "adam_beta_2": self.adam_beta_2,
                "epsilon": self.epsilon, "exclude_layers": self.exclude_layers, "muon_a": self.muon_a,
                "muon_b": self.muon_b, "muon_c": self.muon_c, "adam_lr_ratio": self.adam_lr_ratio,
                "momentum": self.momentum, "ns_steps": self.ns_steps, "nesterov": self.nesterov,
                "exclude_embeddings": self.exclude_embeddings, "adam_weight_decay": self.adam_weight_decay,
                "rms_rate": self.rms_rate}
