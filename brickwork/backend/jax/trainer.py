"""The jax training step: a pure function of the state, compiled once with ``jax.jit``.

State = (trainable values, non-trainable values, optimizer values, metric values). Each step
reads the variables' current arrays, runs the compiled step and stores the new arrays back
into the variables (a pointer swap, no copy), so callbacks always see current weights.
"""

from __future__ import annotations

import inspect

import jax
import numpy as np

from brickwork.backend.common.stateless_scope import StatelessScope
from brickwork.backend.jax import distribution_lib as jax_distribution_lib
from brickwork.backend.jax.gradients import RecordingScope
from brickwork.distribution import distribution_lib
from brickwork.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight
from brickwork.trainers.trainer import Trainer, batch_size_of


class BackendTrainer(Trainer):
    # ---------------------------------------------------------------- the pure steps
    def compute_loss_and_updates(self, trainable_variables, non_trainable_variables, metrics_variables,
                                 x, y, sample_weight, training=False, optimizer_variables=None):
        """``(loss, (unscaled_loss, y_pred, non_trainable_variables, metrics_variables))`` as a pure function,
        as Keras's jax trainer gives it: in training under a ``LossScaleOptimizer`` (whose scale is read from
        ``optimizer_variables``), ``loss`` is scaled for the gradient and ``unscaled_loss`` is the one logged."""
        y_pred, non_trainable_variables, losses = self.stateless_call(
            trainable_variables, non_trainable_variables, x, return_losses=True, training=training)
        # compute_loss may call layers again (a Distiller runs its teacher and its student's feature extractor):
        # they must read this step's traced weights, or no gradient reaches them through that path.
        mapping = [*zip(self.trainable_variables, trainable_variables),
                   *zip(self.non_trainable_variables, non_trainable_variables),
                   *zip(self.metrics_variables, metrics_variables)]
        with StatelessScope(state_mapping=mapping) as scope:
            self._losses_override = losses
            try:
                loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training)
            finally:
                self._losses_override = None
        non_trainable_variables = _current_values(scope, self.non_trainable_variables, non_trainable_variables)
        metrics_variables = _current_values(scope, self.metrics_variables, metrics_variables)
        unscaled_loss = loss
        if training and optimizer_variables is not None and hasattr(self.optimizer, "scale_loss"):
            with StatelessScope(state_mapping=list(zip(self.optimizer.variables, optimizer_variables))):
                loss = self.optimizer.scale_loss(loss)
        return loss, (unscaled_loss, y_pred, non_trainable_variables, metrics_variables)

    def train_step(self, state, data):
        trainable, non_trainable, optimizer_values, metrics_values = state
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)
        (_, (loss, y_pred, non_trainable, metrics_values)), grads = grad_fn(
            trainable, non_trainable, metrics_values, x, y, sample_weight, training=True,
            optimizer_variables=optimizer_values)
        trainable, optimizer_values = self.optimizer.stateless_apply(optimizer_values, grads, trainable)
        logs, metrics_values = self._stateless_metrics(metrics_values, loss, x, y, y_pred, sample_weight)
        return logs, (trainable, non_trainable, optimizer_values, metrics_values)

    def test_step(self, state, data):
        trainable, non_trainable, metrics_values = state
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        loss, (_, y_pred, non_trainable, metrics_values) = self.compute_loss_and_updates(
            trainable, non_trainable, metrics_values, x, y, sample_weight, training=False)
        logs, metrics_values = self._stateless_metrics(metrics_values, loss, x, y, y_pred, sample_weight)
        return logs, (trainable, non_trainable, metrics_values)

    def predict_step(self, state, data):
        trainable, non_trainable = state
        x, _, _ = unpack_x_y_sample_weight(data)
        outputs, non_trainable = self.stateless_call(trainable, non_trainable, x, training=False)
        return outputs, (trainable, non_trainable)

    def _stateless_metrics(self, metrics_values, loss, x, y, y_pred, sample_weight):
        with StatelessScope(state_mapping=list(zip(self.metrics_variables, metrics_values))) as scope:
            self._loss_tracker.update_state(loss, sample_weight=batch_size_of(x))
            logs = self.compute_metrics(x, y, y_pred, sample_weight)
        return logs, _current_values(scope, self.metrics_variables, metrics_values)

    # ---------------------------------------------------------------- the stateful wrappers
    @staticmethod
    def _auto_jit_compile() -> bool:
        """``jit_compile="auto"``: ``jax.jit``."""
        return True

    def _compile(self, fn):
        """``fn`` jitted. Batches of in-memory data come as NumPy slices (``SLICES_ON_HOST``), which the jitted
        step takes as they are; a step run eagerly gets them as jax arrays, as Keras's steps do."""
        if not self.jit_compile:
            return lambda state, data: fn(state, _on_device(data))
        donate = (0,) if jax.default_backend() != "cpu" else ()
        jitted = jax.jit(fn, donate_argnums=donate)

        def step(state, data):
            # String inputs (for StringLookup, TextVectorization) cannot enter a jit: run eagerly.
            return fn(state, _on_device(data)) if _holds_strings(data) else jitted(state, data)

        return step

    def make_train_function(self, force=False):
        if self.train_function is not None and not force:
            return self.train_function
        if _takes_data_only(self.train_step):
            self.train_function = self._portable_function(self.train_step)
            return self.train_function
        trainable = list(self.trainable_variables)
        non_trainable = list(self.non_trainable_variables)
        if not self.optimizer.built:
            self.optimizer.build(trainable)
        optimizer_variables = list(self.optimizer.variables)
        metrics_variables = list(self.metrics_variables)
        groups = (trainable, non_trainable, optimizer_variables, metrics_variables)
        place = _placement(groups)
        step = self._compile(self.train_step)

        def one_step(data):
            logs, state = step(_read(groups), data if place is None else place(data))
            _write(groups, state)
            return logs

        self.train_function = one_step
        return one_step

    def make_test_function(self, force=False):
        if self.test_function is not None and not force:
            return self.test_function
        if _takes_data_only(self.test_step):
            self.test_function = self._portable_function(self.test_step)
            return self.test_function
        groups = (list(self.trainable_variables), list(self.non_trainable_variables), list(self.metrics_variables))
        place = _placement(groups)
        step = self._compile(self.test_step)

        def one_step(data):
            logs, state = step(_read(groups), data if place is None else place(data))
            _write(groups, state)
            return logs

        self.test_function = one_step
        return one_step

    def make_predict_function(self, force=False):
        if self.predict_function is not None and not force:
            return self.predict_function
        if _takes_data_only(self.predict_step):
            self.predict_function = self._portable_function(self.predict_step)
            return self.predict_function
        non_trainable = list(self.non_trainable_variables)
        groups = (list(self.trainable_variables), non_trainable)
        place = _placement(groups)
        step = self._compile(self.predict_step)
        written = None  # the non-trainable variables a predict step changes, found on the first batch

        def one_step(data):
            # Only what predict itself changes is written back: a fit running on another thread keeps its state.
            nonlocal written
            state, data = _read(groups), data if place is None else place(data)
            if written is None:
                written = _changed_non_trainable(self.predict_step, state, data)
            outputs, (_, values) = step(state, data)
            for index in written:
                non_trainable[index]._value = values[index]
            return outputs

        self.predict_function = one_step
        return one_step

    def _portable_function(self, step):
        """Run a step written once for every engine (``step(data)``, see ``brickwork.trainers.value_and_grad``).

        The first batch runs eagerly, which builds what is built lazily (optimizer slots, metric variables);
        later batches run ``step`` compiled as a pure function of every variable the model reaches.
        """
        compiled = None
        variables = []

        def one_step(data):
            nonlocal compiled, variables
            if compiled is None or not self.jit_compile or _holds_strings(data):
                outputs = step(_on_device(data))
                if compiled is None and self.jit_compile:
                    variables = _reachable_variables(self)
                    compiled = jax.jit(lambda values, batch: _pure_step(step, variables, values, batch))
                return outputs
            values, outputs = compiled([v.value for v in variables], data)
            for variable, value in zip(variables, values):
                variable._value = value
            return outputs

        return one_step


