"""LossScaleOptimizer: dynamic loss scaling for float16 training."""

from __future__ import annotations

from brickwork import ops
from brickwork.optimizers.base_optimizer import Optimizer, _engine

_BASE_DEFAULTS = {
    "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None, "use_ema": False,
    "ema_momentum": 0.99, "ema_overwrite_frequency": None, "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer and scales the loss dynamically so that float16 gradients do not underflow.

    ``scale_loss`` multiplies the loss by the current scale; ``apply`` divides the gradients by
    it. A step with a non-finite gradient is skipped and halves the scale; after
    ``dynamic_growth_steps`` finite steps in a row, the scale doubles.

    Args:
        inner_optimizer: the optimizer that applies the unscaled gradients.
        initial_scale: the starting loss scale.
        dynamic_growth_steps: finite steps between doublings of the scale.
        name: the optimizer's name.

    Example:
    >>> optimizer = LossScaleOptimizer(Adam(), initial_scale=2.0**15)
    """

    def __init__(self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000, name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError("LossScaleOptimizer no longer supports `dynamic=False`. Instead, set "
                             "`loss_scale_factor` directly on the `inner_optimizer`.")
        for arg, default in _BASE_DEFAULTS.items():
            if arg in kwargs and kwargs.pop(arg) != default:
                raise ValueError(f"LossScaleOptimizer does not support `{arg}`. Set `{arg}` on the `inner_optimizer`.")
        if kwargs:
            raise ValueError(f"LossScaleOptimizer does not support arguments: `{'`, `'.join(kwargs)}`.")
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        self.inner_optimizer.loss_scale_factor = None  # else the gradients would be unscaled twice

    def build(self, variables) -> None:
        variables = list(variables)
        self.step_counter = self.add_variable((), initializer="zeros", dtype="int", aggregation="none",
                                              name="step_counter")
        self.dynamic_scale = self.add_variable((), initializer=self.initial_scale, dtype="float32",
                                               aggregation="none", name="dynamic_scale")
        self.inner_optimizer.build(variables)
        super().build(variables)

    @property
    def variables(self) -> list:
        return self._variables + self.inner_optimizer.variables

    def apply(self, grads, trainable_variables=None) -> None:
        grads = list(grads)
        if not self.built:
            self.build(trainable_variables)
        variables = list(trainable_variables) if trainable_variables is not None else self._trainable_variables
        finite = _engine.all_finite([g for g in grads if g is not None])
        with _engine.update_scope():
            _engine.stateful_cond(finite, lambda: self._apply_finite(grads, trainable_variables),
                                  self._skip_step, variables + self.variables)

    def _apply_finite(self, grads, trainable_variables) -> None:
        scale = self.dynamic_scale.value
        variables = self._trainable_variables if trainable_variables is None else trainable_variables
        # A variable overwritten with its gradient takes it as it is: that gradient is a value, not a slope.
        self.inner_optimizer.apply([g if g is None or id(v) in self._overwritten_ids else ops.divide(g, scale)
                                    for g, v in zip(grads, variables)], trainable_variables)
        grow = ops.equal(self.step_counter.value, self.dynamic_growth_steps - 1)
        self.step_counter.assign(ops.where(grow, 0, self.step_counter.value + 1))
        self.dynamic_scale.assign(ops.where(grow, scale * 2.0, scale))

    def _skip_step(self) -> None:
        self.step_counter.assign(0)
        self.dynamic_scale.assign(self.dynamic_scale.value / 2.0)

    def scale_loss(self, loss):
        """``loss`` times the current loss scale."""
        return loss * (self.dynamic_scale.value if self.built else self.initial_scale)

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate) -> None:
        self.inner_optimizer.learning_rate = learning_rate

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    def finalize_variable_values(self, var_list) -> None:
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self) -> dict:
        from brickwork.optimizers import serialize

        return {"name": self.name, "inner_optimizer": serialize(self.inner_optimizer),
                "initial_scale": self.initial_scale, "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        from brickwork.optimizers import deserialize

        config = dict(config)
        inner = deserialize(config.pop("inner_optimizer"), custom_objects=custom_objects)
        return cls(inner, **config)
