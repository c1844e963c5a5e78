"""``Metric``: state accumulated over batches in non-trainable variables, and a result computed from it.

State changes only through ``Variable.assign``/``assign_add``, so the same ``update_state`` runs
eagerly and, through ``stateless_update_state``, as a pure function inside ``jax.jit``.
"""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.backend.common import global_state
from brickwork.backend.common.variables import Variable


class Metric:
    """Base class of metrics: create variables in ``__init__`` with ``add_variable``, then implement
    ``update_state(...)`` (with ``assign``/``assign_add``) and ``result()``.

    Args:
        dtype: the dtype of the state and the result (default floatx).
        name: the metric's name (default: the class name in snake case).

    Example:
    >>> class BinaryTruePositives(Metric):
    ...     def __init__(self, name="binary_true_positives", **kwargs):
    ...         super().__init__(name=name, **kwargs)
    ...         self.true_positives = self.add_variable(shape=(), initializer="zeros", name="true_positives")
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         hits = ops.cast(ops.logical_and(ops.cast(y_true, "bool"), ops.cast(y_pred, "bool")), self.dtype)
    ...         self.true_positives.assign_add(ops.sum(hits))
    ...     def result(self):
    ...         return self.true_positives.value
    """

    def __init__(self, dtype=None, name: str | None = None):
        self.name = name or global_state.uniquify(global_state.to_snake_case(type(self).__name__))
        self._dtype = backend.standardize_dtype(getattr(dtype, "compute_dtype", dtype) or backend.floatx())
        self._variables: list = []
        self._metrics: list = []

    def __setattr__(self, name, value):
        # Metrics and variables held as attributes, alone or in lists and dicts, join `variables`.
        if "_metrics" in self.__dict__:
            self._track(value)
        object.__setattr__(self, name, value)

    def _track(self, value) -> None:
        if isinstance(value, (list, tuple)):
            for item in value:
                self._track(item)
        elif isinstance(value, dict):
            for item in value.values():
                self._track(item)
        elif isinstance(value, Metric):
            if all(value is not metric for metric in self._metrics):
                self._metrics.append(value)
        elif isinstance(value, Variable) and all(value is not variable for variable in self._variables):
            self._variables.append(value)

    @property
    def dtype(self) -> str:
        return self._dtype

    @property
    def variables(self) -> list:
        variables = list(self._variables)
        for metric in self._metrics:
            variables.extend(metric.variables)
        return variables

    def add_variable(self, shape, initializer, dtype=None, aggregation: str = "sum", name: str | None = None):
        """A new non-trainable state variable of this metric.

        Args:
            shape: the variable's shape.
            initializer: an initializer or its name (``"zeros"``).
            dtype: default: the metric's dtype.
            aggregation: how replicas combine it (``"sum"``, ``"mean"``, …); kept for Keras compatibility.
        """
        self._check_super_called()
        from brickwork import initializers

        with backend.name_scope(self.name.replace("/", ">"), caller=self):
            variable = backend.Variable(
                initializer=initializers.get(initializer), shape=tuple(shape), dtype=dtype or self._dtype,
                trainable=False, aggregation=aggregation, name=name,
            )
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Alias of ``add_variable`` kept from Keras 2."""
        return self.add_variable(shape=shape, initializer=initializer or "zeros", dtype=dtype, name=name)

    def update_state(self, *args, **kwargs):
        """Accumulate the statistics of one batch."""
        raise NotImplementedError(f"{type(self).__name__}.update_state() is not implemented.")

    def result(self):
        """The current value: a scalar tensor, a tensor, or a dict of them."""
        raise NotImplementedError(f"{type(self).__name__}.result() is not implemented.")

    def reset_state(self) -> None:
        """Zero every state variable (called at the start of each epoch)."""
        for variable in self.variables:
            variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    def __call__(self, *args, **kwargs):
        """Update the state with one batch and return the result."""
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    # ---- pure-function forms, for jax.jit: state in, state out
    def stateless_update_state(self, metric_variables, *args, **kwargs) -> list:
        """The new values of ``variables`` after ``update_state(*args)``, starting from ``metric_variables``."""
        variables = self._check_stateless_values(metric_variables)
        with backend.StatelessScope(state_mapping=list(zip(variables, metric_variables))) as scope:
            self.update_state(*args, **kwargs)
        return _current_values(scope, variables, metric_variables)

    def stateless_result(self, metric_variables):
        """``result()`` computed from ``metric_variables`` instead of the stored values."""
        variables = self._check_stateless_values(metric_variables)
        with backend.StatelessScope(state_mapping=list(zip(variables, metric_variables))):
            return self.result()

    def stateless_reset_state(self) -> list:
        """The values ``reset_state()`` would give the variables, leaving them unchanged."""
        variables = self.variables
        with backend.StatelessScope() as scope:
            self.reset_state()
        return _current_values(scope, variables, variables)

    def _check_stateless_values(self, metric_variables) -> list:
        variables = self.variables
        if len(metric_variables) != len(variables):
            raise ValueError(
                f"{type(self).__name__}: argument `metric_variables` must hold one value per variable of "
                f"`{type(self).__name__}().variables` ({len(variables)}), received {len(metric_variables)}."
            )
        return variables

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def _check_super_called(self) -> None:
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                f"{type(self).__name__}: call `super().__init__()` in `__init__()` before using the metric."
            )

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def _current_values(scope, variables, defaults) -> list:
    values = []
    for variable, default in zip(variables, defaults):
        value = scope.get_current_value(variable)
        values.append(default if value is None else value)
    return values