def _takes_data_only(step) -> bool:
    """Whether a (bound) step is the portable ``step(self, data)``, not jax's ``step(self, state, data)``."""
    try:
        parameters = inspect.signature(step).parameters.values()
    except (TypeError, ValueError):
        return False
    kinds = [p.kind for p in parameters if p.default is inspect.Parameter.empty]
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return inspect.Parameter.VAR_POSITIONAL not in kinds and sum(kind in positional for kind in kinds) == 1


def _reachable_variables(model) -> list:
    """Every variable a portable step may read or assign: the model's (weights, metrics, seed states) and those
    of each optimizer it holds, as ``optimizer`` or as another attribute (a GAN's two optimizers)."""
    from brickwork.optimizers.base_optimizer import Optimizer

    found = {}
    for variable in [*model.variables, *model.metrics_variables]:
        found.setdefault(id(variable), variable)
    holders = [model.optimizer, *vars(model).values()]
    for holder in holders:
        for optimizer in holder if isinstance(holder, (list, tuple)) else [holder]:
            if isinstance(optimizer, Optimizer) and optimizer.built:
                for variable in optimizer.variables:
                    found.setdefault(id(variable), variable)
    return list(found.values())


def _pure_step(step, variables, values, data):
    """``step(data)`` with every variable's value fed in and its new value returned: ``(new_values, outputs)``."""
    with RecordingScope(state_mapping=zip(variables, values), inherit=False) as scope:
        outputs = step(data)
    carried = {id(v) for v in variables}
    stray = [v.path for key, v in scope.assigned.items() if key not in carried]
    if stray:
        raise ValueError(
            f"The step assigned variables it does not carry: {stray}. A step written with `value_and_grad` may "
            "update the model's variables, its metrics' and those of optimizers held as the model's attributes; "
            "keep any other stateful object as an attribute of the model."
        )
    return _current_values(scope, variables, values), outputs


