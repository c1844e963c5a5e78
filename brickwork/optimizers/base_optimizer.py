"""``Optimizer``: the base of every optimizer — its state, gradient handling and update loop.

A subclass writes ``build`` (creating slot variables with ``add_variable_from_reference``)
and ``update_step(gradient, variable, learning_rate)`` on ``brickwork.ops``; that works on
every training backend, eagerly and under ``jax.jit`` through ``stateless_apply``.
Built-in optimizers also name a parallel kernel of the backend
(``brickwork/backend/<name>/optimizers.py``) that updates all variables at once; it is used
whenever the subclass keeps the built-in ``update_step``.
"""

from __future__ import annotations

import importlib
import numbers
import re
import warnings

import numpy as np

from brickwork import backend, ops
from brickwork.backend.common import global_state
from brickwork.optimizers.schedules import learning_rate_schedule as schedules

_engine = importlib.import_module(f"{backend.active.__name__}.optimizers")


def _as_float(name: str, value) -> float:
    if isinstance(value, (numbers.Real, np.ndarray, np.generic)) and not isinstance(value, bool):
        if np.ndim(value) == 0:
            return float(value)
    raise ValueError(
        f"Argument `{name}` should be a float, a LearningRateSchedule or a callable (taking no "
        f"arguments and returning the learning rate). Received: {name}={value!r}"
    )


def _initial_value(initializer, shape, dtype):
    """A callable initializer (or a value) for a new optimizer variable.

    Callables, as Keras's are: a variable created inside a stateless scope is then initialized when
    the scope exits, where a value would be refused there.
    """
    if isinstance(initializer, str) and initializer in ("zeros", "ones"):
        return _filled(0.0 if initializer == "zeros" else 1.0)
    if isinstance(initializer, numbers.Real):
        return _filled(float(initializer))
    if isinstance(initializer, str):
        from brickwork import initializers

        return initializers.get(initializer)
    return initializer


def _filled(fill: float):
    """An initializer giving ``fill`` everywhere."""
    def initializer(shape, dtype=None):
        return np.full(shape, fill)

    return initializer