def _placement(groups):
    """Under a distribution: place the step's variables by their layouts and return the function that
    shards a batch; None without one."""
    distribution = distribution_lib.distribution()
    if distribution is None:
        return None
    jax_distribution_lib.distribute_variables([v for group in groups for v in group], distribution)
    return lambda data: jax_distribution_lib.distribute_data(data, distribution)


def _holds_strings(data) -> bool:
    return any(isinstance(leaf, np.ndarray) and leaf.dtype.kind in "USO" for leaf in jax.tree_util.tree_leaves(data))


def _on_device(data):
    """A batch's NumPy arrays (host slices) as jax arrays; strings stay NumPy, for the string layers."""
    def convert(leaf):
        return jax.numpy.asarray(leaf) if isinstance(leaf, np.ndarray) and leaf.dtype.kind not in "USO" else leaf

    return jax.tree_util.tree_map(convert, data)


def _read(groups):
    return tuple([v.value for v in group] for group in groups)


def _write(groups, state) -> None:
    for group, values in zip(groups, state):
        for variable, value in zip(group, values):
            variable._value = value


def _changed_non_trainable(predict_step, state, data) -> list[int]:
    """The positions of the non-trainable values ``predict_step`` returns changed (a seed state a random layer
    draws from in inference): in its jaxpr, the outputs that are not simply their own inputs. All of them when
    the step cannot be traced (string inputs run eagerly)."""
    trainable, non_trainable = state
    try:
        jaxpr = jax.make_jaxpr(predict_step)(state, data).jaxpr
    except Exception:  # noqa: BLE001 - an untraceable step keeps the plain rule: write everything back
        return list(range(len(non_trainable)))
    inputs = jaxpr.invars[len(trainable):len(trainable) + len(non_trainable)]
    outputs = jaxpr.outvars[len(jaxpr.outvars) - len(non_trainable):]
    return [index for index, (out, inp) in enumerate(zip(outputs, inputs)) if out is not inp]


def _current_values(scope, variables, defaults) -> list:
    values = []
    for variable, default in zip(variables, defaults):
        value = scope.get_current_value(variable)
        values.append(default if value is None else value)
    return values


JAXTrainer = BackendTrainer  # the name Keras gives this engine's trainer