class Optimizer:
    """The base class of optimizers.

    Args:
        learning_rate: a float, a ``LearningRateSchedule``, or a callable taking no arguments.
        weight_decay: if set, decoupled weight decay: ``variable -= lr * weight_decay * variable``.
        clipnorm: if set, each gradient is clipped to this L2 norm.
        clipvalue: if set, each gradient is clipped element-wise to ``[-clipvalue, clipvalue]``.
        global_clipnorm: if set, all gradients are scaled so that their joint L2 norm is at most this.
        use_ema: keep an exponential moving average of the trainable variables.
        ema_momentum: the EMA's momentum.
        ema_overwrite_frequency: every this many steps, copy the averages into the variables.
        loss_scale_factor: ``scale_loss`` multiplies the loss by it; gradients are divided by it.
        gradient_accumulation_steps: update every this many steps with the mean gradient.
        name: the optimizer's name (variable paths start with it).

    Example:
    >>> model = brickwork.Sequential([brickwork.Input((4,)), brickwork.layers.Dense(1)])
    >>> grads = [brickwork.ops.ones(v.shape) for v in model.trainable_variables]
    >>> optimizer = brickwork.optimizers.SGD(learning_rate=0.1)
    >>> optimizer.apply(grads, model.trainable_variables)
    """

    # The name of this optimizer's kernel in the backend's PARALLEL_UPDATES (built-ins only).
    _parallel_update_name: str | None = None

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.", stacklevel=2)
        if kwargs:
            raise ValueError(f"{type(self).__name__}: argument(s) not recognized: {kwargs}")
        if name is None:
            name = global_state.uniquify(global_state.to_snake_case(type(self).__name__))
        self.name = name
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self._check_arguments()
        self.built = False
        self._variables: list = []
        self._trainable_variables: list = []
        self._trainable_variables_indices: dict = {}
        self._parallel_cache: dict = {}  # backend kernels' lists of parameters and slots
        self._exclude_ids: set = set()
        self._exclude_pattern = None
        self._decay_cache: dict = {}
        with backend.name_scope(self.name, caller=self), _engine.scalar_state_scope():
            self._iterations = backend.Variable(0, name="iteration", dtype="int", trainable=False,
                                                aggregation="only_first_replica")
        self._track_variable(self._iterations)
        self._learning_rate = self._make_learning_rate(learning_rate)

    def _check_arguments(self) -> None:
        steps = self.gradient_accumulation_steps
        if steps is not None and (not isinstance(steps, int) or steps < 2):
            raise ValueError(
                f"`gradient_accumulation_steps` must be an integer >= 2. Received: gradient_accumulation_steps={steps}"
            )
        if self.use_ema:
            if not 0 <= self.ema_momentum <= 1:
                raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={self.ema_momentum}")
            frequency = self.ema_overwrite_frequency
            if frequency is not None and (not isinstance(frequency, int) or frequency < 1):
                raise ValueError(
                    "`ema_overwrite_frequency` must be an integer >= 1 or None. "
                    f"Received: ema_overwrite_frequency={frequency}"
                )
        clips = {"clipnorm": self.clipnorm, "clipvalue": self.clipvalue, "global_clipnorm": self.global_clipnorm}
        if sum(value is not None for value in clips.values()) > 1:
            received = ", ".join(f"{k}={v}" for k, v in clips.items())
            raise ValueError(f"Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: {received}")

    def _check_super_called(self) -> None:
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                f"In optimizer '{type(self).__name__}', you forgot to call `super().__init__()` as the first "
                "statement in the `__init__()` method."
            )

    # ---- state ----
    def _track_variable(self, variable) -> None:
        self._variables.append(variable)

    def _untrack_variable(self, variable) -> None:
        self._variables = [v for v in self._variables if v is not variable]

    @property
    def variables(self) -> list:
        """All optimizer state: ``iterations``, the learning rate variable, then the slots."""
        return self._variables[:]

    @property
    def iterations(self):
        """The number of update steps taken (of applied updates, with gradient accumulation)."""
        if self.gradient_accumulation_steps:
            return ops.floor_divide(self._iterations, self.gradient_accumulation_steps)
        return self._iterations

    def build(self, variables) -> None:
        """Create the optimizer's state for ``variables``; subclasses add their slots after ``super().build``."""
        self._check_super_called()
        variables = list(variables)
        if self.use_ema:
            self._model_variables_moving_average = []
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = []
        for i, variable in enumerate(variables):
            self._trainable_variables_indices[id(variable)] = i
            if self.use_ema:
                self._model_variables_moving_average.append(self.add_variable_from_reference(variable, "average"))
            if self.gradient_accumulation_steps:
                self._accumulated_gradients.append(
                    self.add_variable_from_reference(variable, "gradient_accumulator"))
        self._trainable_variables = variables
        self._constrained_variables = [v for v in variables if getattr(v, "constraint", None) is not None]
        self._overwritten_ids = frozenset(id(v) for v in variables if getattr(v, "overwrite_with_gradient", False))
        self._parallel_cache = {}
        self.built = True

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="mean", name=None):
        """A new non-trainable optimizer variable.

        Args:
            shape: its shape.
            initializer: ``"zeros"``, ``"ones"``, a number, an initializer or its name.
            dtype: its dtype (default floatx).
            aggregation: kept for Keras compatibility.
            name: its name.
        """
        self._check_super_called()
        value = _initial_value(initializer, tuple(shape), dtype)
        with backend.name_scope(self.name, caller=self):
            variable = backend.Variable(value, shape=shape, dtype=dtype, trainable=False,
                                        aggregation=aggregation, name=name)
        self._track_variable(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A new optimizer variable of the shape and dtype of ``reference_variable`` (zeros by default)."""
        prefix = getattr(reference_variable, "path", None) or str(reference_variable.name)
        name = prefix.replace("/", "_").replace(":", "_") + "_" + (name or "var")
        return self.add_variable(shape=reference_variable.shape, initializer=initializer,
                                 dtype=reference_variable.dtype, name=name)

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One slot per trainable variable for ``name`` (a list), or for each of several names (a tuple of lists)."""
        names = [name] if isinstance(name, str) else list(name)
        initializers = initializer if isinstance(initializer, (list, tuple)) else [initializer] * len(names)
        if len(initializers) != len(names):
            raise ValueError(
                f"The number of names must match the number of initializers. Received name={name!r}, "
                f"initializer={initializer!r}"
            )
        slots = tuple([] for _ in names)
        for variable in trainable_variables:  # interleaved, as Keras orders them
            for i, (slot_name, slot_initializer) in enumerate(zip(names, initializers)):
                slots[i].append(self.add_variable_from_reference(variable, slot_name, slot_initializer))
        return slots[0] if isinstance(name, str) else slots

    def _get_variable_index(self, variable) -> int:
        return self._trainable_variables_indices[id(variable)]

    def assign(self, variable, value) -> None:
        variable.assign(value)

    def assign_add(self, variable, value) -> None:
        variable.assign_add(value)

    def assign_sub(self, variable, value) -> None:
        variable.assign_sub(value)

    # ---- the learning rate ----
    def _make_learning_rate(self, learning_rate):
        if isinstance(learning_rate, schedules.LearningRateSchedule):
            return learning_rate
        if callable(learning_rate) and not backend.is_variable(learning_rate):
            return learning_rate
        value = _as_float("learning_rate", learning_rate)
        with backend.name_scope(self.name, caller=self), _engine.scalar_state_scope():
            variable = backend.Variable(value, name="learning_rate", dtype=backend.floatx(), trainable=False,
                                        aggregation="only_first_replica")
        self._variables.insert(1, variable)  # after `iterations`, as Keras orders them
        return variable

    @property
    def learning_rate(self):
        """The current learning rate: the variable, or the schedule's or callable's value now."""
        learning_rate = self._learning_rate
        if isinstance(learning_rate, schedules.LearningRateSchedule):
            return learning_rate(self._iterations)
        if backend.is_variable(learning_rate):
            return learning_rate
        return learning_rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate) -> None:
        previous = self._learning_rate if backend.is_variable(self._learning_rate) else None
        if isinstance(learning_rate, schedules.LearningRateSchedule) or (
                callable(learning_rate) and not backend.is_variable(learning_rate)):
            self._learning_rate = learning_rate
        elif isinstance(self._learning_rate, schedules.LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` as its `learning_rate`, hence its "
                "learning rate is not settable. Create the optimizer with a float `learning_rate` to set it."
            )
        elif previous is None:
            self._learning_rate = self._make_learning_rate(learning_rate)
        else:
            previous.assign(learning_rate)
        if previous is not None and self._learning_rate is not previous:
            self._untrack_variable(previous)

    # ---- applying gradients ----
    def apply_gradients(self, grads_and_vars):
        """``apply`` on ``(gradient, variable)`` pairs; returns ``iterations``."""
        grads, trainable_variables = zip(*grads_and_vars)
        self.apply(grads, trainable_variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None) -> None:
        """Update ``trainable_variables`` (default: those the optimizer was built with) from ``grads``.

        Builds the optimizer on first use. ``None`` gradients are skipped. Works on every backend, numpy
        included (which computes no gradients itself, but applies given ones, as Keras's numpy backend does).
        """
        grads = list(grads)
        if not grads:
            return
        variables = self._resolve_variables(grads, trainable_variables)
        if any(g is None for g in grads):
            grads, variables = self._filter_empty_gradients(grads, variables)
        with _engine.update_scope():
            if self._overwritten_ids:
                grads, variables = self._overwrite_variables_with_gradients(grads, variables)
            if self.loss_scale_factor is not None:
                grads = [g / self.loss_scale_factor for g in grads]
            if variables:
                self._backend_apply_gradients(grads, variables)
            for variable in self._constrained_variables:
                variable.assign(variable.constraint(variable))
            self._iterations.assign_add(1)

    def _resolve_variables(self, grads, trainable_variables) -> list:
        """The variables to update, as the built list itself when they are all of it (the fast case)."""
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `trainable_variables`, the optimizer must already be built. "
                    "Call `optimizer.build(trainable_variables)` first."
                )
            variables = self._trainable_variables
        else:
            variables = list(trainable_variables)
            if not self.built:
                with backend.name_scope(self.name, caller=self):
                    self.build(variables)
            known = self._trainable_variables
            if len(variables) == len(known) and all(a is b for a, b in zip(variables, known)):
                variables = known
            else:
                for variable in variables:
                    if id(variable) not in self._trainable_variables_indices:
                        raise ValueError(
                            f"Unknown variable: {variable}. This optimizer can only be called for the variables it "
                            "was built with. Create a new optimizer for a new set of variables."
                        )
        if len(grads) != len(variables):
            raise ValueError(
                f"{type(self).__name__}.apply: received {len(grads)} gradients for {len(variables)} variables; "
                "they must correspond one to one."
            )
        return variables

    def _overwrite_variables_with_gradients(self, grads, variables) -> tuple[list, list]:
        """Give each variable marked ``overwrite_with_gradient`` its gradient as its new value; return the
        other pairs, which the optimizer updates as usual.

        Float8 layers compute their next scales as "gradients" this way. No clipping, decay or loss scaling
        applies to them; with gradient accumulation the running maximum of the gradients is kept and written
        on each update step.
        """
        steps = self.gradient_accumulation_steps
        if steps:
            is_update_step = (self._iterations.value + 1) % steps == 0
        kept_grads, kept_variables = [], []
        for grad, variable in zip(grads, variables):
            if id(variable) not in self._overwritten_ids:
                kept_grads.append(grad)
                kept_variables.append(variable)
            elif steps:
                accumulator = self._accumulated_gradients[self._get_variable_index(variable)]
                running_max = ops.maximum(grad, accumulator.value)
                variable.assign(ops.where(is_update_step, running_max, variable.value))
                accumulator.assign(ops.where(is_update_step, ops.zeros_like(running_max), running_max))
            else:
                variable.assign(grad)
        return kept_grads, kept_variables

    def _filter_empty_gradients(self, grads, variables):
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not kept:
            raise ValueError("No gradients provided for any variable.")
        missing = [v.name for g, v in zip(grads, variables) if g is None]
        warnings.warn(
            f"Gradients do not exist for variables {missing} when minimizing the loss. If using "
            "`model.compile()`, did you forget to provide a `loss` argument?",
            stacklevel=3,
        )
        return [g for g, _ in kept], [v for _, v in kept]

    def _backend_apply_gradients(self, grads, variables) -> None:
        learning_rate = self.learning_rate
        steps = self.gradient_accumulation_steps
        if steps:
            accumulators = [self._accumulated_gradients[self._get_variable_index(v)] for v in variables]
            is_update_step = (self._iterations.value + 1) % steps == 0

            def update():
                mean = [ops.divide(ops.add(g, a), steps) for g, a in zip(grads, accumulators)]
                self._update(mean, variables, learning_rate)
                _engine.reset_accumulators(accumulators)

            _engine.stateful_cond(is_update_step, update,
                                  lambda: _engine.increment_accumulators(accumulators, grads),
                                  variables + self._variables)
        else:
            self._update(grads, variables, learning_rate)
        if self.use_ema:
            self._update_moving_averages()

    def _update(self, grads, variables, learning_rate) -> None:
        """Clip, decay the weights, then run the update step on every variable."""
        grads = self._clip_gradients(grads)
        self._apply_weight_decay(variables, learning_rate)
        self._backend_update_step(grads, variables, learning_rate)

    def _backend_update_step(self, grads, variables, learning_rate) -> None:
        """The update of all variables: the backend's parallel kernel, else ``update_step`` one by one."""
        kernel = self._parallel_kernel()
        if kernel is not None and not backend.in_stateless_scope():
            kernel(self, grads, variables, learning_rate)
            return
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable, learning_rate)

    def _parallel_kernel(self):
        """The backend's kernel for this optimizer, unless a subclass rewrote ``update_step`` (looked up once)."""
        cached = self.__dict__.get("_kernel")
        if cached is None:
            kernel = None
            owner = next((c for c in type(self).__mro__ if "_parallel_update_name" in c.__dict__), None)
            if owner is not None and owner._parallel_update_name and type(self).update_step is owner.update_step:
                kernel = _engine.PARALLEL_UPDATES.get(owner._parallel_update_name)
            cached = self.__dict__["_kernel"] = (kernel,)
        return cached[0]

    def update_step(self, gradient, variable, learning_rate) -> None:
        """Update ``variable`` (and this optimizer's slots for it) from ``gradient``."""
        raise NotImplementedError(f"{type(self).__name__} must implement `update_step(gradient, variable, learning_rate)`.")

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """``apply`` as a pure function of values, for ``jax.jit``.

        Args:
            optimizer_variables: values of ``self.variables``, in order.
            grads: one gradient per trainable variable.
            trainable_variables: values of the variables the optimizer was built with.

        Returns:
            ``(new_trainable_values, new_optimizer_values)``.
        """
        self._check_super_called()
        if not self.built:
            raise ValueError(
                f"To call `stateless_apply`, {type(self).__name__} must be built (its variables created). "
                "Build it with `optimizer.build(trainable_variables)`."
            )
        variables = self.variables
        if len(optimizer_variables) != len(variables):
            raise ValueError(
                f"stateless_apply: `optimizer_variables` must correspond 1:1 to {type(self).__name__}().variables. "
                f"Received {len(optimizer_variables)} values, expected {len(variables)}."
            )
        if len(trainable_variables) != len(self._trainable_variables):
            raise ValueError(
                "stateless_apply: `trainable_variables` must correspond 1:1 to the variables the optimizer was "
                f"built with. Received {len(trainable_variables)} values, expected {len(self._trainable_variables)}."
            )
        # Values may come as NumPy arrays (outside a compiled step): make them engine tensors once, here.
        trainable_variables = [backend.convert_to_tensor(value) for value in trainable_variables]
        optimizer_variables = [backend.convert_to_tensor(value) for value in optimizer_variables]
        mapping = list(zip(self._trainable_variables, trainable_variables)) + list(zip(variables, optimizer_variables))
        with backend.StatelessScope(state_mapping=mapping) as scope:
            self.apply(grads)
        new_trainable = [_current(scope, v, value) for v, value in zip(self._trainable_variables, trainable_variables)]
        new_optimizer = [_current(scope, v, value) for v, value in zip(variables, optimizer_variables)]
        return new_trainable, new_optimizer

    def scale_loss(self, loss):
        """``loss * loss_scale_factor`` (the loss unchanged without a factor)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # ---- gradient clipping ----
    def _clip_gradients(self, grads) -> list:
        if self.clipnorm and self.clipnorm > 0:
            return _engine.clip_by_norm(grads, self.clipnorm)
        if self.global_clipnorm and self.global_clipnorm > 0:
            return _engine.clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            return _engine.clip_by_value(grads, self.clipvalue)
        return grads

    # ---- weight decay ----
    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """Exclude variables from weight decay: those in ``var_list``, and those whose name contains one of ``var_names``."""
        self._exclude_ids = {id(v) for v in var_list or ()}
        self._exclude_pattern = re.compile("|".join(set(var_names))) if var_names else None
        self._decay_cache = {}

    def _use_weight_decay(self, variable) -> bool:
        if id(variable) in self._exclude_ids:
            return False
        return self._exclude_pattern is None or self._exclude_pattern.search(variable.name) is None

    def _apply_weight_decay(self, variables, learning_rate) -> None:
        if self.weight_decay is None:
            return
        full = variables is self._trainable_variables
        decayed = self._decay_cache.get("full") if full else None
        if decayed is None:
            decayed = [v for v in variables if self._use_weight_decay(v)]
            if full:
                self._decay_cache["full"] = decayed
        _engine.apply_weight_decay(decayed, learning_rate, self.weight_decay)

    # ---- exponential moving average ----
    def _update_moving_averages(self) -> None:
        not_first_step = ops.cast(ops.not_equal(self.iterations, 0), backend.floatx())
        _engine.update_moving_averages(self._model_variables_moving_average, self._trainable_variables,
                                       ops.multiply(not_first_step, self.ema_momentum))
        if self.ema_overwrite_frequency:
            should_overwrite = (backend.convert_to_tensor(self.iterations) + 1) % self.ema_overwrite_frequency == 0
            _engine.stateful_cond(
                should_overwrite,
                lambda: self._overwrite_model_variables_with_average_value(self._trainable_variables),
                lambda: None,
                self._trainable_variables,
            )

    def _overwrite_model_variables_with_average_value(self, variables) -> None:
        averages = self._model_variables_moving_average
        if len(variables) != len(averages):
            raise ValueError(
                f"The number of model variables ({len(variables)}) does not match the number of averages the "
                f"optimizer keeps ({len(averages)}). Was the optimizer built on this model?"
            )
        for variable, average in zip(variables, averages):
            variable.assign(average.value)

    def finalize_variable_values(self, var_list) -> None:
        """At the end of training: with EMA, copy the moving averages into ``var_list``."""
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(list(var_list))

    # ---- saving ----
    def set_weights(self, weights) -> None:
        """Set every optimizer variable from ``weights`` (arrays, in ``variables`` order)."""
        if not self.built:
            raise ValueError(f"You are calling `set_weights()` on {type(self).__name__} {self.name!r}, which is not "
                             "built yet: call `optimizer.build(trainable_variables)` to create its variables first.")
        for variable, weight in zip(self._variables, weights):
            if tuple(variable.shape) != tuple(np.shape(weight)):
                raise ValueError(
                    f"Optimizer variable {variable.path} has shape {variable.shape}, not compatible with the "
                    f"provided weight shape {tuple(np.shape(weight))}."
                )
            variable.assign(weight)

    def save_own_variables(self, store) -> None:
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store) -> None:
        if len(store.keys()) != len(self._variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', because it has {len(self._variables)} "
                f"variables whereas the saved optimizer has {len(store.keys())} variables."
                + (" The optimizer has not been built yet." if not self.built else ""),
                stacklevel=2,
            )
            return
        for i, variable in enumerate(self._variables):
            variable.assign(store[str(i)])

    # ---- config ----
    def get_config(self) -> dict:
        """The ``__init__`` arguments; the learning rate as a float or the schedule's serialized config."""
        learning_rate = self._learning_rate
        if isinstance(learning_rate, schedules.LearningRateSchedule):
            learning_rate = schedules.serialize(learning_rate)
        elif backend.is_variable(learning_rate):
            learning_rate = float(learning_rate.numpy())
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        """The optimizer described by ``get_config()``'s output (without its state)."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"], custom_objects=custom_objects)
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


def _current(scope, variable, default):
    value = scope.get_current_value(variable)
    return default if value is None else value
